"""Demo follow-through for the inspectorate's matrix: a few units reported and published this
year's SKM result in one to five media of the publication register, agreed
an improvement plan (RTL) in a small FKP forum and carried part of it out, so the compliance
matrix shows every score from 0 to 5 with its evidence. Everything goes through the reports,
forums and plans services, at plausible moments after each cycle. A report takes a while to
render, so the demo queues one ``demo.follow_through`` job per story for the worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Actor
from core.clock import frozen_at, utcnow
from core.db import atomic, on_commit
from core.demo.days import at, office_day
from core.forums import service as forums
from core.forums.schemas import AgreementIn, AttendanceIn, ForumIn, InvitationsIn, MinutesIn
from core.forums.tables import Stakeholder
from core.hooks import Hooks
from core.jobs.outbox import enqueue
from core.plans.drafting import draft_plan
from core.plans.schemas import ItemPatch
from core.plans.service import discuss, publish, update_item
from core.plans.tables import ItemStatus, Plan, PlanItem
from core.reports.cycle_report import report_job_handlers, request_cycle_report
from core.reports.jobs import JOB_KIND as REPORT_JOB
from core.reports.publications import PublicationIn
from core.reports.review import finalise_report, record_publication
from core.reports.tables import Publication
from core.settings import Settings
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit


@dataclass(frozen=True)
class Story:
    """One unit's year: where its result was published, which groups came to its forum (none:
    no plan), how many plan items it finished (more than it has: all) and when (days after the
    plan's publication), and whether it started the last one."""

    unit: str
    media: tuple[str, ...]
    groups: tuple[str, ...] = ()
    done: int = 0
    started: bool = False
    done_after_days: int = 20


STORIES: tuple[Story, ...] = (
    Story(
        "DPMPTSP",
        ("cetak", "papan_pengumuman", "website", "media_sosial", "sippn"),
        ("pengguna_layanan", "akademisi", "instansi_terkait", "organisasi_masyarakat", "media"),
        done=99,
        done_after_days=12,
    ),
    Story(
        "KEC-MEKARSARI",
        ("cetak", "papan_pengumuman", "website", "media_sosial"),
        ("pengguna_layanan", "media"),
        done=2,
    ),
    Story("UPT-SAMSAT", ("cetak", "website", "aplikasi"), ("pengguna_layanan",), started=True),
    Story("SMPN1", ("papan_pengumuman", "cetak"), ("pengguna_layanan", "akademisi", "media")),
    Story("KEL-SUKAMAJU", ("website",)),
)
JOB_KIND = "demo.follow_through"
SYSTEM = Actor.system()
PJ = ("Kepala Seksi Pelayanan", "Kepala Seksi Pelayanan")


async def _latest_closed(unit_id: int, year: int) -> dict | None:
    return (
        await SurveyCycle.select(SurveyCycle.id, SurveyCycle.end_date, SurveyCycle.closed_at)
        .where(
            (SurveyCycle.unit == unit_id)
            & (SurveyCycle.year == year)
            & (SurveyCycle.status == CycleStatus.closed.value)
        )
        .order_by(SurveyCycle.end_date, ascending=False)
        .first()
    )


async def _forum(story: Story, cycle_id: int, day: date, zone: str) -> int:
    """A small held FKP forum on the cycle's follow-up, one person of each of the story's groups."""
    system = Actor.system()
    people = []
    for group in story.groups:
        row = await Stakeholder.select(Stakeholder.id).where(Stakeholder.group == group).first()
        people.append(row["id"])
    with frozen_at(at(day - timedelta(days=7), 10, 0, zone)):
        forum_id = await forums.create_forum(
            system,
            ForumIn(
                title=f"Forum Konsultasi Publik: tindak lanjut SKM {story.unit}",
                purpose="tindak_lanjut_skm",
                units=[story.unit],
                format="tatap_muka",
                venue="Ruang rapat kantor",
                start=at(day, 9, 0, zone),
                end=at(day, 11, 0, zone),
                cycle=cycle_id,
            ),
        )
        await forums.invite(system, forum_id, InvitationsIn(stakeholders=people))
        await forums.schedule_forum(system, forum_id)
    for n, person in enumerate(people):
        with frozen_at(at(day, 9, 5 + n, zone)):
            await forums.check_in(system, forum_id, AttendanceIn(stakeholder=person))
    with frozen_at(at(day, 11, 0, zone)):
        await forums.hold_forum(system, forum_id)
        await forums.add_agreement(
            system,
            forum_id,
            AgreementIn(
                text="Unit melaksanakan RTL hasil SKM dan melaporkan kemajuannya setiap triwulan.",
                owner_unit=story.unit,
                due_date=day + timedelta(days=90),
            ),
        )
        await forums.save_minutes(
            system,
            forum_id,
            MinutesIn(notulen="Peserta membahas unsur terendah dan menyepakati RTL."),
        )
        await forums.publish_minutes(system, forum_id)
    return forum_id


async def _plan(hooks: Hooks, story: Story, cycle_id: int, day: date, zone: str) -> None:
    """Draft, agree in the forum, publish, then carry out ``story.done`` items."""
    system = Actor.system()
    with frozen_at(at(day - timedelta(days=3), 10, 0, zone)):
        plan_id = await draft_plan(hooks, cycle_id, "system")
    forum_id = await _forum(story, cycle_id, day, zone)
    items = [
        r["id"]
        for r in await PlanItem.select(PlanItem.id)
        .where((PlanItem.plan == plan_id) & PlanItem.parent.is_null())
        .order_by(PlanItem.position)
    ]
    published = office_day(day + timedelta(days=1))
    with frozen_at(at(published, 10, 0, zone)):
        await discuss(system, plan_id, forum_id)
        for item in items:
            row = await PlanItem.select(PlanItem.program).where(PlanItem.id == item).first()
            await update_item(
                system,
                item,
                ItemPatch(
                    program=row["program"] or "Perbaikan layanan sesuai kesepakatan forum",
                    quarter="IV",
                    pj_name=PJ[0],
                    pj_position=PJ[1],
                ),
            )
        await publish(system, plan_id)
    finished = office_day(published + timedelta(days=story.done_after_days))
    for item in items[: story.done]:
        with frozen_at(at(finished, 14, 0, zone)):
            await update_item(
                system, item, ItemPatch(status=ItemStatus.done.value, realised_on=finished)
            )
    if story.started and items:
        with frozen_at(at(finished, 14, 0, zone)):
            await update_item(system, items[-1], ItemPatch(status=ItemStatus.in_progress.value))


def _story(unit: str) -> Story:
    return next(story for story in STORIES if story.unit == unit)


async def _after_report(settings: Settings, hooks: Hooks, story: Story, cycle_id: int) -> None:
    """Once the report is rendered and committed: finalise it, publish in the story's media (the
    first moves the cycle to published), then the forum and the plan."""
    zone = ZoneInfo(settings.timezone)
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    now = utcnow()
    day = office_day(min(row["closed_at"].astimezone(zone).date() + timedelta(days=7),
                         now.astimezone(zone).date()), step=-1)  # fmt: skip
    if row["status"] == CycleStatus.closed.value:
        with frozen_at(min(at(day, 9, 0, zone), now)):
            await finalise_report(SYSTEM, cycle_id)
    held = {r["media"] for r in await Publication.select(Publication.media).where(
        Publication.cycle == cycle_id)}  # fmt: skip
    for media in story.media:
        if media not in held:
            url = f"https://{story.unit.lower()}.contoh.go.id/skm/{row['year']}-{media}"
            with frozen_at(min(at(day, 10, 0, zone), now)):
                await record_publication(SYSTEM, settings, cycle_id, PublicationIn(media, day, url))
    if story.groups and not await Plan.exists().where(Plan.cycle == cycle_id):
        async with atomic():
            await _plan(hooks, story, cycle_id, office_day(day + timedelta(days=10)), zone.key)


async def follow_through_cycle(settings: Settings, hooks: Hooks, cycle_id: int, unit: str) -> None:
    """The ``demo.follow_through`` job (inside its transaction): render the cycle's report if it
    is still closed, then, after commit, the rest of the story. Safe to run twice."""
    story = _story(unit)
    row = await SurveyCycle.select(SurveyCycle.status).where(SurveyCycle.id == cycle_id).first()
    if row is None:
        return
    if row["status"] == CycleStatus.closed.value:
        job_id = await request_cycle_report(SYSTEM, settings, hooks, cycle_id)
        await report_job_handlers(hooks, settings)[REPORT_JOB]({"job": job_id})
    on_commit(lambda: _after_report(settings, hooks, story, cycle_id))


def follow_through_handler(
    hooks: Hooks, settings: Settings | None = None
) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """The outbox handler of ``demo.follow_through``."""

    async def handle(payload: dict[str, Any]) -> None:
        await follow_through_cycle(
            settings or Settings.from_env(), hooks, int(payload["cycle"]), str(payload["unit"])
        )

    return handle


async def seed_follow_through(today: date) -> int:
    """Queue STORIES on this year's latest closed cycle of each unit, when it closed long
    enough ago to show a follow-up (inside the seeding transaction); returns the jobs queued."""
    queued = 0
    for story in STORIES:
        unit = await Unit.select(Unit.id).where(Unit.code == story.unit).first()
        cycle = await _latest_closed(unit["id"], today.year)
        if cycle is None or cycle["closed_at"].date() >= today - timedelta(days=50):
            continue
        await enqueue(JOB_KIND, {"cycle": cycle["id"], "unit": story.unit})
        queued += 1
    return queued
