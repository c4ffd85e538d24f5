"""The response list, a response's page, void and correction through the browser and the API."""

from __future__ import annotations

import re

from core.accounts.policy import Actor
from core.surveys import cycles, importer, responses
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.tables import Channel, Response
from tests.conftest import bearer, csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

SYSTEM = Actor.system()
FULL = {f"U{n}": 3 for n in range(1, 10)}


async def _world(hooks) -> tuple[int, dict[str, Actor], list[int]]:
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_unit("PKM-B", "puskesmas", services=("UMUM",))
    users = {
        "opr": await make_user("opr", "operator", ("PKM-A",)),
        "oprb": await make_user("oprb", "operator", ("PKM-B",)),
        "adm": await make_user("adm", "admin"),
        "insp": await make_user("insp", "inspector"),
    }
    cycle_id = await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=100, services=["UMUM"]),
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    paper = await responses.enter_response(
        users["opr"], cycle_id, ResponseIn(answers={**FULL, "U4": 1}, service="UMUM")
    )
    interview = await responses.enter_response(
        users["adm"], cycle_id, ResponseIn(answers=FULL, service="UMUM"), Channel.interview
    )
    content = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n4,4,4,4,4,4,4,4,4,UMUM,FGD\n"
    await importer.import_responses(users["opr"], cycle_id, content, "kertas.csv")
    imported = (await Response.select(Response.id).where(Response.channel == "import").first())[
        "id"
    ]
    return cycle_id, users, [paper.id, interview.id, imported]


def _listed(text: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/cycles/\d+/jawaban/(\d+)">#', text)]


async def test_the_list_shows_and_filters_a_cycles_responses(client, db, hooks):
    cycle_id, users, (paper, interview, imported) = await _world(hooks)
    await login(client, "opr", PASSWORD)
    detail = await client.get(f"/cycles/{cycle_id}")
    assert f'href="/cycles/{cycle_id}/jawaban"' in detail.text
    listed = await client.get(f"/cycles/{cycle_id}/jawaban")
    assert listed.status_code == 200
    assert _listed(listed.text) == [imported, interview, paper]
    assert "FGD" in listed.text and "Wawancara" in listed.text and "3 jawaban" in listed.text
    only = await client.get(f"/cycles/{cycle_id}/jawaban?kanal=interview")
    assert _listed(only.text) == [interview]
    mine = await client.get(f"/cycles/{cycle_id}/jawaban?oleh={users['opr'].user_id}")
    assert _listed(mine.text) == [imported, paper]
    none = await client.get(f"/cycles/{cycle_id}/jawaban?sampai=2020-01-01")
    assert _listed(none.text) == [] and "Belum ada jawaban yang cocok." in none.text
    junk = await client.get(f"/cycles/{cycle_id}/jawaban?kanal=x&oleh=abc&dari=kemarin&hal=-3")
    assert junk.status_code == 200 and len(_listed(junk.text)) == 3  # bad filters are ignored


async def test_void_through_the_page(client, db, hooks):
    cycle_id, _, (paper, *_) = await _world(hooks)
    await login(client, "opr", PASSWORD)
    token = await csrf_token(client, f"/cycles/{cycle_id}/jawaban/{paper}")
    url = f"/cycles/{cycle_id}/jawaban/{paper}/batal"
    short = await client.post(url, data={"_csrf_token": token, "reason": "ganda"})
    assert short.status_code == 422 and "minimal 10 karakter" in short.text
    assert re.search(r'id="f-reason"[^>]*aria-invalid="true"', short.text)
    done = await client.post(
        url,
        data={"_csrf_token": token, "reason": "kuesioner ganda dari loket"},
        follow_redirects=False,
    )
    assert done.status_code in (302, 303)
    shown = await client.get(done.headers["location"])
    assert "Jawaban dibatalkan" in shown.text and "Dibatalkan oleh opr" in shown.text
    assert "kuesioner ganda dari loket" in shown.text
    assert "Batalkan jawaban" not in shown.text  # nothing more to do with a voided response
    listed = await client.get(f"/cycles/{cycle_id}/jawaban?status=voided")
    assert _listed(listed.text) == [paper]
    cycle = await client.get(f"/cycles/{cycle_id}")
    assert "2 dari minimum" in cycle.text
    again = await client.post(url, data={"_csrf_token": token, "reason": "sekali lagi dibatalkan"})
    assert again.status_code == 409 and "sudah dibatalkan" in again.text


async def test_correct_through_the_page_keeps_the_earlier_version(client, db, hooks):
    cycle_id, _, (paper, *_) = await _world(hooks)
    await login(client, "opr", PASSWORD)
    form = await client.get(f"/cycles/{cycle_id}/jawaban/{paper}/koreksi")
    assert form.status_code == 200 and "Koreksi jawaban #" in form.text
    assert re.search(r'<input id="a-U4"[^>]*value="1"', form.text)  # filled with the response
    token = await csrf_token(client, f"/cycles/{cycle_id}/jawaban/{paper}/koreksi")
    body = {
        "_csrf_token": token,
        **{code: str(v) for code, v in FULL.items()},
        "layanan": "UMUM",
        "method": "mandiri",
        "reason": "",
    }
    url = f"/cycles/{cycle_id}/jawaban/{paper}/koreksi"
    missing = await client.post(url, data={**body, "U4": "9"})
    assert missing.status_code == 422
    assert "minimal 10 karakter" in missing.text and "jawaban harus 1–4" in missing.text
    saved = await client.post(
        url, data={**body, "reason": "U4 salah ketik dari kertas"}, follow_redirects=False
    )
    assert saved.status_code in (302, 303), saved.text
    new = await client.get(saved.headers["location"])
    assert "Koreksi tersimpan sebagai versi baru" in new.text and "Riwayat versi" in new.text
    assert f'href="/cycles/{cycle_id}/jawaban/{paper}">#{paper}' in new.text
    old = await client.get(f"/cycles/{cycle_id}/jawaban/{paper}")
    assert "Ini versi lama" in old.text and "Koreksi jawaban" not in old.text
    rows = await Response.select(Response.id, Response.u4, Response.superseded_by).where(
        Response.channel == "paper"
    )
    assert sorted((r["u4"], r["superseded_by"] is None) for r in rows) == [(1, False), (3, True)]


async def test_a_closed_cycle_offers_no_change_and_refuses_one(client, db, hooks):
    cycle_id, users, (paper, *_) = await _world(hooks)
    await cycles.close_cycle(users["adm"], hooks, cycle_id, reason="uji: sampel di bawah minimum")
    await login(client, "opr", PASSWORD)
    shown = await client.get(f"/cycles/{cycle_id}/jawaban/{paper}")
    assert "setelah siklus dibuka kembali" in shown.text and "Batalkan jawaban" not in shown.text
    token = await csrf_token(client, f"/cycles/{cycle_id}/jawaban/{paper}")
    refused = await client.post(
        f"/cycles/{cycle_id}/jawaban/{paper}/batal",
        data={"_csrf_token": token, "reason": "kuesioner ganda dari loket"},
    )
    assert refused.status_code == 409 and "dibuka kembali" in refused.text


async def test_who_sees_what(client, db, hooks):
    cycle_id, _, (paper, *_) = await _world(hooks)
    await login(client, "insp", PASSWORD)
    assert (await client.get(f"/cycles/{cycle_id}/jawaban")).status_code == 200
    shown = await client.get(f"/cycles/{cycle_id}/jawaban/{paper}")
    assert "Batalkan jawaban" not in shown.text and "Koreksi jawaban" not in shown.text
    assert (await client.get(f"/cycles/{cycle_id}/jawaban/{paper}/koreksi")).status_code == 403
    await client.get("/logout")
    await login(client, "oprb", PASSWORD)
    for path in (f"/cycles/{cycle_id}/jawaban", f"/cycles/{cycle_id}/jawaban/{paper}"):
        assert (await client.get(path)).status_code == 404, path


async def test_the_api_lists_voids_and_corrects(client, db, hooks):
    cycle_id, _, (paper, interview, imported) = await _world(hooks)
    headers = await bearer(client, "opr")
    listed = await client.get(f"/api/v1/responses?cycle={cycle_id}&channel=import", headers=headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 1 and body["rows"][0]["id"] == imported
    assert body["rows"][0]["method"] == "fgd" and body["rows"][0]["status"] == "counted"
    bad = await client.get(f"/api/v1/responses?cycle={cycle_id}&status=x", headers=headers)
    assert bad.status_code == 422
    voided = await client.post(
        f"/api/v1/responses/{interview}/void", headers=headers, json={"reason": "wawancara ganda"}
    )
    assert voided.status_code == 200 and voided.json()[0]["status"] == "voided"
    fixed = await client.post(
        f"/api/v1/responses/{imported}/correction",
        headers=headers,
        json={"answers": {**FULL, "U1": 4}, "service": "UMUM", "reason": "U1 salah impor"},
    )
    assert fixed.status_code == 201, fixed.text
    versions = await client.get(f"/api/v1/responses/{fixed.json()['id']}", headers=headers)
    assert [v["status"] for v in versions.json()] == ["counted", "superseded"]
    score = await client.get(f"/api/v1/cycles/{cycle_id}/score", headers=headers)
    assert score.json()["respondents"] == 2
    other = await bearer(client, "oprb")
    hidden = await client.get(f"/api/v1/responses/{paper}", headers=other)
    assert hidden.status_code == 404
