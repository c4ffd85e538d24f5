"""Demo follow-through for the inspectorate's matrix: a few units published this year's SKM
result in some media, agreed an improvement plan (RTL) in a small FKP forum and carried part of
it out, so the compliance matrix shows every score from 0 to 5 with its evidence. Everything
goes through the reports, forums and plans services, at plausible moments after each cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.accounts.policy import Actor
from core.clock import frozen_at
from core.demo.days import at, office_day
from core.forums import service as forums
from core.forums.schemas import AgreementIn, AttendanceIn, ForumIn, InvitationsIn, MinutesIn
from core.forums.tables import Stakeholder
from core.hooks import Hooks
from core.plans.drafting import draft_plan
from core.plans.schemas import ItemPatch
from core.plans.service import discuss, publish, update_item
from core.plans.tables import ItemStatus, Plan, PlanItem
from core.reports.publications import PublicationIn, insert_publication
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


async def seed_follow_through(hooks: Hooks, today: date, zone: str = "Asia/Jakarta") -> int:
    """Publications, forums and plans of STORIES for this year's latest closed cycle of each
    unit; a cycle that already has a plan keeps it. Returns the number of plans written."""
    system = Actor.system()
    written = 0
    for story in STORIES:
        unit = await Unit.select(Unit.id).where(Unit.code == story.unit).first()
        cycle = await _latest_closed(unit["id"], today.year)
        if cycle is None:
            continue
        published_on = office_day(cycle["closed_at"].date() + timedelta(days=7))
        if published_on >= today - timedelta(days=40):
            continue  # too recent to show a follow-up
        with frozen_at(at(published_on, 15, 0, zone)):
            for media in story.media:
                url = f"https://{story.unit.lower()}.contoh.go.id/skm/{media}"
                await insert_publication(
                    system, cycle["id"], unit["id"], PublicationIn(media, published_on, url)
                )
        if story.groups and not await Plan.exists().where(Plan.cycle == cycle["id"]):
            day = office_day(published_on + timedelta(days=10))
            await _plan(hooks, story, cycle["id"], day, zone)
            written += 1
    return written
