"""The staff SKM pages with a browser session: cycles, paper entry, import, dashboards, recap."""

from __future__ import annotations

import csv
import html
import io
import math
import re
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.surveys import cycles, responses
from core.surveys.questionnaires import current_items, standard_items
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.tables import Channel, CycleService, Response, SurveyCycle
from core.units.tables import Unit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")

STANDARD = [f"U{n}" for n in range(1, 10)]
SYSTEM = Actor.system()


async def _setup() -> dict[str, Actor]:
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_unit("PKM-B", "puskesmas", services=("UMUM",))
    return {
        "opr": await make_user("opr", "operator", ("PKM-A",)),
        "adm": await make_user("adm", "admin"),
        "insp": await make_user("insp", "inspector"),
    }


async def _cycle(hooks, unit: str = "PKM-A", period: str = "tw1", population: int = 100) -> int:
    """A draft cycle made through the core (the form has its own tests)."""
    return await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(
            unit=unit,
            period_type=period,
            year=2026,
            population=population,
            services=["UMUM", "KIA"] if unit == "PKM-A" else ["UMUM"],
        ),
    )


async def _open(hooks, unit: str = "PKM-A", **kwargs) -> int:
    cycle_id = await _cycle(hooks, unit, **kwargs)
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


async def _answer(cycle_id: int, answers: dict, service: str = "UMUM", **extra) -> None:
    await responses.enter_response(
        SYSTEM,
        cycle_id,
        ResponseIn(answers=answers, service=service, **extra),
        Channel.paper,
    )


def _text(page: str) -> str:
    """The page's visible text, tags removed and whitespace squeezed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _half_up(value: Fraction, places: int = 2) -> str:
    """Exact half-up rounding of a fraction, written with a decimal comma."""
    scaled = math.floor(value * 10**places + Fraction(1, 2))
    whole, part = divmod(scaled, 10**places)
    return f"{whole},{part:0{places}d}"


# --- create ------------------------------------------------------------------------------------


async def test_create_cycle_form_shows_field_errors_and_writes_nothing(client, db):
    await _setup()
    await login(client, "opr", PASSWORD)
    form = await client.get("/cycles/new")
    assert form.status_code == 200
    # The operator manages one unit, so it is chosen and its services are listed, all ticked.
    assert 'name="unit" value="PKM-A"' in form.text
    assert re.search(r'name="services" value="KIA" checked', form.text)
    assert "Krejcie" in form.text
    token = await csrf_token(client, "/cycles/new")
    base = {
        "_csrf_token": token,
        "unit": "PKM-A",
        "period_type": "tw2",
        "year": "2026",
        "population": "banyak",
        "services": ["UMUM", "KIA"],
        "channels": ["online", "paper"],
    }
    bad = await client.post("/cycles", data=base)
    assert bad.status_code == 422
    assert re.search(r'id="f-population"[^>]*aria-invalid="true"', bad.text)
    assert "isi dengan bilangan bulat" in bad.text
    assert 'value="banyak"' in bad.text  # what was typed stays in the form
    custom = await client.post(
        "/cycles",
        data={
            **base,
            "population": "250",
            "period_type": "custom",
            "start_date": "2026-05-10",
            "end_date": "2026-05-01",
        },
    )
    assert custom.status_code == 422
    assert re.search(r'id="e-end_date"[^>]*>tidak boleh sebelum tanggal mulai', custom.text)
    no_channel = await client.post(
        "/cycles", data={k: v for k, v in {**base, "population": "250"}.items() if k != "channels"}
    )
    assert (
        no_channel.status_code == 422 and "pilih minimal satu cara pengumpulan" in no_channel.text
    )
    assert await SurveyCycle.count() == 0

    created = await client.post(
        "/cycles",
        data={**base, "population": "1.000", "services": ["KIA"]},
        follow_redirects=False,
    )
    assert created.status_code in (302, 303), created.text
    cycle_id = int(re.search(r"/cycles/(\d+)", created.headers["location"]).group(1))
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["period_type"] == "tw2" and str(row["start_date"]) == "2026-04-01"
    assert row["population"] == 1000 and row["status"] == "draft"
    assert await CycleService.count().where(CycleService.cycle == cycle_id) == 1
    detail = await client.get(created.headers["location"])
    assert "dari minimum 278 responden" in _text(detail.text)  # K&M for N = 1000
    again = await client.post("/cycles", data={**base, "population": "10"})
    assert again.status_code == 409 and "bertumpuk dengan siklus" in again.text
    assert await SurveyCycle.count() == 1


async def test_new_cycle_form_lets_a_many_unit_user_choose_the_unit_first(client, db):
    await _setup()
    await login(client, "adm", PASSWORD)
    first = await client.get("/cycles/new")
    assert 'action="/cycles/new"' in first.text and 'name="services"' not in first.text
    chosen = await client.get("/cycles/new?unit=PKM-B")
    assert 'name="unit" value="PKM-B"' in chosen.text
    assert 'value="UMUM"' in chosen.text and 'value="KIA"' not in chosen.text


# --- status buttons ----------------------------------------------------------------------------


async def test_open_and_close_buttons_change_status_and_are_audited(client, db, hooks):
    await _setup()
    cycle_id = await _cycle(hooks)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}")
    assert f'action="/cycles/{cycle_id}/open"' in page.text
    assert "Riwayat siklus" not in page.text  # operators do not see the audit log
    token = await csrf_token(client, f"/cycles/{cycle_id}")
    opened = await client.post(
        f"/cycles/{cycle_id}/open", data={"_csrf_token": token}, follow_redirects=False
    )
    assert opened.status_code in (302, 303)
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["status"] == "open" and row["public_token"]
    page = await client.get(f"/cycles/{cycle_id}")
    assert f'action="/cycles/{cycle_id}/close"' in page.text
    assert f"/s/{row['public_token']}" in page.text  # the public link to copy
    assert f"/s/{row['public_token']}?layanan=KIA" in page.text  # one per service
    assert f"/cycles/{cycle_id}/qr.svg" in page.text and f"/cycles/{cycle_id}/poster" in page.text
    assert "/units/PKM-A/kios" in page.text  # where the counter kiosks are enrolled
    # No answers yet: closing asks for a reason first and writes nothing without one.
    assert "Sampel minimum belum tercapai" in page.text and 'id="f-close-reason"' in page.text
    refused = await client.post(f"/cycles/{cycle_id}/close", data={"_csrf_token": token})
    assert refused.status_code == 422 and 'id="e-close_reason"' in refused.text
    assert "menutup di bawah sampel minimum memerlukan alasan" in refused.text
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["status"] == "open"
    reason = "Layanan dipindah ke gedung sementara."
    await client.post(f"/cycles/{cycle_id}/close", data={"_csrf_token": token, "reason": reason})
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["status"] == "closed"
    actions = [
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action, AuditEvent.actor)
        .where((AuditEvent.entity == "survey_cycle") & (AuditEvent.entity_id == str(cycle_id)))
        .order_by(AuditEvent.id)
    ]
    assert actions == ["cycle.created", "cycle.open", "cycle.closed"]
    await client.post("/logout", data={"_csrf_token": token})
    await login(client, "insp", PASSWORD)
    trail = await client.get(f"/cycles/{cycle_id}")
    assert "Riwayat siklus" in trail.text
    assert "Survei dibuka" in trail.text and "Survei ditutup" in trail.text
    assert reason in trail.text  # the reason for closing below the minimum is on the trail
    assert "<code>cycle.open</code>" not in trail.text  # labels, not raw codes
    assert f'action="/cycles/{cycle_id}/open"' not in trail.text  # inspectors only look


async def test_reopen_needs_an_admin_and_a_reason(client, db, hooks):
    await _setup()
    cycle_id = await _open(hooks)
    await cycles.close_cycle(
        SYSTEM, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
    )
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}")
    assert f'action="/cycles/{cycle_id}/reopen"' not in page.text
    token = await csrf_token(client, f"/cycles/{cycle_id}")
    denied = await client.post(
        f"/cycles/{cycle_id}/reopen",
        data={"_csrf_token": token, "reason": "Kuesioner kertas susulan dari loket"},
    )
    assert denied.status_code == 403
    await client.post("/logout", data={"_csrf_token": token})
    await login(client, "adm", PASSWORD)
    token = await csrf_token(client, f"/cycles/{cycle_id}")
    short = await client.post(
        f"/cycles/{cycle_id}/reopen", data={"_csrf_token": token, "reason": "x"}
    )
    assert short.status_code == 422
    assert re.search(r'id="f-reason"[^>]*aria-invalid="true"', short.text)
    status = (await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first())["status"]
    assert status == "closed"
    reason = "Kuesioner kertas susulan dari loket"
    ok = await client.post(
        f"/cycles/{cycle_id}/reopen", data={"_csrf_token": token, "reason": reason}
    )
    assert ok.status_code == 200 and "dibuka kembali" in ok.text
    status = (await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first())["status"]
    assert status == "open"
    assert reason in ok.text  # the audit trail on the page shows why


# --- paper entry -------------------------------------------------------------------------------


async def test_paper_entry_stores_blanks_as_blanks_once_per_submission(client, db, hooks):
    users = await _setup()
    cycle_id = await _open(hooks)
    await login(client, "opr", PASSWORD)
    form = await client.get(f"/cycles/{cycle_id}/entri")
    assert form.status_code == 200
    first_box = re.search(r'<input id="a-U1"[^>]*>', form.text).group(0)
    for attribute in ('inputmode="numeric"', 'maxlength="1"', 'pattern="[1-4]"', "autofocus"):
        assert attribute in first_box
    submission = re.search(r'name="submission_token" value="([^"]+)"', form.text).group(1)
    token = await csrf_token(client, f"/cycles/{cycle_id}/entri")
    answers = {"U1": "4", "U2": "3", "U3": "2", "U4": "4", "U5": "3", "U6": "3", "U7": "4"}
    body = {
        "_csrf_token": token,
        "submission_token": submission,
        **answers,
        "U8": "",
        "U9": "",
        "layanan": "KIA",
        "jenis_kelamin": "P",
        "usia": "29",
        "pendidikan": "SMA",
        "pekerjaan": "Wirausaha",
        "saran": "Ruang tunggu panas",
        "channel": "paper",
        "simpan_kosong": "1",  # U8 and U9 really are blank on this questionnaire
    }
    saved = await client.post(f"/cycles/{cycle_id}/entri", data=body, follow_redirects=False)
    assert saved.status_code in (302, 303), saved.text
    after = await client.get(saved.headers["location"])
    assert "Tersimpan (1 jawaban kertas)" in after.text
    assert re.search(r'<input id="a-U1"[^>]*value=""[^>]*autofocus', after.text)  # empty again
    fresh = re.search(r'name="submission_token" value="([^"]+)"', after.text).group(1)
    assert fresh != submission
    twice = await client.post(f"/cycles/{cycle_id}/entri", data=body)  # a double click
    assert twice.status_code == 200 and "Tersimpan (1 jawaban kertas)" in twice.text
    stored = await Response.select().where(Response.cycle == cycle_id)
    assert len(stored) == 1
    row = stored[0]
    assert row["channel"] == "paper" and row["entered_by"] == users["opr"].user_id
    assert [row[f"u{n}"] for n in range(1, 10)] == [4, 3, 2, 4, 3, 3, 4, None, None]
    assert (
        row["jenis_kelamin"] == "P" and row["usia"] == 29 and row["saran"] == "Ruang tunggu panas"
    )

    wrong = await client.post(
        f"/cycles/{cycle_id}/entri",
        data={**body, "submission_token": fresh, "U2": "7", "usia": "tua", "channel": "interview"},
    )
    assert wrong.status_code == 422
    assert re.search(r'<input id="a-U2"[^>]*value="7"[^>]*aria-invalid="true"', wrong.text)
    assert re.search(r'id="f-usia"[^>]*aria-invalid="true"', wrong.text)
    assert await Response.count().where(Response.cycle == cycle_id) == 1
    interview = await client.post(
        f"/cycles/{cycle_id}/entri",
        data={**body, "submission_token": fresh, "channel": "interview"},
        follow_redirects=False,
    )
    assert interview.status_code in (302, 303)
    channels = sorted(r["channel"] for r in await Response.select(Response.channel))
    assert channels == ["interview", "paper"]


# --- import ------------------------------------------------------------------------------------


async def test_import_page_reports_rows_or_imports_all(client, db, hooks):
    await _setup()
    cycle_id = await _open(hooks)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}/impor")
    assert page.status_code == 200 and "U1, U2, U3" in page.text
    token = await csrf_token(client, f"/cycles/{cycle_id}/impor")
    bad = (
        "U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n"
        "3,3,3,3,3,3,3,3,3,UMUM,mandiri\n5,3,3,3,3,3,3,3,3,UMUM,mandiri\n"
        "3,3,3,3,3,3,3,3,3,GIGI,tatap muka\n"
    )
    report = await client.post(
        f"/cycles/{cycle_id}/impor",
        data={"_csrf_token": token},
        files={"file": ("salah.csv", bad.encode(), "text/csv")},
    )
    assert report.status_code == 422
    assert "Tidak ada yang diimpor: 2 kesalahan" in report.text
    rows = re.findall(
        r'<td data-label="Baris">([^<]*)</td><td data-label="Kolom">([^<]*)</td>', report.text
    )
    assert rows == [("3", "U1"), ("4", "layanan")]
    assert await Response.count() == 0
    good = bad.replace("5,3", "4,3").replace("GIGI", "KIA")
    done = await client.post(
        f"/cycles/{cycle_id}/impor",
        data={"_csrf_token": token},
        files={"file": ("benar.csv", good.encode(), "text/csv")},
    )
    assert done.status_code == 200 and "Berhasil: 3 kuesioner diimpor." in done.text
    assert await Response.count().where(Response.channel == "import") == 3
    repeat = await client.post(
        f"/cycles/{cycle_id}/impor",
        data={"_csrf_token": token},
        files={"file": ("benar.csv", good.encode(), "text/csv")},
    )
    assert repeat.status_code == 409 and "sudah pernah diimpor" in repeat.text
    assert await Response.count() == 3


async def test_import_templates_download(client, db, hooks):
    await _setup()
    draft = await _cycle(hooks)
    opened = await _open(hooks, period="tw2")
    await login(client, "opr", PASSWORD)
    for cycle_id in (draft, opened):
        book = await client.get(f"/cycles/{cycle_id}/templat.xlsx")
        assert book.status_code == 200
        assert "spreadsheetml" in book.headers["content-type"]
        sheet = load_workbook(io.BytesIO(book.content)).active
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        assert header[:9] == STANDARD and "layanan" in header
        text = await client.get(f"/cycles/{cycle_id}/templat.csv")
        assert text.status_code == 200
        assert text.text.splitlines()[0].split(",")[:10] == [*STANDARD, "layanan"]


# --- unit dashboard ----------------------------------------------------------------------------


async def test_unit_dashboard_shows_the_exact_konversi_and_the_weakest_unsur(client, db, hooks):
    await _setup()
    cycle_id = await _open(hooks)
    data = [
        ({"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 2}, "UMUM"),
        ({**dict.fromkeys(STANDARD, 3), "U9": None}, "KIA"),
        ({**dict.fromkeys(STANDARD, 4), "U3": 1, "U8": 2}, "KIA"),
    ]
    for answers, service in data:
        await _answer(cycle_id, answers, service, profile={"jenis_kelamin": "L", "usia": 30})
    nrr = {}
    for code in STANDARD:
        given = [a[code] for a, _ in data if a[code] is not None]
        nrr[code] = Fraction(sum(given), len(given))
    konversi = sum(nrr.values()) / 9 * 25
    weakest = min(nrr, key=nrr.get)
    assert weakest == "U3" and list(nrr.values()).count(nrr["U3"]) == 1

    await login(client, "opr", PASSWORD)
    page = await client.get("/units/PKM-A/skm")
    assert page.status_code == 200, page.text
    shown = re.search(r'id="konversi">([^<]+)<', page.text).group(1)
    assert shown == _half_up(konversi)
    # The weakest row of the table and the weakest bar of the chart are marked, nothing else.
    assert re.findall(r'<tr class="weakest">\s*<td data-label="Kode">(U\d+)</td>', page.text) == [
        "U3"
    ]
    assert re.findall(r'data-code="(U\d+)" data-weakest="true"', page.text) == ["U3"]
    assert _half_up(nrr["U3"], 3) in page.text  # NRR with 3 decimals
    text = _text(page.text)
    assert "Laki-laki 3 100,0%" in text  # the profile breakdown with count and share
    assert "dari minimum 80 responden" in text
    link = await client.get("/units/PKM-A")
    assert 'href="/units/PKM-A/skm"' in link.text


async def test_dashboard_defaults_to_the_latest_opened_cycle_and_shows_the_trend(client, db, hooks):
    await _setup()
    first = await _open(hooks, period="tw1")
    await _answer(first, dict.fromkeys(STANDARD, 3))
    second = await _open(hooks, period="tw2")
    await _answer(second, dict.fromkeys(STANDARD, 4))
    await _cycle(hooks, period="tw3")  # a later draft is not the default
    await login(client, "opr", PASSWORD)
    page = await client.get("/units/PKM-A/skm")
    assert re.search(rf'<option value="{second}" selected', page.text)
    assert 'id="konversi">100,00<' in page.text
    trend = re.search(r'<svg[^>]*class="chart chart-trend".*?</svg>', page.text, re.S).group(0)
    assert "75,00" in trend and "100,00" in trend and trend.index("75,00") < trend.index("100,00")
    older = await client.get(f"/units/PKM-A/skm?siklus={first}")
    assert 'id="konversi">75,00<' in older.text


async def test_saran_search_and_pages(client, db, hooks):
    await _setup()
    cycle_id = await _open(hooks)
    for n in range(25):
        saran = f"Antrean terlalu lama nomor {n}" if n % 2 == 0 else f"Petugas ramah {n}"
        await _answer(cycle_id, {"U1": 3}, saran=saran)
    await _answer(cycle_id, {"U1": 3}, saran="Diskon 100% untuk lansia")
    await _answer(cycle_id, {"U1": 2})  # no saran: not listed
    await login(client, "opr", PASSWORD)
    base = f"/units/PKM-A/skm?siklus={cycle_id}"
    found = await client.get(f"{base}&q=ANTREAN")
    items = re.findall(r'<li(?: class="screen-only")?><p>([^<]+)</p>', found.text)
    assert len(items) == 13 and all("Antrean" in item for item in items)
    assert found.text.count('<li class="screen-only"><p>') == 3  # the printout keeps ten
    assert "Cetakan memuat 10 saran terbaru" in found.text
    assert items[0] == "Antrean terlalu lama nomor 24"  # newest first
    assert "13 saran berisi" in _text(found.text)
    listed = r'<li(?: class="screen-only")?><p>([^<]+)</p>'
    first = re.findall(listed, (await client.get(base)).text)
    second = re.findall(listed, (await client.get(f"{base}&hal=2")).text)
    assert len(first) == 20 and len(second) == 6 and not set(first) & set(second)
    percent = re.findall(listed, (await client.get(f"{base}&q=%25")).text)
    assert percent == ["Diskon 100% untuk lansia"]  # % is a character, not a wildcard


# --- recap -------------------------------------------------------------------------------------


async def test_recap_lists_units_without_survey_and_exports_the_same_rows(client, db, hooks):
    await _setup()
    await make_unit("DINKES", "opd")
    cycle_id = await _open(hooks, population=10)
    await _answer(cycle_id, dict.fromkeys(STANDARD, 3))
    await _answer(cycle_id, dict.fromkeys(STANDARD, 4), service="KIA")
    await login(client, "insp", PASSWORD)
    page = await client.get("/rekap?year=2026")
    assert page.status_code == 200, page.text
    missing = re.search(r'id="h-missing".*?</section>', page.text, re.S).group(0)
    assert "Unit mana yang belum melaksanakan SKM tahun ini?" in missing
    assert "PKM-B" in missing and "DINKES" in missing and "PKM-A" not in missing.split("<h3>")[0]
    assert "PKM-A" in missing.split("<h3>")[1]  # 2 of the 10 the K&M table asks for
    assert "Gabungan seluruh jawaban" in page.text and "Rata-rata indeks unit" in page.text
    # The cycle is still open: no final regency figure yet, the provisional one marked as such.
    assert 'id="pooled">—<' in page.text
    assert 'id="pooled-provisional">87,50<' in page.text and "sementara" in page.text
    assert re.search(
        r'mutu-bg-B" href="/units/PKM-A/skm\?siklus=\d+">\s*<strong>87,50</strong>', page.text
    )
    page_units = re.findall(r'data-unit="([^"]+)"', page.text)
    assert sorted(page_units) == ["DINKES", "PKM-A", "PKM-B"]

    book = await client.get("/rekap.xlsx?year=2026")
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content))["Rekap"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kode", "Nama unit", "Jenis unit", "TW I konversi")
    assert [r[0] for r in rows[1:]] == page_units
    pkm_a = next(r for r in rows if r[0] == "PKM-A")
    assert pkm_a[3] == 87.5 and pkm_a[4] == "B (sementara)"  # the cycle is still open
    raw = await client.get("/rekap.csv?year=2026")
    assert raw.content.startswith("\ufeff".encode())
    records = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert [r[0] for r in records[1 : 1 + len(page_units)]] == page_units
    assert records[0] == [str(c) for c in rows[0]]

    by_konversi = await client.get("/rekap?year=2026&sort=konversi&kind=puskesmas")
    assert re.findall(r'data-unit="([^"]+)"', by_konversi.text) == ["PKM-A", "PKM-B"]


async def test_operator_cannot_see_the_recap_or_another_units_cycle(client, db, hooks):
    await _setup()
    other = await _open(hooks, unit="PKM-B")
    await login(client, "opr", PASSWORD)
    home = await client.get("/")
    assert 'href="/cycles"' in home.text and 'href="/rekap"' not in home.text
    assert (await client.get("/rekap?year=2026")).status_code == 403
    assert (await client.get("/rekap.xlsx?year=2026")).status_code == 403
    for path in (
        f"/cycles/{other}",
        f"/cycles/{other}/entri",
        f"/cycles/{other}/impor",
        f"/cycles/{other}/templat.csv",
        "/units/PKM-B/skm",
    ):
        assert (await client.get(path)).status_code == 404, path
    listed = await client.get("/cycles")
    assert f'href="/cycles/{other}"' not in listed.text
    token = await csrf_token(client, "/cycles")
    entry = await client.post(f"/cycles/{other}/entri", data={"_csrf_token": token, "U1": "4"})
    assert entry.status_code == 404 and await Response.count() == 0


async def test_cycle_list_filters(client, db, hooks):
    await _setup()
    draft = await _cycle(hooks, period="tw1")
    opened = await _open(hooks, period="tw2")
    other = await _open(hooks, unit="PKM-B")
    await login(client, "adm", PASSWORD)
    everything = await client.get("/cycles")
    assert all(f'href="/cycles/{c}"' in everything.text for c in (draft, opened, other))
    only_open = await client.get("/cycles?status=open&unit=PKM-A&year=")
    assert f'href="/cycles/{opened}"' in only_open.text
    assert f'href="/cycles/{draft}"' not in only_open.text
    assert f'href="/cycles/{other}"' not in only_open.text
    none = await client.get("/cycles?year=2025")
    assert "Belum ada siklus survei yang cocok." in none.text


async def test_cycle_list_is_paginated_and_shows_each_cycles_index(client, db, hooks, monkeypatch):
    from core.surveys import cycle_list

    monkeypatch.setattr(cycle_list, "CYCLE_PAGE_SIZE", 2)
    await _setup()
    oldest = await _open(hooks, period="tw1")
    await _answer(oldest, {f"U{n}": 4 for n in range(1, 10)})
    middle = await _cycle(hooks, period="tw2")
    newest = await _cycle(hooks, period="tw3")
    await login(client, "adm", PASSWORD)
    first = await client.get("/cycles")
    assert "3 siklus" in first.text and "Halaman 1 dari 2" in first.text
    assert f'href="/cycles/{newest}"' in first.text and f'href="/cycles/{middle}"' in first.text
    assert f'href="/cycles/{oldest}"' not in first.text
    assert "hal=2" in first.text and "belum ada jawaban" in first.text
    second = await client.get("/cycles?hal=2")
    assert f'href="/cycles/{oldest}"' in second.text and "Halaman 2 dari 2" in second.text
    assert "100,00" in _text(second.text)  # every answer 4: konversi 100, mutu A
    assert 'class="mutu mutu-A"' in second.text
    beyond = await client.get("/cycles?hal=99")
    assert f'href="/cycles/{oldest}"' in beyond.text  # past the end: the last page


async def test_cycle_form_takes_a_population_per_service(client, db, hooks):
    await _setup()
    await login(client, "opr", PASSWORD)
    form = await client.get("/cycles/new?unit=PKM-A")
    assert 'name="population_KIA"' in form.text and 'name="population_UMUM"' in form.text
    token = await csrf_token(client, "/cycles/new?unit=PKM-A")
    base = {
        "_csrf_token": token,
        "unit": "PKM-A",
        "period_type": "tw3",
        "year": "2026",
        "population": "1000",
        "services": ["UMUM", "KIA"],
        "channels": ["online"],
    }
    too_many = await client.post("/cycles", data={**base, "population_KIA": "5000"})
    assert too_many.status_code == 422
    assert re.search(r'id="f-population_KIA"[^>]*aria-invalid="true"', too_many.text)
    assert 'value="5000"' in too_many.text and await SurveyCycle.count() == 0
    made = await client.post(
        "/cycles",
        data={**base, "population_KIA": "100", "population_UMUM": ""},
        follow_redirects=False,
    )
    assert made.status_code in (302, 303)
    service = (
        await CycleService.select(CycleService.population)
        .where(CycleService.service.code == "KIA")
        .first()
    )
    assert service["population"] == 100
    page = await client.get(made.headers["location"])
    assert "0 dari minimum 80 responden" in page.text  # KIA's own minimum for N = 100


async def test_questionnaire_editor_rewords_adds_and_keeps_versions(client, db, hooks):
    await _setup()
    await login(client, "opr", PASSWORD)
    page = await client.get("/units/PKM-A/kuesioner")
    assert page.status_code == 200 and "Belum ada versi tersimpan" in page.text
    assert 'name="U8.question"' in page.text and 'name="U8.name"' not in page.text
    token = await csrf_token(client, "/units/PKM-A/kuesioner")
    standard = {item.code: item for item in standard_items(hooks)}
    data: dict[str, str] = {"_csrf_token": token}
    for code, item in standard.items():
        data[f"{code}.question"] = item.question
        for n, label in enumerate(item.labels, start=1):
            data[f"{code}.label{n}"] = label
    data["U1.question"] = "Apakah persyaratan berobat mudah dipenuhi?"
    new = {"new.code": "U10", "new.name": "Kebersihan", "new.question": "Kebersihan ruang tunggu"}
    incomplete = await client.post("/units/PKM-A/kuesioner", data={**data, **new})
    assert incomplete.status_code == 422 and "empat pilihan jawaban wajib diisi" in incomplete.text
    assert 'name="U10.name" value="Kebersihan"' in incomplete.text  # the new row is kept
    labels = {f"new.label{n}": v for n, v in enumerate(["Kotor", "Kurang", "Bersih", "Sangat"], 1)}
    saved = await client.post(
        "/units/PKM-A/kuesioner", data={**data, **new, **labels}, follow_redirects=False
    )
    assert saved.status_code in (302, 303)
    items = await current_items(
        hooks, (await Unit.select().where(Unit.code == "PKM-A").first())["id"]
    )
    assert [i.code for i in items] == [*STANDARD, "U10"]
    assert items[0].question == "Apakah persyaratan berobat mudah dipenuhi?"
    assert items[7].name == standard["U8"].name  # U8 keeps its unsur
    after = await client.get("/units/PKM-A/kuesioner?versi=1")
    assert "Versi 1" in after.text and "Isi versi 1" in after.text
    assert 'name="U10.name" value="Kebersihan"' in after.text
    dropped = {**data, "extra": "U10", "U10.name": "Kebersihan", "U10.hapus": "1"}
    await client.post("/units/PKM-A/kuesioner", data=dropped)
    unit_id = (await Unit.select().where(Unit.code == "PKM-A").first())["id"]
    assert [i.code for i in await current_items(hooks, unit_id)] == STANDARD
    assert "Versi 2" in (await client.get("/units/PKM-A/kuesioner")).text
    await client.post("/logout", data={"_csrf_token": token})
    await login(client, "insp", PASSWORD)
    read_only = await client.get("/units/PKM-A/kuesioner")
    assert read_only.status_code == 200 and 'name="U1.question"' not in read_only.text


async def test_recap_matrix_shows_only_the_periods_surveyed_that_year(client, db, hooks):
    await _setup()
    cycle_id = await _open(hooks, period="tw1")
    await _answer(cycle_id, {f"U{n}": 3 for n in range(1, 10)})
    await login(client, "adm", PASSWORD)
    page = await client.get("/rekap?year=2026")
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page.text)
    assert "TW I" in headers
    assert not {"TW II", "Sem. I", "Sem. II", "Tahunan", "Lainnya"} & set(headers)
