"""The Laporan Hasil Tindak Lanjut (PDF/DOCX by the report worker), its place in the next SKM
report, and the KPIs that read the publication register and the report."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from docx import Document

from core import pdf
from core.accounts.policy import Actor
from core.db import atomic
from core.jobs.outbox import OutboxJob
from core.reports.content import cycle_report_content
from core.reports.follow_up import follow_up_content
from core.reports.follow_up_docs import follow_up_html
from core.reports.publications import PublicationIn, insert_publication
from core.reports.render import report_document
from core.reports.tables import ReportJob
from core.reports.word import report_docx
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.tables import SurveyCycle
from tests.conftest import bearer
from tests.integration.test_plans import _drafted, _held_forum, make_world
from tests.integration.test_reports import run_pending

PHOTO = base64.b64decode(  # a real 1×1 PNG: the documents print evidence photos
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
async def world(db, hooks) -> dict:
    return await make_world(hooks)


async def _published_plan(client, headers, cycle_id, hooks, settings) -> dict:
    plan = await _drafted(client, headers, cycle_id, hooks, settings)
    forum_id, agreement = await _held_forum(cycle_id)
    url = f"/api/v1/plans/{plan['id']}"
    assert (
        await client.post(f"{url}/discuss", json={"forum": forum_id}, headers=headers)
    ).status_code == 200
    first = plan["items"][0]["id"]
    await client.post(
        f"/api/v1/plan-items/{first}/agreements", json={"agreement": agreement}, headers=headers
    )
    response = await client.post(f"{url}/publish", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _kpi(client, headers) -> dict:
    response = await client.get("/api/v1/units/PKM-A/follow-up?year=2026", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _publish_skm(cycle_id: int, on: date) -> None:
    unit = (await SurveyCycle.select(SurveyCycle.unit).where(SurveyCycle.id == cycle_id).first())[
        "unit"
    ]
    async with atomic():
        await insert_publication(
            Actor.system(),
            cycle_id,
            unit,
            PublicationIn(media="website", date=on, url="https://pkm-a.contoh.go.id/skm"),
        )


async def test_follow_up_report_and_the_kpis_it_completes(client, world, hooks, settings):
    opr = await bearer(client, "opr")
    cycle_id = world["cycle"]
    plan = await _published_plan(client, opr, cycle_id, hooks, settings)
    items = [i for i in plan["items"] if i["parent"] is None]
    kpi = await _kpi(client, opr)
    assert (kpi["items"], kpi["done"], kpi["indicator_8"]) == (len(items), 0, "Belum dilaksanakan")
    assert kpi["indicator_9"] == "Tidak pernah" and kpi["published_on"] is None

    # The register, not the audit log, says when the SKM report was published (earliest entry).
    await _publish_skm(cycle_id, date(2026, 12, 20))
    await _publish_skm(cycle_id, date(2026, 12, 15))
    first = items[0]
    await client.post(f"/api/v1/plan-items/{first['id']}/evidence", headers=opr,
                      files={"file": ("toilet.png", io.BytesIO(PHOTO), "image/png")},
                      data={"milestone_on": "2027-01-20", "title": "Toilet selesai direnovasi"})  # fmt: skip
    await client.post(f"/api/v1/plan-items/{first['id']}/evidence", headers=opr,
                      json={"url": "https://contoh.id/berita-toilet", "title": "Berita"})  # fmt: skip
    for item in items:
        response = await client.patch(f"/api/v1/plan-items/{item['id']}", headers=opr,
                                      json={"status": "done", "realised_on": "2027-03-15"})  # fmt: skip
        assert response.status_code == 200, response.text
    kpi = await _kpi(client, opr)
    assert kpi["percent_done"] == 100 and kpi["months_to_complete"] == 3
    assert kpi["published_on"] == "2026-12-15" and kpi["indicator_9"] == "≤ 3 bulan"
    assert kpi["indicator_8"] == "> 80 %" and not kpi["with_report"]  # no report yet

    draft_plan = await client.post(
        f"/api/v1/plans/{plan['id'] + 999}/follow-up-report", headers=opr
    )
    assert draft_plan.status_code == 404
    asked = await client.post(f"/api/v1/plans/{plan['id']}/follow-up-report", headers=opr)
    assert asked.status_code == 202, asked.text
    job_id = asked.json()["job"]
    await run_pending(hooks, settings)
    job = (await client.get(f"/api/v1/jobs/{job_id}", headers=opr)).json()
    formats = {a["format"]: a for a in job["artifacts"]}
    assert job["status"] == ("done" if pdf.pdf_available() else "failed"), job
    assert ("pdf" in formats) == pdf.pdf_available() and "docx" in formats
    word = Document(io.BytesIO((await client.get(formats["docx"]["url"], headers=opr)).content))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "LAPORAN HASIL TINDAK LANJUT" in text and "NIP" in text
    assert "Toilet selesai direnovasi" in cells and "https://contoh.id/berita-toilet" in cells
    content = await follow_up_content(cycle_id, settings.data_dir)
    sha = next(e["sha256"] for e in content.items[0].evidence if e["filename"])
    assert len(sha) == 64 and sha in cells and "Kesepakatan 1: Toilet diperbaiki" in text
    assert "15-12-2026" in cells and "3 bulan (≤ 3 bulan)" in cells
    html = follow_up_html(content)
    assert sha in html and "Uraian Pelaksanaan per Kegiatan" in html
    assert 'class="evidence-photo" src="data:image/png;base64,' in html
    assert len(word.inline_shapes) == 1  # the photo, not the link
    # Unchanged data: the same job; the SKM report's own history does not list it.
    again = await client.post(f"/api/v1/plans/{plan['id']}/follow-up-report", headers=opr)
    assert again.json()["job"] == job_id
    assert await OutboxJob.count().where(OutboxJob.kind == "report.render") == 1

    if pdf.pdf_available():
        kpi = await _kpi(client, opr)
        assert kpi["indicator_8"] == "100 % dengan laporan" and kpi["with_report"]


async def test_skm_report_prints_the_plan_and_appends_the_previous_follow_up(
    client, world, hooks, settings
):
    opr = await bearer(client, "opr")
    cycle_id = world["cycle"]
    system = Actor.system()
    before = await cycle_report_content(system, settings, hooks, cycle_id)
    assert before.plan is None and before.previous_follow_up is None
    plan = await _published_plan(client, opr, cycle_id, hooks, settings)
    content = await cycle_report_content(system, settings, hooks, cycle_id)
    assert content.plan is not None and content.plan.columns[0] == "No"
    assert (
        content.plan.rows[0][1] == "U8 Sarana dan Prasarana" and "Diumumkan" in content.plan.summary
    )
    assert content.fingerprint() != before.fingerprint()
    html = report_document(content)
    assert "Tabel 4.1 Rencana Tindak Lanjut" in html and "rencana belum tercatat" not in html
    word = Document(io.BytesIO(report_docx(content)))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert "Tabel 4.1 Rencana Tindak Lanjut" in "\n".join(p.text for p in word.paragraphs)
    assert {"Prioritas unsur", "U8 Sarana dan Prasarana"} <= cells

    nxt = await create_cycle(
        system, hooks, CycleIn(unit="PKM-A", period_type="tw2", year=2026, population=40)
    )
    await open_cycle(system, hooks, nxt)
    for _ in range(3):
        await enter_response(system, nxt, ResponseIn(answers={f"U{u}": 3 for u in range(1, 10)}))
    await close_cycle(system, hooks, nxt, "Tes: siklus ditutup sebelum sampel minimum")
    # No follow-up report was made for the earlier plan yet: nothing to append.
    assert (await cycle_report_content(system, settings, hooks, nxt)).previous_follow_up is None
    await client.post(f"/api/v1/plans/{plan['id']}/follow-up-report", headers=opr)
    await run_pending(hooks, settings)
    if not pdf.pdf_available():
        return  # the job fails without Pango; the report counts only a finished one
    later = await cycle_report_content(system, settings, hooks, nxt)
    assert later.previous_follow_up is not None and later.previous_follow_up.cycle_id == cycle_id
    assert later.plan is None
    asked = await client.post(f"/api/v1/cycles/{nxt}/report", headers=opr)
    await run_pending(hooks, settings)
    job = (await client.get(f"/api/v1/jobs/{asked.json()['job']}", headers=opr)).json()
    docx = next(a for a in job["artifacts"] if a["format"] == "docx")
    word = Document(io.BytesIO((await client.get(docx["url"], headers=opr)).content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Lampiran 5. Laporan Hasil Tindak Lanjut Periode Sebelumnya" in text
    assert "Uraian Pelaksanaan per Kegiatan" in text


async def test_plan_page_asks_for_the_follow_up_report_and_links_its_files(
    client, world, hooks, settings
):
    from tests.conftest import csrf_token, login
    from tests.factories import PASSWORD

    opr = await bearer(client, "opr")
    cycle_id = world["cycle"]
    plan = await _drafted(client, opr, cycle_id, hooks, settings)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}/rtl")
    assert "Laporan hasil tindak lanjut" not in page.text  # a draft has nothing to report
    token = await csrf_token(client, f"/cycles/{cycle_id}/rtl")
    early = await client.post(
        f"/plans/{plan['id']}/laporan-tindak-lanjut", data={"_csrf_token": token}
    )
    assert early.status_code == 422 and "setelah rencana diumumkan" in early.text
    assert await OutboxJob.count().where(OutboxJob.kind == "report.render") == 0

    plan = await _published_plan(client, opr, cycle_id, hooks, settings)
    response = await client.post(
        f"/plans/{plan['id']}/laporan-tindak-lanjut",
        data={"_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    waiting = await client.get(f"/cycles/{cycle_id}/rtl")
    assert "Dalam antrean" in waiting.text and 'http-equiv="refresh"' in waiting.text
    await run_pending(hooks, settings)
    done = await client.get(f"/cycles/{cycle_id}/rtl")
    job_id = (await ReportJob.select(ReportJob.id).where(ReportJob.kind == "follow_up").first())[
        "id"
    ]
    jobs = (await client.get(f"/api/v1/jobs/{job_id}", headers=opr)).json()
    assert jobs["kind"] == "follow_up"
    assert f"/laporan/berkas/{jobs['id']}/docx" in done.text
    download = await client.get(f"/laporan/berkas/{jobs['id']}/docx")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    # The SKM report page's history does not list the follow-up report.
    report_page = await client.get(f"/cycles/{cycle_id}/laporan")
    assert f"/laporan/berkas/{jobs['id']}/" not in report_page.text
