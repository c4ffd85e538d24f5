"""Improvement action plans (RTL): drafted by the worker job, edited, agreed, published, done."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.clock import frozen_at
from core.forums import service as forums
from core.forums.schemas import AgreementIn, AttendanceIn, ForumIn, StakeholderIn
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.plans.reads import plan_table
from core.plans.tables import PlanItemChange
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from tests.conftest import bearer
from tests.factories import make_unit, make_user

WIB = timezone(timedelta(hours=7))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SARAN = (
    "Antriannya lama sekali, nunggu hampir 3 jam",
    "ruang tunggu panas dan kursinya kurang",
    "toliet kotor, tolong dibersihkan",
    "Petugas loket judes",
    "mohon dipercepat, ngantri dari pagi",
    "terima kasih, sudah bagus",
)


async def _cycle(hooks) -> int:
    """A closed cycle whose weakest unsur are U8 (sarana) then U3 (waktu), then U7."""
    system = Actor.system()
    cycle_id = await create_cycle(
        system, hooks, CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=40)
    )
    await open_cycle(system, hooks, cycle_id)
    for n, saran in enumerate(SARAN):
        answers = {f"U{u}": 4 for u in range(1, 10)}
        answers.update({"U8": 1 + n % 2, "U3": 2, "U7": 3 if n % 2 else 2, "U1": 3})
        await enter_response(system, cycle_id, ResponseIn(answers=answers, saran=saran))
    await close_cycle(system, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum")
    return cycle_id


@pytest.fixture
async def world(db, hooks) -> dict:
    return await make_world(hooks)


async def make_world(hooks) -> dict:
    """Two puskesmas, their operators, an inspector and PKM-A's closed cycle."""
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("oprb", "operator", ("PKM-B",))
    await make_user("pjbudi", "operator", ("PKM-B",))  # an account of another unit, named PJ
    await make_user("insp", "inspector")
    return {"cycle": await _cycle(hooks)}


async def _drafted(client, headers, cycle_id, hooks, settings) -> dict:
    response = await client.post(f"/api/v1/cycles/{cycle_id}/plan/draft", headers=headers)
    assert response.status_code == 202, response.text
    assert await run_job(response.json()["job"], default_handlers(hooks, settings)) == "done"
    response = await client.get(f"/api/v1/cycles/{cycle_id}/plan", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _held_forum(cycle_id: int) -> tuple[int, int]:
    system = Actor.system()
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    forum_id = await forums.create_forum(
        system,
        ForumIn(
            title="Tindak lanjut SKM TW I",
            purpose="tindak_lanjut_skm",
            units=["PKM-A"],
            format="tatap_muka",
            venue="Aula",
            start=start,
            end=start + timedelta(hours=2),
            cycle=cycle_id,
        ),
    )
    await forums.schedule_forum(system, forum_id)
    with frozen_at(start + timedelta(minutes=10)):
        walk_in = StakeholderIn(name="Bu Ani", group="pengguna_layanan", phone="0812 0000 1111")
        await forums.check_in(system, forum_id, AttendanceIn(walk_in=walk_in))
        await forums.hold_forum(system, forum_id)
    agreement = await forums.add_agreement(
        system,
        forum_id,
        AgreementIn(text="Toilet diperbaiki", owner_unit="PKM-A", due_date=date(2027, 1, 31)),
    )
    return forum_id, agreement


async def test_from_draft_to_done_with_evidence_and_kpis(client, world, hooks, settings):
    opr = await bearer(client, "opr")
    cycle_id = world["cycle"]
    assert (await client.get(f"/api/v1/cycles/{cycle_id}/plan", headers=opr)).status_code == 404

    plan = await _drafted(client, opr, cycle_id, hooks, settings)
    assert plan["status"] == "draft"
    assert [i["unsur"] for i in plan["items"]][:3] == ["U8", "U3", "U7"]
    first = plan["items"][0]
    assert first["mutu"] == "D" and first["nrr"] == pytest.approx(1.5)
    assert "toliet kotor, tolong dibersihkan" in first["saran"]
    assert "ruang tunggu panas dan kursinya kurang" in first["saran"]
    waktu = plan["items"][1]
    assert "Antriannya lama sekali, nunggu hampir 3 jam" in waktu["saran"]
    assert "ruang tunggu panas dan kursinya kurang" not in waktu["saran"]
    assert plan["unmatched_saran"] == ["terima kasih, sudah bagus"]
    assert first["program"] and first["waktu"].startswith("TW ")
    assert plan["source"]["vocabularies"]["skm"].startswith("skm-lexicon")
    assert plan["source"]["cycle"] == cycle_id

    item = first["id"]
    edit = {"program": "Renovasi toilet pasien", "pj_name": "Budi", "pj_user": "pjbudi"}
    response = await client.patch(f"/api/v1/plan-items/{item}", json=edit, headers=opr)
    assert response.status_code == 200, response.text
    # Drafting again refreshes figures but keeps what the unit edited.
    plan = await _drafted(client, opr, cycle_id, hooks, settings)
    assert plan["items"][0]["program"] == "Renovasi toilet pasien"
    assert plan["items"][0]["penanggung_jawab"] == {
        "name": "Budi",
        "position": first["penanggung_jawab"]["position"],
        "user": "pjbudi",
        "email": "",
    }

    forum_id, agreement = await _held_forum(cycle_id)
    publish = await client.post(f"/api/v1/plans/{plan['id']}/publish", headers=opr)
    assert publish.status_code == 409 and "discussed" in publish.json()["allowed"]
    response = await client.post(
        f"/api/v1/plans/{plan['id']}/discuss", json={"forum": forum_id}, headers=opr
    )
    assert response.status_code == 200, response.text
    response = await client.post(
        f"/api/v1/plan-items/{item}/agreements", json={"agreement": agreement}, headers=opr
    )
    assert response.json()["items"][0]["agreements"] == [agreement]
    third = plan["items"][2]["id"]
    await client.patch(f"/api/v1/plan-items/{third}", json={"quarter": ""}, headers=opr)
    incomplete = await client.post(f"/api/v1/plans/{plan['id']}/publish", headers=opr)
    assert incomplete.status_code == 422
    assert [e["field"] for e in incomplete.json()["errors"]] == ["items[2].waktu"]
    await client.patch(f"/api/v1/plan-items/{third}", json={"due_date": "2027-03-31"}, headers=opr)
    response = await client.post(f"/api/v1/plans/{plan['id']}/publish", headers=opr)
    assert response.status_code == 200 and response.json()["status"] == "published"

    # The penanggung jawab updates only their item, and only its progress.
    pj = await bearer(client, "pjbudi")
    response = await client.patch(f"/api/v1/plan-items/{item}", json={"program": "x"}, headers=pj)
    assert response.status_code == 422 and "program" in response.text
    other = plan["items"][1]["id"]
    assert (
        await client.patch(f"/api/v1/plan-items/{other}", json={"progress": 5}, headers=pj)
    ).status_code == 404
    response = await client.patch(
        f"/api/v1/plan-items/{item}", json={"status": "in_progress"}, headers=pj
    )
    assert response.json()["items"][0]["progress"] == 25
    response = await client.post(
        f"/api/v1/plan-items/{item}/evidence",
        headers=pj,
        files={"file": ("foto.png", io.BytesIO(PNG), "image/png")},
        data={"milestone_on": "2027-01-20"},
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["sha256"]) == 64
    response = await client.post(
        f"/api/v1/plan-items/{item}/evidence", headers=pj, json={"url": "https://contoh.id/berita"}
    )
    assert response.status_code == 201
    bad = await client.post(
        f"/api/v1/plan-items/{item}/evidence", headers=pj, json={"url": "javascript:x"}
    )
    assert bad.status_code == 422
    response = await client.patch(
        f"/api/v1/plan-items/{item}",
        json={"status": "done", "realised_on": "2027-01-25"},
        headers=pj,
    )
    done = response.json()["items"][0]
    assert done["status"] == "done" and done["progress"] == 100 and len(done["evidence"]) == 2

    kpi = await client.get("/api/v1/units/PKM-A/follow-up?year=2026", headers=opr)
    assert kpi.status_code == 200, kpi.text
    assert kpi.json()["items"] == len(plan["items"]) and kpi.json()["done"] == 1
    assert kpi.json()["percent_done"] == pytest.approx(100 / len(plan["items"]), abs=0.1)
    assert kpi.json()["months_to_complete"] is None

    history = await PlanItemChange.select().where(PlanItemChange.item == item)
    assert [h["actor"] for h in history] == ["opr", "pjbudi", "pjbudi"]
    assert await AuditEvent.exists().where(AuditEvent.action == "plan_item.done")
    rows = await plan_table(cycle_id)
    assert rows[0][:3] == ("1", "U8 Sarana dan Prasarana", "Renovasi toilet pasien")


async def test_drafting_refuses_other_units_open_cycles_and_agreed_plans(
    client, world, hooks, settings
):
    cycle_id = world["cycle"]
    other = await bearer(client, "oprb")
    response = await client.post(f"/api/v1/cycles/{cycle_id}/plan/draft", headers=other)
    assert response.status_code == 404
    insp = await bearer(client, "insp")
    assert (
        await client.post(f"/api/v1/cycles/{cycle_id}/plan/draft", headers=insp)
    ).status_code == 403
    opr = await bearer(client, "opr")
    open_cycle_id = await create_cycle(
        Actor.system(), hooks, CycleIn(unit="PKM-A", period_type="tw2", year=2026, population=40)
    )
    response = await client.post(f"/api/v1/cycles/{open_cycle_id}/plan/draft", headers=opr)
    assert response.status_code == 409 and "ditutup" in response.json()["detail"]


async def test_item_changes_are_validated_together_and_nothing_is_half_written(
    client, world, hooks, settings
):
    opr = await bearer(client, "opr")
    plan = await _drafted(client, opr, world["cycle"], hooks, settings)
    item = plan["items"][0]["id"]
    bad = {"quarter": "V", "progress": 140, "pj_user": "nobody", "program": "Baru"}
    response = await client.patch(f"/api/v1/plan-items/{item}", json=bad, headers=opr)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"quarter", "progress", "pj_user"}
    again = await client.get(f"/api/v1/cycles/{world['cycle']}/plan", headers=opr)
    assert again.json()["items"][0]["program"] == plan["items"][0]["program"]
    response = await client.patch(
        f"/api/v1/plan-items/{item}", json={"status": "dropped"}, headers=opr
    )
    assert response.status_code == 422 and "drop_reason" in response.text
    response = await client.patch(
        f"/api/v1/plan-items/{item}", json={"status": "bogus"}, headers=opr
    )
    assert response.status_code == 422


async def test_agreements_gain_status_updates_by_their_pic(client, world, hooks):
    _forum_id, agreement = await _held_forum(world["cycle"])
    other = await bearer(client, "oprb")
    url = f"/api/v1/agreements/{agreement}"
    assert (await client.patch(url, json={"status": "done"}, headers=other)).status_code == 404
    opr = await bearer(client, "opr")
    response = await client.patch(url, json={"status": "in_progress"}, headers=opr)
    assert response.status_code == 200, response.text
    refused = await client.patch(url, json={"status": "dropped"}, headers=opr)
    assert refused.status_code == 422 and "note" in refused.text
    assert (await client.patch(url, json={"status": "done"}, headers=opr)).status_code == 200
    again = await client.patch(url, json={"status": "open"}, headers=opr)
    assert again.status_code == 409 and again.json()["allowed"] == ["in_progress"]
    assert await AuditEvent.exists().where(AuditEvent.action == "agreement.done")


async def test_excel_round_trip_updates_progress_all_rows_or_none(client, world, hooks, settings):
    from openpyxl import load_workbook

    opr = await bearer(client, "opr")
    plan = await _drafted(client, opr, world["cycle"], hooks, settings)
    exported = await client.get(f"/api/v1/plans/{plan['id']}/xlsx", headers=opr)
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book["RTL"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["ID", "No", "Prioritas unsur", "Program/Kegiatan"]
    status, progress = header.index("Status") + 1, header.index("Progres (%)") + 1
    sheet.cell(row=2, column=status, value="Sedang berjalan")
    sheet.cell(row=2, column=progress, value=40)
    sheet.cell(row=3, column=progress, value="banyak")  # a bad cell: nothing is saved
    sheet.cell(row=4, column=status, value="Selesai")
    sheet.cell(row=4, column=progress, value=60)  # done is 100 %
    out = io.BytesIO()
    book.save(out)
    files = {"file": ("rtl.xlsx", out.getvalue(), "application/octet-stream")}
    bad = await client.post(f"/api/v1/plans/{plan['id']}/xlsx", headers=opr, files=files)
    assert bad.status_code == 422, bad.text
    named = {(e["row"], e["field"]) for e in bad.json()["errors"]}
    assert named == {(3, "Progres (%)"), (4, "Progres (%)")}
    again = await client.get(f"/api/v1/cycles/{world['cycle']}/plan", headers=opr)
    assert again.json()["items"][0]["progress"] == 0  # row 2 was valid, but all rows or none
    sheet.cell(row=3, column=progress, value=10)
    sheet.cell(row=4, column=progress, value=100)
    out = io.BytesIO()
    book.save(out)
    files = {"file": ("rtl.xlsx", out.getvalue(), "application/octet-stream")}
    good = await client.post(f"/api/v1/plans/{plan['id']}/xlsx", headers=opr, files=files)
    assert good.status_code == 200, good.text
    items = good.json()["items"]
    assert [(i["status"], i["progress"]) for i in items[:3]] == [
        ("in_progress", 40),
        ("planned", 10),
        ("done", 100),
    ]


def test_kpi_bands_as_pekppp_counts_them():
    from core.plans.kpi import indicator_8, indicator_9, months_between
    from core.plans.overview import due_on

    assert indicator_8(0, 0, False, False) == "Tidak ada RTL"
    assert indicator_8(4, 0, False, False) == "Belum dilaksanakan"
    assert indicator_8(4, 0, True, False) == "< 30 %"  # begun, nothing done yet
    assert indicator_8(4, 1, True, False) == "< 30 %"
    assert indicator_8(10, 3, True, False) == "30–80 %"  # 30 % opens the band
    assert indicator_8(5, 4, True, False) == "30–80 %"  # 80 % is still in the band
    assert indicator_8(10, 9, True, False) == "> 80 %"
    assert indicator_8(3, 3, True, False) == "> 80 %"  # complete, but no follow-up report
    assert indicator_8(3, 3, True, True) == "100 % dengan laporan"
    assert indicator_8(3, 2, True, True) == "30–80 %"  # a report does not complete a plan
    assert months_between(date(2026, 1, 15), date(2026, 2, 15)) == 1
    assert months_between(date(2026, 1, 15), date(2026, 2, 16)) == 2
    assert months_between(date(2026, 1, 15), date(2026, 1, 10)) == 0
    assert [indicator_9(m) for m in (None, 0, 1, 2, 3, 4, 6, 7, 9, 10, 12, 13)] == [
        "Tidak pernah", "≤ 1 bulan", "≤ 1 bulan", "≤ 3 bulan", "≤ 3 bulan", "≤ 6 bulan",
        "≤ 6 bulan", "≤ 9 bulan", "≤ 9 bulan", "≤ 12 bulan", "≤ 12 bulan", "Tidak pernah",
    ]  # fmt: skip
    item = {"due_date": None, "quarter": "I"}
    assert due_on(item, date(2026, 3, 31)) == date(2026, 3, 31)
    assert due_on(item, date(2026, 9, 30)) == date(2027, 3, 31)  # the next TW I after the cycle
    assert due_on({"due_date": date(2027, 2, 1), "quarter": ""}, date(2026, 9, 30)) == date(2027, 2, 1)
