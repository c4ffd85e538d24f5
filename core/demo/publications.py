"""The demo publishes: reported and published cycles with their publication register, the saran a
unit picked for the public, and a published RTL with progress and evidence, all through the real
services (the report job renders the same documents the worker does).

Rendering a report takes seconds per cycle, so ``suara demo`` publishes the showcase puskesmas at
once and queues the other units' latest cycles as ``demo.publish`` jobs the worker runs in the
background (``make run`` starts it): the portal is never empty and fills within minutes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Actor
from core.clock import frozen_at, utcnow
from core.db import atomic, on_commit
from core.demo.days import at, office_day
from core.demo.follow_through import STORIES
from core.forums.tables import Forum, ForumStatus
from core.hooks import Hooks
from core.jobs.outbox import enqueue
from core.plans import evidence, service
from core.plans.drafting import draft_plan
from core.plans.schemas import ItemPatch
from core.plans.tables import PlanItem
from core.reports.cycle_report import report_job_handlers, request_cycle_report
from core.reports.jobs import JOB_KIND as REPORT_JOB
from core.reports.public_report import curate_saran
from core.reports.publications import PublicationIn
from core.reports.review import finalise_report, record_publication
from core.reports.saran_picks import SaranPick
from core.reports.tables import Publication
from core.settings import Settings
from core.surveys.tables import CycleStatus, Response, SurveyCycle
from core.units.tables import Unit

JOB_KIND = "demo.publish"
SHOWCASE = "PKM-SUKAMAJU"
UNPUBLISHED = frozenset({"DINSOS", "DISHUB", "KEC-TANJUNG"})
"""Units that surveyed this year but have not published yet: the overview lists them."""
STORY_UNITS = frozenset(story.unit for story in STORIES)
"""Units whose demo follow-through (``core.demo.follow_through``) publishes their cycle itself."""
PICKED_SARAN = (
    "Toilet kurang bersih, mohon lebih diperhatikan.",
    "Mohon diterapkan nomor antrean online agar tidak menunggu lama.",
    "Ruang tunggu panas, mohon ditambah kipas angin atau AC.",
    "Hasil tindak lanjut pengaduan sebaiknya diumumkan di papan informasi.",
)
ACTIONS: dict[str, tuple[str, str, str, str]] = {
    # unsur: program, penanggung jawab, evidence link, its title
    "U9": (
        "Membuka kanal pengaduan WhatsApp yang dibalas di hari kerja",
        "Koordinator Pengaduan",
        "https://pkm-sukamaju.contoh.go.id/pengaduan",
        "Pengumuman kanal pengaduan WhatsApp",
    ),
    "U3": (
        "Menambah loket pendaftaran pagi dan nomor antrean daring",
        "Kepala Tata Usaha",
        "https://pkm-sukamaju.contoh.go.id/antrean-daring",
        "Pengumuman nomor antrean daring",
    ),
    "U8": (
        "Renovasi toilet dan jadwal kebersihan harian",
        "Pengurus Barang",
        "https://pkm-sukamaju.contoh.go.id/sarana",
        "Foto toilet setelah renovasi",
    ),
}
"""What the showcase does about its weakest unsur; the first item is done, the second under way."""
SYSTEM = Actor.system()


async def _closed(unit_code: str, year: int) -> list[dict[str, Any]]:
    return (
        await SurveyCycle.select(SurveyCycle.id, SurveyCycle.closed_at, SurveyCycle.status)
        .where(
            (SurveyCycle.unit.code == unit_code)
            & (SurveyCycle.year == year)
            & (SurveyCycle.status == CycleStatus.closed.value)
        )
        .order_by(SurveyCycle.start_date)
    )


async def publish_cycle(settings: Settings, hooks: Hooks, cycle_id: int) -> None:
    """Report (render now), finalise and record a website publication of a closed cycle.

    Call inside ``atomic()``: the report job is created and claimed in it (so no worker renders
    it twice) and everything after the render runs once it commits. A cycle past *closed* is
    left alone, so the job may run twice.
    """
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    if row is None or row["status"] != CycleStatus.closed.value:
        return
    job_id = await request_cycle_report(SYSTEM, settings, hooks, cycle_id)
    await report_job_handlers(hooks, settings)[REPORT_JOB]({"job": job_id})
    zone = ZoneInfo(settings.timezone)
    closed = (row["closed_at"] or utcnow()).astimezone(zone).date()
    today = utcnow().astimezone(zone).date()
    recorded = (
        await Publication.select(Publication.published_on)
        .where(Publication.cycle == cycle_id)
        .order_by(Publication.published_on)
        .first()
    )  # the follow-through stories' register
    latest = recorded["published_on"] - timedelta(days=1) if recorded else today
    day = office_day(min(closed + timedelta(days=14), today, latest), step=-1)
    unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()

    async def finish() -> None:
        with frozen_at(min(at(day, 9, 0, zone), utcnow())):
            await finalise_report(SYSTEM, cycle_id)
        with frozen_at(min(at(day, 10, 0, zone), utcnow())):
            url = f"https://{unit['code'].lower()}.contoh.go.id/skm/{row['year']}-{row['period_type']}"
            await record_publication(SYSTEM, settings, cycle_id, PublicationIn("website", day, url))

    on_commit(finish)


def publish_handler(
    hooks: Hooks, settings: Settings | None = None
) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """The outbox handler of ``demo.publish``."""

    async def handle(payload: dict[str, Any]) -> None:
        await publish_cycle(settings or Settings.from_env(), hooks, int(payload["cycle"]))

    return handle


async def _pick_saran(settings: Settings, hooks: Hooks, cycle_id: int) -> None:
    rows = (
        await Response.select(Response.id, Response.saran)
        .where((Response.cycle == cycle_id) & Response.saran.is_in(list(PICKED_SARAN)))
        .order_by(Response.id)
    )
    first: dict[str, int] = {}
    for r in rows:
        first.setdefault(r["saran"], r["id"])
    picks = [SaranPick(response=first[text], text=text) for text in PICKED_SARAN if text in first]
    await curate_saran(SYSTEM, settings, hooks, cycle_id, picks)


async def _plan(hooks: Hooks, cycle_id: int, today: date, zone: ZoneInfo) -> None:
    """The showcase's RTL: drafted from the cycle, agreed in its held forum, published, under way."""
    forum = (
        await Forum.select(Forum.id, Forum.start_at)
        .where((Forum.cycle == cycle_id) & (Forum.status == ForumStatus.minutes_published.value))
        .first()
    )
    if forum is None:
        return
    async with atomic():
        plan_id = await draft_plan(hooks, cycle_id, "operator")
    items = (
        await PlanItem.select(PlanItem.id, PlanItem.parent, PlanItem.unsur_code)
        .where(PlanItem.plan == plan_id)
        .order_by(PlanItem.position)
    )
    held = forum["start_at"].astimezone(zone).date()
    for item in items:
        program, position, _, _ = ACTIONS.get(item["unsur_code"], ("", "Kepala Puskesmas", "", ""))
        patch = ItemPatch(
            quarter="I", pj_position=position, **({"program": program} if program else {})
        )
        await service.update_item(SYSTEM, item["id"], patch)
    with frozen_at(at(office_day(held + timedelta(days=2)), 10, 0, zone)):
        await service.discuss(SYSTEM, plan_id, forum["id"])
        await service.publish(SYSTEM, plan_id)
    done_on = office_day(min(held + timedelta(days=30), today), step=-1)
    top = [i for i in items if i["parent"] is None]
    for n, item in enumerate(top[:2]):
        patch = ItemPatch(status="done", progress=100, realised_on=done_on) if n == 0 else (
            ItemPatch(status="in_progress", progress=50))  # fmt: skip
        await service.update_item(SYSTEM, item["id"], patch)
        _, _, url, title = ACTIONS.get(item["unsur_code"], ("", "", "", ""))
        if url:
            await evidence.add_link(SYSTEM, item["id"], url, done_on, title)


async def seed_publications(settings: Settings, hooks: Hooks, today: date) -> int:
    """Publish the showcase puskesmas now (its latest cycle, picked saran, its RTL) and queue its
    earlier cycles of this year and the latest closed cycle of this year of the other units but
    those left unpublished and those with a follow-through story; returns the cycles queued."""
    zone = ZoneInfo(settings.timezone)
    showcase = await _closed(SHOWCASE, today.year)
    if showcase:
        latest = showcase[-1]["id"]
        async with atomic():
            await publish_cycle(settings, hooks, latest)
        await _pick_saran(settings, hooks, latest)
        await _plan(hooks, latest, today, zone)
    queued = [c["id"] for c in showcase[:-1]]
    skipped = [SHOWCASE, *UNPUBLISHED, *STORY_UNITS]
    for unit in await Unit.select(Unit.code).where(Unit.code.not_in(skipped)):
        cycles = await _closed(unit["code"], today.year)
        queued += [cycles[-1]["id"]] if cycles else []
    async with atomic():
        for cycle_id in queued:
            await enqueue(JOB_KIND, {"cycle": cycle_id})
    return len(queued)
