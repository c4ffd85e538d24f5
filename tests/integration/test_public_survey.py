"""The citizen's survey pages (public link and kiosk) and the staff's QR codes, poster and paper form."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from core.accounts.policy import Actor
from core.clock import utcnow
from core.surveys import cycles
from core.surveys.kiosks import enrol_device
from core.surveys.schemas import CycleIn
from core.surveys.tables import Response, SurveyCycle
from tests.conftest import CSRF_RE, login
from tests.factories import PASSWORD, make_unit, make_user
from tests.statements import counting_statements

ANSWERS = {"U1": "4", "U2": "3", "U3": "2", "U4": "4", "U5": "3", "U6": "3", "U7": "4", "U8": "3"}
ANSWERS["U9"] = "1"
PROFILE = {"jenis_kelamin": "P", "usia": "34", "pendidikan": "S1", "pekerjaan": "Swasta"}
SUBMISSION_RE = re.compile(r'name="submission_token" value="([^"]+)"')
LEGEND_RE = re.compile(r'<fieldset class="unsur[^"]*" id="q-(U\d+)".*?<legend>(.*?)</legend>', re.S)


async def open_cycle(hooks, services=("UMUM", "KIA"), status="open") -> dict:
    """A unit with services and a cycle in the given status; the cycle row (with its tokens)."""
    await make_unit("PKM-A", "puskesmas", services=services)
    cycle_id = await cycles.create_cycle(
        Actor.system(),
        hooks,
        CycleIn(
            unit="PKM-A",
            period_type="tw1",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 3, 31),
            population=100,
            services=list(services),
        ),
    )
    if status in ("open", "closed"):
        await cycles.open_cycle(Actor.system(), hooks, cycle_id)
    if status == "closed":
        await cycles.close_cycle(
            Actor.system(), hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
        )
    return await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()


async def form_fields(client, path: str) -> dict[str, str]:
    """GET the form (sets the CSRF cookie); the hidden fields a browser would send back."""
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return {
        "_csrf_token": CSRF_RE.search(page.text).group(1),
        "submission_token": SUBMISSION_RE.search(page.text).group(1),
    }


def filled(hidden: dict[str, str], **changes: str) -> dict[str, str]:
    return {**hidden, "layanan": "KIA", **PROFILE, **ANSWERS, "saran": "Antrean lama", **changes}


async def stored(channel: str | None = None) -> int:
    query = Response.count()
    return await (query.where(Response.channel == channel) if channel else query)


async def test_form_shows_every_unsur_with_its_labels_in_order(client, hooks):
    cycle = await open_cycle(hooks)
    page = await client.get(f"/s/{cycle['public_token']}?layanan=KIA")
    assert page.status_code == 200
    text = page.text
    assert "Unit PKM-A" in text and "Triwulan I 2026" in text
    legends = LEGEND_RE.findall(text)
    assert [code for code, _ in legends] == [f"U{n}" for n in range(1, 10)]
    assert "Kualitas sarana dan prasarana" in legends[7][1]
    assert "Sarana dan Prasarana" in legends[7][1]
    assert "Penanganan pengaduan pengguna layanan" in legends[8][1]
    for label in (
        "Tidak sesuai",
        "Kurang sesuai",
        "Sesuai",
        "Sangat sesuai",
        "Dikelola dengan baik",
    ):
        assert label in text
    assert text.count('type="radio" id="f-U') == 36
    assert re.search(r'<option value="KIA"\s+selected>', text)  # preselected by ?layanan=
    assert 'name="website"' in text and 'tabindex="-1"' in text and "Jangan diisi" in text
    assert "<progress" in text and "Bagian 2 dari 3" in text
    assert 'href="/units"' not in text  # no staff navigation
    assert 'http-equiv="refresh"' not in text  # only the kiosk resets itself


async def test_full_submission_stores_one_online_response(client, hooks):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    data = filled(await form_fields(client, base))
    sent = await client.post(base, data=data, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{base}/terima-kasih"
    again = await client.post(base, data=data, follow_redirects=False)  # double tap / retry
    assert again.status_code == 303
    assert await stored() == 1 and await stored("online") == 1
    row = await Response.select().first()
    assert (row["u1"], row["u8"], row["u9"]) == (4, 3, 1)
    assert (row["jenis_kelamin"], row["usia"], row["pekerjaan"]) == ("P", 34, "Swasta")
    assert row["saran"] == "Antrean lama"
    thanks = await client.get(f"{base}/terima-kasih")
    assert thanks.status_code == 200 and "Terima kasih" in thanks.text
    assert 'http-equiv="refresh"' not in thanks.text


async def test_validation_errors_keep_the_values_and_store_nothing(client, hooks):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    data = filled(await form_fields(client, base), U3="", usia="tua", layanan="")
    for path in (f"{base}/tinjau", base):
        page = await client.post(path, data=data)
        assert page.status_code == 422
        text = page.text
        assert "Ada isian yang perlu diperbaiki" in text
        assert 'href="#f-U3-1"' in text and 'href="#f-usia"' in text and 'href="#f-layanan"' in text
        assert 'id="e-U3"' in text and "Pilih salah satu dari empat jawaban." in text
        assert "Usia harus angka 10 sampai 120 tahun." in text
        assert "Pilih jenis layanan yang Anda terima." in text
        assert 'id="f-usia" name="usia" value="tua"' in text
        assert re.search(r'id="f-U1-4" name="U1" value="4"\s+checked', text)
        assert "Antrean lama" in text
        assert data["submission_token"] in text
    assert await stored() == 0


async def test_honeypot_shows_thanks_and_stores_nothing(client, hooks):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    data = filled(await form_fields(client, base), website="http://spam.example")
    for path in (f"{base}/tinjau", base):
        sent = await client.post(path, data=data, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"].endswith("/terima-kasih")
    assert await stored() == 0


async def test_review_shows_the_chosen_labels_and_can_go_back(client, hooks):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    data = filled(await form_fields(client, base))
    review = await client.post(f"{base}/tinjau", data=data)
    assert review.status_code == 200
    text = html.unescape(review.text)
    assert "Periksa jawaban Anda" in text
    assert "a. Tidak ada" in text  # U9 = 1
    assert "d. Sangat sesuai" in text  # U1 = 4
    assert "c. Baik" in text  # U8 = 3
    assert "Perempuan" in text and "Layanan KIA" in text and "Pegawai swasta" in text
    assert 'name="U9" value="1"' in text and 'name="aksi" value="kirim"' in text
    assert await stored() == 0

    back = await client.post(base, data={**data, "aksi": "ubah"})
    assert back.status_code == 200 and 'action="' + base + '/tinjau"' in back.text
    assert re.search(r'id="f-U9-1" name="U9" value="1"\s+checked', back.text)
    assert await stored() == 0

    sent = await client.post(base, data={**data, "aksi": "kirim"}, follow_redirects=False)
    assert sent.status_code == 303 and await stored("online") == 1


async def test_csrf_is_required(client, hooks):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    hidden = await form_fields(client, base)
    refused = await client.post(base, data=filled({**hidden, "_csrf_token": "forged"}))
    assert refused.status_code == 403
    assert await stored() == 0


async def test_kiosk_submission_and_return_to_an_empty_form(client, hooks):
    cycle = await open_cycle(hooks)
    kiosk = await enrol_device(Actor.system(), "PKM-A", "Loket 1")
    base = f"/kiosk/{kiosk.token}"
    form = await client.get(base)
    assert 'data-idle-reset="90"' in form.text
    assert f'<noscript><meta http-equiv="refresh" content="300;url={base}"></noscript>' in form.text
    data = filled(await form_fields(client, base))
    sent = await client.post(base, data=data, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == f"{base}/terima-kasih"
    assert await stored("kiosk") == 1 and await stored() == 1
    thanks = await client.get(f"{base}/terima-kasih")
    assert f'<meta http-equiv="refresh" content="8;url={base}">' in thanks.text
    fresh = await form_fields(client, base)
    assert fresh["submission_token"] != data["submission_token"]
    # A kiosk at one service's counter keeps that service for the next respondent.
    counter = await client.get(f"{base}?layanan=UMUM")
    assert f'data-reset-url="{base}?layanan=UMUM"' in counter.text
    hidden = {
        "_csrf_token": CSRF_RE.search(counter.text).group(1),
        "submission_token": SUBMISSION_RE.search(counter.text).group(1),
        "preset": "UMUM",
    }
    # (the next respondent comes after the device's pace has passed)
    await Response.update({Response.created_at: utcnow() - timedelta(minutes=1)}, force=True)
    sent = await client.post(base, data=filled(hidden, layanan="UMUM"), follow_redirects=False)
    assert sent.headers["location"] == f"{base}/terima-kasih?layanan=UMUM"
    thanks = await client.get(sent.headers["location"])
    assert f'content="8;url={base}?layanan=UMUM"' in thanks.text
    assert await stored("kiosk") == 2
    # The kiosk token is not the public link, and the other way round.
    assert (await client.get(f"/s/{kiosk.token}")).status_code == 404
    assert (await client.get(f"/kiosk/{cycle['public_token']}")).status_code == 404


async def test_closed_and_unknown_links_get_friendly_pages(client, hooks):
    cycle = await open_cycle(hooks, status="closed")
    closed = await client.get(f"/s/{cycle['public_token']}")
    assert closed.status_code == 409
    assert "Survei ini sedang tidak menerima jawaban" in closed.text
    assert 'href="/units"' not in closed.text
    unknown = await client.get("/s/tidak-ada")
    assert unknown.status_code == 404 and "Tautan survei tidak dikenal." in unknown.text
    assert (await client.get("/kiosk/tidak-ada")).status_code == 404


@pytest.fixture
async def staff(client, hooks) -> dict:
    """An open cycle and its operator, signed in."""
    cycle = await open_cycle(hooks)
    await make_user("opa", "operator", ("PKM-A",))
    await login(client, "opa", PASSWORD)
    return cycle


async def test_qr_codes_download_as_svg_and_png(client, staff):
    svg = await client.get(f"/cycles/{staff['id']}/qr.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"].startswith("attachment;")
    assert "qr-survei-PKM-A-2026-tw1.svg" in svg.headers["content-disposition"]
    assert "<svg" in svg.text and f"/s/{staff['public_token']}" in svg.text  # link in <title>
    png = await client.get(f"/cycles/{staff['id']}/qr.png?layanan=KIA")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "qr-survei-PKM-A-2026-tw1-KIA.png" in png.headers["content-disposition"]
    unknown = await client.get(f"/cycles/{staff['id']}/qr.png?layanan=GIGI")
    assert unknown.status_code == 404


async def test_poster_and_paper_questionnaire(client, staff):
    poster = await client.get(f"/cycles/{staff['id']}/poster?layanan=UMUM")
    assert poster.status_code == 200
    text = html.unescape(poster.text)
    assert "Unit PKM-A" in text and "Layanan UMUM" in text
    assert "Bantu kami meningkatkan pelayanan — isi survei kepuasan" in text
    assert f"/s/{staff['public_token']}?layanan=UMUM" in text
    assert "size: A5" in text and "<svg" in text
    paper = await client.get(f"/cycles/{staff['id']}/kuesioner")
    assert paper.status_code == 200
    text = html.unescape(paper.text)
    assert "Unit PKM-A" in text and f"/s/{staff['public_token']}" in text
    assert "size: A4" in text and "No. responden" in text and "data-print" in text
    assert text.index("Kualitas sarana dan prasarana") < text.index("Penanganan pengaduan")
    assert text.count('class="box"') >= 36 and "d. Dikelola dengan baik" in text


async def test_draft_cycle_has_no_qr_yet(client, hooks):
    await make_unit("PKM-B", "puskesmas")
    draft_id = await cycles.create_cycle(
        Actor.system(),
        hooks,
        CycleIn(unit="PKM-B", period_type="tahunan", year=2026, population=50),
    )
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    for path in ("qr.svg", "qr.png", "poster"):
        answer = await client.get(f"/cycles/{draft_id}/{path}")
        assert answer.status_code == 409, path
        assert "belum dibuka" in answer.text
    preview = await client.get(f"/cycles/{draft_id}/kuesioner")
    assert preview.status_code == 200 and "Pratinjau" in preview.text


async def test_staff_pages_need_a_login_and_the_unit(client, hooks):
    cycle = await open_cycle(hooks)
    for path in ("qr.svg", "qr.png", "poster", "kuesioner"):
        anonymous = await client.get(f"/cycles/{cycle['id']}/{path}", follow_redirects=False)
        assert anonymous.status_code in (302, 303), path
        assert anonymous.headers["location"].startswith("/login")
    await make_unit("PKM-B", "puskesmas")
    await make_user("opb", "operator", ("PKM-B",))
    await login(client, "opb", PASSWORD)
    for path in ("qr.svg", "qr.png", "poster", "kuesioner"):
        assert (await client.get(f"/cycles/{cycle['id']}/{path}")).status_code == 404, path


async def test_one_submission_is_one_transaction_of_at_most_three_statements(
    client, hooks, monkeypatch
):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    data = filled(await form_fields(client, base))  # the form page loads the survey once
    with counting_statements(monkeypatch) as log:
        sent = await client.post(base, data=data, follow_redirects=False)
    assert sent.status_code == 303 and await stored("online") == 1
    # one INSERT that checks the cycle's state, the address's pace and the token itself
    assert log.transactions == 1 and len(log.statements) == 1, log.sql
    assert "INSERT INTO survey_response" in log.sql[0] and "ON CONFLICT" in log.sql[0]
    api = f"/api/v1/public/cycles/{cycle['public_token']}/responses"
    body = {"answers": {k: int(v) for k, v in ANSWERS.items()}, "service": "UMUM"}
    body |= {"profile": PROFILE, "submission_token": "api-1"}
    with counting_statements(monkeypatch) as log:
        first = await client.post(api, json=body)
    assert first.status_code == 201 and log.transactions == 1 and len(log.statements) == 1
    again = await client.post(api, json=body)  # a retry answers with the stored response
    assert again.status_code == 201 and again.json() == {**first.json(), "duplicate": True}
    assert await stored("online") == 2


async def test_a_kiosk_submission_is_one_statement(client, hooks, monkeypatch):
    await open_cycle(hooks)
    kiosk = await enrol_device(Actor.system(), "PKM-A", "Loket 1")
    base = f"/kiosk/{kiosk.token}"
    data = filled(await form_fields(client, base))
    with counting_statements(monkeypatch) as log:
        sent = await client.post(base, data=data, follow_redirects=False)
    assert sent.status_code == 303 and await stored("kiosk") == 1
    assert log.transactions == 1 and len(log.statements) == 1, log.sql


async def test_a_cycle_closed_while_its_link_is_cached_refuses_at_once(client, hooks):
    cycle = await open_cycle(hooks)
    base = f"/s/{cycle['public_token']}"
    data = filled(await form_fields(client, base))  # cached as open
    api = f"/api/v1/public/cycles/{cycle['public_token']}"
    assert (await client.get(api)).status_code == 200
    await cycles.close_cycle(
        Actor.system(), hooks, cycle["id"], "Tes: ditutup selagi tautan tersimpan di cache"
    )
    refused = await client.post(base, data=data, follow_redirects=False)
    assert "tidak menerima jawaban" in html.unescape(refused.text)
    assert await stored() == 0
    # the refusal dropped the cached link: the form and the API say closed at once
    assert "tidak menerima jawaban" in html.unescape((await client.get(base)).text)
    assert (await client.get(api)).status_code == 409


async def test_a_closed_cycle_offers_no_public_link_qr_or_poster(client, hooks):
    cycle = await open_cycle(hooks, status="closed")
    await make_user("opa", "operator", ("PKM-A",))
    await login(client, "opa", PASSWORD)
    page = await client.get(f"/cycles/{cycle['id']}")
    assert page.status_code == 200
    assert f"/s/{cycle['public_token']}" not in page.text
    assert f"/cycles/{cycle['id']}/poster" not in page.text
    assert f"/cycles/{cycle['id']}/qr.svg" not in page.text
    assert "Survei sudah ditutup" in page.text
    for path in ("poster", "qr.svg", "qr.png"):
        refused = await client.get(f"/cycles/{cycle['id']}/{path}")
        assert refused.status_code == 409, path
    paper = await client.get(f"/cycles/{cycle['id']}/kuesioner")
    assert paper.status_code == 200 and f"/s/{cycle['public_token']}" not in paper.text
