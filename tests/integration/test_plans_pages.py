"""Plan pages: the editor from the dashboard, the printable table, the overview, the public page."""

from __future__ import annotations

import pytest

from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from tests.conftest import bearer, csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user
from tests.integration.test_plans import _cycle, _held_forum


@pytest.fixture
async def world(db, hooks) -> dict:
    await make_unit("PKM-A", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("insp", "inspector")
    return {"cycle": await _cycle(hooks)}


async def test_operator_drafts_edits_and_the_public_sees_the_published_plan(
    client, world, hooks, settings
):
    cycle_id = world["cycle"]
    await login(client, "opr", PASSWORD)
    dashboard = await client.get(f"/units/PKM-A/skm?siklus={cycle_id}")
    assert f"/cycles/{cycle_id}/rtl" in dashboard.text
    empty = await client.get(f"/cycles/{cycle_id}/rtl")
    assert "Susun draf dari hasil SKM" in empty.text
    token = await csrf_token(client, f"/cycles/{cycle_id}/rtl")
    response = await client.post(
        f"/cycles/{cycle_id}/rtl/susun", data={"_csrf_token": token}, follow_redirects=False
    )
    assert response.status_code in (302, 303)
    job = await OutboxJob.select(OutboxJob.id).where(OutboxJob.kind == "plan.draft").first()
    await run_job(job["id"], default_handlers(hooks, settings))
    editor = await client.get(f"/cycles/{cycle_id}/rtl")
    assert "U8 Sarana dan Prasarana" in editor.text and "toliet kotor" in editor.text

    api = await bearer(client, "opr")
    plan = (await client.get(f"/api/v1/cycles/{cycle_id}/plan", headers=api)).json()
    item = plan["items"][0]["id"]
    form = {
        "_csrf_token": token,
        "program": "Renovasi toilet",
        "quarter": "II",
        "due_date": "",
        "pj_name": "Budi",
        "pj_position": "Pengurus Barang",
        "indicator": "Toilet bersih",
        "status": "planned",
        "progress": "0",
        "realised_on": "",
        "hambatan": "",
        "drop_reason": "",
    }
    bad = await client.post(f"/plan-items/{item}", data={**form, "progress": "150"})
    assert bad.status_code == 422 and "progres 0 sampai 100" in bad.text
    saved = await client.post(f"/plan-items/{item}", data=form, follow_redirects=False)
    assert saved.status_code in (302, 303)
    printed = await client.get(f"/cycles/{cycle_id}/rtl/cetak")
    assert "Renovasi toilet" in printed.text and "Penanggung jawab" in printed.text

    forum_id, _agreement = await _held_forum(cycle_id)
    await client.post(f"/api/v1/plans/{plan['id']}/discuss", json={"forum": forum_id}, headers=api)
    assert (
        await client.post(f"/api/v1/plans/{plan['id']}/publish", headers=api)
    ).status_code == 200
    public = await client.get("/publik/unit/PKM-A/tindak-lanjut")
    assert public.status_code == 200
    assert "Kami mendengar, kami bertindak" in public.text and "Renovasi toilet" in public.text
    overview = await client.get("/rtl")
    assert "PKM-A" in overview.text


async def test_excel_upload_on_the_page_names_bad_rows(client, world, hooks, settings):
    cycle_id = world["cycle"]
    api = await bearer(client, "opr")
    await client.post(f"/api/v1/cycles/{cycle_id}/plan/draft", headers=api)
    job = await OutboxJob.select(OutboxJob.id).where(OutboxJob.kind == "plan.draft").first()
    await run_job(job["id"], default_handlers(hooks, settings))
    plan = (await client.get(f"/api/v1/cycles/{cycle_id}/plan", headers=api)).json()
    await login(client, "opr", PASSWORD)
    download = await client.get(f"/plans/{plan['id']}/rtl.xlsx")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    header = "ID,Status,Progres (%),Tanggal realisasi,Hambatan,Alasan dibatalkan"
    csv = f"{header}\n{plan['items'][0]['id']},Entah,5,,,\n"
    token = await csrf_token(client, f"/cycles/{cycle_id}/rtl")
    response = await client.post(
        f"/plans/{plan['id']}/rtl.xlsx",
        data={"_csrf_token": token},
        files={"file": ("rtl.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert "baris 2 · Status" in response.text
