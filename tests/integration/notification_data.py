"""Builders for the notification tests: a forum world with invitees, the e-mail file sink, running
the outbox as the worker does, and a channel plugin that fails on demand."""

from __future__ import annotations

import email
from datetime import datetime, timedelta, timezone
from email import policy
from typing import Any

from core.accounts.policy import Actor
from core.accounts.service import actor_for_user, create_user
from core.forums import service as forums
from core.forums.schemas import ForumIn, InvitationsIn, StakeholderIn
from core.forums.stakeholders import create_stakeholder
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from core.notifications.tables import Delivery
from core.plugin_api import NotificationChannel, OutgoingMessage, hookimpl
from tests.factories import PASSWORD, make_unit

WIB = timezone(timedelta(hours=7))
THURSDAY_10_DEC = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)


def read_mail(folder) -> list[email.message.EmailMessage]:
    """The .eml files the e-mail sink wrote, in name order."""
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


async def run_jobs(handlers: dict[str, Any]) -> list[BaseException]:
    """Run every unfinished outbox job (and those they queue) once each, as the worker would."""
    tried: set[int] = set()
    errors: list[BaseException] = []
    while True:
        rows = await OutboxJob.select(OutboxJob.id).where(OutboxJob.done_at.is_null())
        pending = [r["id"] for r in rows if r["id"] not in tried]
        if not pending:
            return errors
        for job_id in sorted(pending):
            tried.add(job_id)
            try:
                await run_job(job_id, handlers)
            except Exception as exc:  # the worker would retry it later
                errors.append(exc)


class World:
    """A unit, an organiser (creator), an operator of the unit, stakeholders and a forum."""

    def __init__(self) -> None:
        self.organizer: Actor
        self.operator_id: int
        self.people: dict[str, int] = {}
        self.forum_id: int


async def make_world(start: datetime = THURSDAY_10_DEC, capacity: int | None = None) -> World:
    """PKM-A, its organiser and operator, three stakeholders (one without consent) invited to a draft forum."""
    world = World()
    await make_unit("PKM-A", "puskesmas")
    system = Actor.system()
    organizer_id = await create_user(
        system, "panitia", "organizer", PASSWORD, full_name="Bu Panitia", email="panitia@pemda.id"
    )
    world.organizer = await actor_for_user(organizer_id)  # type: ignore[assignment]
    world.operator_id = await create_user(
        system, "petugas", "operator", PASSWORD, ("PKM-A",), full_name="Pak Petugas"
    )
    for name, group, consent, phone in (
        ("Ani", "pengguna_layanan", True, "0811 1111 1111"),
        ("Budi", "akademisi", True, ""),
        ("Citra", "media", False, "0811 2222 2222"),  # withdrew consent
    ):
        out = await create_stakeholder(
            system,
            StakeholderIn(
                name=name,
                group=group,
                email=f"{name.lower()}@contoh.id",
                phone=phone,
                consent=consent,
                units=["PKM-A"],
            ),
        )
        world.people[name] = out.id
    world.forum_id = await forums.create_forum(
        world.organizer,
        ForumIn(
            title="Standar Pelayanan Puskesmas A",
            purpose="standar_pelayanan",
            units=["PKM-A"],
            format="tatap_muka",
            venue="Aula Puskesmas",
            start=start,
            end=start + timedelta(hours=3),
            capacity=capacity,
        ),
    )
    await forums.invite(
        world.organizer, world.forum_id, InvitationsIn(stakeholders=list(world.people.values()))
    )
    return world


async def deliveries(**where: str) -> list[dict[str, Any]]:
    """Delivery rows matching the column values, in order."""
    query = Delivery.select().order_by(Delivery.id)
    for column, value in where.items():
        query = query.where(getattr(Delivery, column) == value)
    return await query


class Flaky:
    """A plugin with a channel that fails while ``broken`` is set, and counts what it sends."""

    def __init__(self) -> None:
        self.broken = True
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> None:
        if self.broken:
            raise ConnectionError("gateway tidak menjawab")
        self.sent.append(message)

    @hookimpl
    def suara_notification_channels(self) -> list[NotificationChannel]:
        return [NotificationChannel(code="rapuh", label="Kanal rapuh", send=self.send)]


async def deliver_some(hooks, settings) -> World:
    """A scheduled forum whose invitation jobs have run."""
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(default_handlers(hooks, settings))
    return world
