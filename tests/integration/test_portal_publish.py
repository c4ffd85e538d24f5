"""The unit page shows the published RTL and service standards, the public report PDF (no saran
text unless the unit picked it) and the caches follow; HEAD answers like GET without a body."""

from __future__ import annotations

from datetime import date

import pytest

from core.accounts.policy import Actor
from core.db import atomic
from core.plans import evidence, service
from core.plans.drafting import draft_plan
from core.plans.schemas import ItemPatch
from core.plans.tables import PlanItem
from core.reports.cycle_report import request_cycle_report
from core.reports.public_report import KIND as PUBLIC_KIND
from core.reports.public_report import public_content, queue_missing_public_reports
from core.reports.publications import PublicationIn
from core.reports.render import report_document
from core.reports.review import finalise_report, record_publication
from core.reports.tables import ReportArtifact, ReportJob
from core.surveys.tables import Response
from core.units.schemas import StandardIn
from core.units.standards import save_standard
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user
from tests.integration.test_plans import SARAN, _cycle, _held_forum
from tests.integration.test_reports import run_pending

SYSTEM = Actor.system()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NAMED = "Petugas loket judes"  # one of SARAN: names a person's manner, never published as is


@pytest.fixture
async def cycle(db, hooks) -> int:
    await make_unit("PKM-A", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    return await _cycle(hooks)


async def _publish(hooks, settings, cycle_id: int) -> None:
    """Report, finalise and record the first publication, then run the jobs it queued."""
    await request_cycle_report(SYSTEM, settings, hooks, cycle_id)
    await run_pending(hooks, settings)
    await finalise_report(SYSTEM, cycle_id)
    data = PublicationIn(media="website", date=date(2026, 4, 10), url="https://pkm.example.id/skm")
    await record_publication(SYSTEM, settings, cycle_id, data)
    while await run_pending(hooks, settings):
        pass


async def _published_plan(hooks, settings, cycle_id: int) -> int:
    async with atomic():
        plan_id = await draft_plan(hooks, cycle_id, "opr")
    items = await PlanItem.select().where(PlanItem.plan == plan_id).order_by(PlanItem.position)
    for n, item in enumerate(items):
        patch = ItemPatch(program=f"Kegiatan {n + 1}", quarter="II", pj_name="Kepala TU")
        await service.update_item(SYSTEM, item["id"], patch)
    first = items[0]["id"]
    await service.update_item(SYSTEM, first, ItemPatch(status="in_progress", progress=60))
    await evidence.add_link(SYSTEM, first, "https://pkm.example.id/toilet", None, "Foto toilet")
    await evidence.add_file(
        SYSTEM, first, "bukti.png", PNG, date(2026, 5, 2), "Nota", data_dir=settings.data_dir
    )
    forum_id, _ = await _held_forum(cycle_id)
    await service.discuss(SYSTEM, plan_id, forum_id)
    return plan_id


async def test_unit_page_shows_the_published_plan_without_saran_text(
    client, cycle, hooks, settings
):
    plan_id = await _published_plan(hooks, settings, cycle)
    before = await client.get("/transparansi/unit/PKM-A")
    assert 'id="no-plan"' in before.text  # discussed, not published yet: not shown
    await service.publish(SYSTEM, plan_id)
    page = await client.get(
        "/transparansi/unit/PKM-A", headers={"If-None-Match": before.headers["etag"]}
    )
    assert page.status_code == 200, "publishing a plan makes the cached page stale"
    items = page.text.split('id="plan-items"')[1].split("</ol>")[0]
    assert "Kegiatan 1" in items and "Sedang berjalan" in items and 'value="60"' in items
    assert "Sarana dan Prasarana" in items and "saran warga tentang hal ini" in items
    assert 'href="https://pkm.example.id/toilet"' in items
    assert not any(text in page.text for text in SARAN)
    evidence_id = int(items.split("/transparansi/unit/PKM-A/bukti/")[1].split('"')[0])
    stored = await client.get(f"/transparansi/unit/PKM-A/bukti/{evidence_id}")
    assert stored.status_code == 200 and stored.content == PNG
    assert (await client.get(f"/transparansi/unit/PKM-B/bukti/{evidence_id}")).status_code == 404

    body = (await client.get("/api/v1/public/units/PKM-A")).json()
    plan = body["plan"]
    assert plan["id"] == plan_id and plan["status"] == "published"
    first = plan["items"][0]
    assert first["progress"] == 60 and first["saran_count"] >= 1 and "saran" not in first
    assert {e["url"] for e in first["evidence"]} == {
        "https://pkm.example.id/toilet",
        f"/transparansi/unit/PKM-A/bukti/{evidence_id}",
    }
    public = await client.get("/publik/unit/PKM-A/tindak-lanjut")
    assert "Kegiatan 1" in public.text and not any(text in public.text for text in SARAN)
    csv = (await client.get("/data-terbuka/rencana-tindak-lanjut.csv")).content.decode()
    assert "Kegiatan 1" in csv and ",in_progress,60," in csv
    assert not any(text in csv for text in SARAN)
    bundle = (await client.get("/data-terbuka/suara-data-terbuka.json")).json()
    assert {row["kegiatan"] for row in bundle["plans"]} >= {"Kegiatan 1"}
    home = (await client.get("/transparansi")).text
    plans = home.split('id="plans"')[1].split("</section>")[0]
    assert "Unit PKM-A" in plans and "/transparansi/unit/PKM-A#listen" in plans


async def test_only_set_standards_show_their_delivery_components(client, cycle):
    await make_unit("PKM-S", "puskesmas", services=("UMUM", "GIGI"))
    components = {"persyaratan": "KTP atau kartu BPJS", "dasar_hukum": "Perbup 1/2026"}
    await save_standard(
        SYSTEM, "PKM-S", "UMUM", StandardIn(components=components, set_on=date(2026, 2, 1))
    )
    await save_standard(
        SYSTEM, "PKM-S", "GIGI", StandardIn(components={"persyaratan": "Draf rahasia"})
    )
    page = (await client.get("/transparansi/unit/PKM-S")).text
    standards = page.split('id="standards"')[1].split("</section>")[0]
    assert "KTP atau kartu BPJS" in standards and "Persyaratan" in standards
    assert "Perbup 1/2026" not in standards  # a management component: internal
    assert "Draf rahasia" not in page  # not set yet
    empty = (await client.get("/transparansi/unit/PKM-A")).text
    assert "Standar pelayanan unit ini belum ditetapkan" in empty


async def test_staff_pick_saran_and_the_public_report_quotes_only_those(
    client, cycle, hooks, settings
):
    await _publish(hooks, settings, cycle)
    page = await client.get("/transparansi/unit/PKM-A")
    assert f"/transparansi/unit/PKM-A/laporan/{cycle}.pdf" in page.text
    assert 'id="published-saran"' not in page.text
    pdf = await client.get(f"/transparansi/unit/PKM-A/laporan/{cycle}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"].startswith("application/pdf")
    document = report_document(await public_content(settings, hooks, cycle))
    assert "Versi publik" in document and not any(text in document for text in SARAN)

    trend = page.text.split('id="trend-table"')[1].split("</table>")[0]
    assert f"/transparansi/unit/PKM-A/laporan/{cycle}.pdf" in trend
    await login(client, "opr", PASSWORD)
    path = f"/cycles/{cycle}/laporan/saran-publik"
    form_page = await client.get(path)
    assert NAMED in form_page.text
    rows = await Response.select(Response.id, Response.saran).where(Response.cycle == cycle)
    ids = {r["saran"]: r["id"] for r in rows}
    token = await csrf_token(client, path)
    toilet, loket = ids["toliet kotor, tolong dibersihkan"], ids[NAMED]
    bad = await client.post(
        path, data={"_csrf_token": token, "pick": [str(toilet), str(loket)], f"text-{loket}": " "}
    )
    assert bad.status_code == 422 and "teks saran wajib diisi" in bad.text
    assert f'id="e-text-{loket}"' in bad.text
    saved = await client.post(
        path,
        data={
            "_csrf_token": token,
            "pick": [str(toilet), str(loket)],
            f"text-{toilet}": "Toilet kotor, tolong dibersihkan",
            f"text-{loket}": "Petugas loket kurang ramah",
            f"text-{ids[SARAN[0]]}": "tidak dicentang, tidak dipublikasikan",
        },
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    while await run_pending(hooks, settings):
        pass
    client.cookies.clear()
    stale = await client.get(
        "/transparansi/unit/PKM-A", headers={"If-None-Match": page.headers["etag"]}
    )
    assert stale.status_code == 200, "picked saran make the cached page stale"
    public = stale.text
    quoted = public.split('id="published-saran"')[1].split("</ul>")[0]
    assert "Toilet kotor, tolong dibersihkan" in quoted and "Petugas loket kurang ramah" in quoted
    assert NAMED not in public and "tidak dicentang" not in public
    document = report_document(await public_content(settings, hooks, cycle))
    assert "Petugas loket kurang ramah" in document and NAMED not in document
    assert "Antriannya lama sekali" not in document
    newer = await client.get(f"/transparansi/unit/PKM-A/laporan/{cycle}.pdf")
    assert newer.status_code == 200 and newer.headers["etag"] != pdf.headers["etag"]


async def test_saran_of_another_cycle_or_an_open_one_is_refused(client, cycle, hooks):
    from core.errors import Conflict, ValidationFailed
    from core.reports.saran_picks import SaranPick, save_picks
    from tests.integration.portal_data import answered_cycle

    other = await answered_cycle(hooks, "PKM-A", [4, 4], period="tw2")
    theirs = await Response.select(Response.id).where(Response.cycle == other).first()
    with pytest.raises(ValidationFailed) as refused:
        await save_picks(SYSTEM, cycle, [SaranPick(response=theirs["id"], text="x")])
    assert [e.field for e in refused.value.errors] == ["picks[0].response"]
    with pytest.raises(Conflict):
        await save_picks(SYSTEM, other, [SaranPick(response=theirs["id"], text="x")])


@pytest.mark.parametrize(
    "path",
    ["/data-terbuka/hasil-skm.csv", "/data-terbuka/suara-data-terbuka.json", "/transparansi"],
)
async def test_head_answers_like_get_without_a_body(client, cycle, path):
    got = await client.get(path)
    head = await client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


async def test_the_api_lists_and_replaces_the_picked_saran(client, cycle):
    from tests.integration.test_reports import token

    await make_user("insp", "inspector")
    path = f"/api/v1/cycles/{cycle}/published-saran"
    opr = await token(client, "opr")
    listed = (await client.get(path, headers=opr)).json()
    assert {row["saran"] for row in listed} == set(SARAN)
    assert all(row["published"] is None for row in listed)
    first = listed[0]["response"]
    bad = await client.put(path, headers=opr, json={"picks": [{"response": 0, "text": ""}]})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"picks[0].response", "picks[0].text"}
    denied = await client.put(path, headers=await token(client, "insp"), json={"picks": []})
    assert denied.status_code == 403
    saved = await client.put(path, headers=opr, json={"picks": [{"response": first, "text": "X"}]})
    assert saved.status_code == 200 and saved.json() == {"count": 1}
    again = {
        row["response"]: row["published"] for row in (await client.get(path, headers=opr)).json()
    }
    assert again[first] == "X" and sum(v is not None for v in again.values()) == 1


async def test_a_cycle_published_before_public_reports_gets_one_from_the_backfill(
    client, cycle, hooks, settings
):
    await _publish(hooks, settings, cycle)
    # As published before the public report existed: no public job, no request in the outbox.
    jobs = ReportJob.select(ReportJob.id).where(ReportJob.kind == PUBLIC_KIND)
    await ReportArtifact.delete().where(ReportArtifact.job.is_in(jobs))
    await ReportJob.delete().where(ReportJob.kind == PUBLIC_KIND)
    pdf_path = f"/transparansi/unit/PKM-A/laporan/{cycle}.pdf"
    assert (await client.get(pdf_path)).status_code == 404
    assert await queue_missing_public_reports() == 1
    assert await queue_missing_public_reports() == 0  # its request waits in the outbox
    while await run_pending(hooks, settings):
        pass
    pdf = await client.get(pdf_path)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert await queue_missing_public_reports() == 0  # it has one now
