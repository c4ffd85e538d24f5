"""Notifications end to end: forum rules → outbox → notify → deliveries → channels, and the pages.

Jobs are run the way the worker runs them (core.jobs.outbox.run_job with default_handlers), on the
test database. E-mail goes to the file sink under the test data directory (no SMTP_HOST).
"""

from __future__ import annotations

import dataclasses
import email
import json
import shutil
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from typing import Any

import pytest

from core.accounts.policy import Actor
from core.accounts.service import actor_for_user, create_user
from core.forums import service as forums
from core.forums.schemas import ForumIn, ForumPatch, InvitationsIn, StakeholderIn
from core.forums.stakeholders import create_stakeholder
from core.forums.tables import Invitation, Stakeholder
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from core.notifications.delivery import MAX_ATTEMPTS
from core.notifications.tables import ChannelChoice, Delivery, InboxMessage
from core.plugin_api import NotificationChannel, OutgoingMessage, hookimpl
from core.plugins import build_plugin_manager
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit
from web.formatting import LocalTime

pytestmark = pytest.mark.usefixtures("fast_passwords")

WIB = timezone(timedelta(hours=7))
THURSDAY_10_DEC = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)


@pytest.fixture
def mailbox(settings):
    """The e-mail file sink, emptied for this test."""
    shutil.rmtree(settings.mail_dir, ignore_errors=True)
    return settings.mail_dir


def read_mail(folder) -> list[email.message.EmailMessage]:
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
    query = Delivery.select().order_by(Delivery.id)
    for column, value in where.items():
        query = query.where(getattr(Delivery, column) == value)
    return await query


# --- who hears what ------------------------------------------------------------------------------


async def test_invitation_reaches_consenting_invitees_and_organisers(db, hooks, settings, mailbox):
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    assert await run_jobs(default_handlers(hooks, settings)) == []

    sent = await deliveries(event="forum.invited")
    assert {d["status"] for d in sent} == {"sent"}
    assert all(d["attempts"] == 1 and d["sent_at"] is not None for d in sent)
    assert {(d["channel"], d["recipient"]) for d in sent} == {
        ("email", "ani@contoh.id"),
        ("email", "budi@contoh.id"),
        ("email", "panitia@pemda.id"),
        ("inapp", str(world.organizer.user_id)),
        ("inapp", str(world.operator_id)),  # the operator has no e-mail address: in-app only
    }, "Citra withdrew her consent: nothing at all is sent to her"

    tokens = {
        r["stakeholder"]: r["token"]
        for r in await Invitation.select(Invitation.stakeholder, Invitation.token)
    }
    ani = next(d for d in sent if d["recipient"] == "ani@contoh.id")
    assert ani["subject"] == "Undangan Forum Konsultasi Publik: Standar Pelayanan Puskesmas A"
    assert "Yth. Bapak/Ibu Ani" in ani["body"]
    assert "Kamis, 10 Desember 2026 pukul 09.00 WIB s.d. 12.00 WIB" in ani["body"]
    assert "Aula Puskesmas" in ani["body"]
    assert f"{settings.base_url}/undangan/{tokens[world.people['Ani']]}" in ani["body"]
    assert json.loads(ani["data"])["recipient"]["kind"] == "stakeholder"

    mails = read_mail(mailbox)
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == [
        "ani@contoh.id",
        "budi@contoh.id",
        "panitia@pemda.id",
    ]
    staff_mail = next(m for m in mails if m["To"].addresses[0].addr_spec == "panitia@pemda.id")
    assert staff_mail["Subject"] == "Forum dijadwalkan: Standar Pelayanan Puskesmas A"
    assert f"/forum/{world.forum_id}" in staff_mail.get_content()

    inbox = await InboxMessage.select().order_by(InboxMessage.user)
    assert {m["user"] for m in inbox} == {world.organizer.user_id, world.operator_id}
    assert all(m["link"] == f"/forum/{world.forum_id}" and not m["read"] for m in inbox)


async def test_inactive_stakeholder_and_switched_off_channel_get_nothing(db, hooks, settings):
    world = await make_world()
    await Stakeholder.update({Stakeholder.active: False}).where(
        Stakeholder.id == world.people["Budi"]
    )
    await ChannelChoice.insert(
        ChannelChoice(user=world.organizer.user_id, channel="email", enabled=False),
        ChannelChoice(user=world.operator_id, channel="inapp", enabled=True),
    )
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(default_handlers(hooks, settings))
    assert {(d["channel"], d["recipient"]) for d in await deliveries()} == {
        ("email", "ani@contoh.id"),
        ("inapp", str(world.organizer.user_id)),
        ("inapp", str(world.operator_id)),
    }


async def test_reschedule_and_cancellation_tell_everyone_invited(db, hooks, settings):
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    handlers = default_handlers(hooks, settings)
    await run_jobs(handlers)
    await forums.update_forum(
        world.organizer,
        world.forum_id,
        ForumPatch(
            venue="Balai Desa",
            start=THURSDAY_10_DEC + timedelta(days=1),
            end=THURSDAY_10_DEC + timedelta(days=1, hours=3),
            reason="Aula direnovasi",
        ),
    )
    await run_jobs(handlers)
    moved = await deliveries(event="forum.rescheduled", channel="email")
    assert {d["recipient"] for d in moved} == {
        "ani@contoh.id",
        "budi@contoh.id",
        "panitia@pemda.id",
    }
    body = next(d["body"] for d in moved if d["recipient"] == "ani@contoh.id")
    assert "Aula direnovasi" in body and "Balai Desa" in body
    assert "Jumat, 11 Desember 2026 pukul 09.00 WIB" in body

    await forums.cancel_forum(world.organizer, world.forum_id, "Banjir di lokasi")
    await run_jobs(handlers)
    cancelled = await deliveries(event="forum.cancelled")
    assert {d["recipient"] for d in cancelled if d["channel"] == "email"} == {
        "ani@contoh.id",
        "budi@contoh.id",
        "panitia@pemda.id",
    }
    assert all(d["status"] == "sent" for d in cancelled)
    assert all("Banjir di lokasi" in d["body"] for d in cancelled)


async def test_stale_job_for_a_cancelled_forum_sends_nothing(db, hooks, settings):
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)  # the invitation job waits …
    await forums.cancel_forum(world.organizer, world.forum_id, "Banjir di lokasi")
    await run_jobs(default_handlers(hooks, settings))  # … and finds the forum cancelled
    assert await deliveries(event="forum.invited") == []
    assert await deliveries(event="forum.cancelled")


async def test_webhook_reaches_stakeholders_with_a_phone(db, settings, monkeypatch):
    sent: list[tuple[str, str, OutgoingMessage]] = []
    settings = dataclasses.replace(
        settings, webhook_url="https://gateway.example/suara", webhook_secret="rahasia"
    )
    hooks = Hooks(build_plugin_manager(load_entry_points=False), settings)
    monkeypatch.setattr(
        "plugins.notify.webhook.post", lambda url, secret, m: sent.append((url, secret, m))
    )
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(default_handlers(hooks, settings))
    hooked = await deliveries(channel="webhook")
    assert [(d["recipient"], d["status"]) for d in hooked] == [("+6281111111111", "sent")]
    ((url, secret, message),) = sent
    assert (url, secret, message.recipient) == (
        "https://gateway.example/suara",
        "rahasia",
        "+6281111111111",
    )
    assert message.person["name"] == "Ani" and message.data["delivery"] == hooked[0]["id"]
    assert message.data["rsvp_link"].startswith(f"{settings.base_url}/undangan/")


# --- failures, retries, idempotency ------------------------------------------------------------


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


async def test_failing_channel_is_recorded_and_never_blocks(db, settings):
    flaky = Flaky()
    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    handlers = default_handlers(hooks, settings)
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)  # the action itself succeeds
    assert (await forums.get_forum(world.organizer, world.forum_id)).status == "scheduled"

    errors = await run_jobs(handlers)
    assert errors and all(isinstance(e, ConnectionError) for e in errors)
    failing = await deliveries(channel="rapuh")
    assert {d["recipient"] for d in failing} == {
        "ani@contoh.id",
        "budi@contoh.id",
        "panitia@pemda.id",
    }
    for row in failing:
        assert (row["status"], row["attempts"]) == ("retrying", 1)
        assert "ConnectionError: gateway tidak menjawab" in row["error"]
        assert row["sent_at"] is None
    others = [d for d in await deliveries() if d["channel"] != "rapuh"]
    assert others and {d["status"] for d in others} == {"sent"}, "other channels still deliver"

    # The worker's retry: still failing, then the gateway is back.
    await run_jobs(handlers)
    assert {d["attempts"] for d in await deliveries(channel="rapuh")} == {2}
    flaky.broken = False
    assert await run_jobs(handlers) == []
    healed = await deliveries(channel="rapuh")
    assert {(d["status"], d["attempts"], d["error"]) for d in healed} == {("sent", 3, "")}
    assert len(flaky.sent) == 3
    assert await OutboxJob.count().where(OutboxJob.done_at.is_null()) == 0


async def test_last_attempt_marks_the_delivery_failed(db, settings):
    flaky = Flaky()
    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    handlers = default_handlers(hooks, settings)
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(handlers)
    await Delivery.update({Delivery.attempts: MAX_ATTEMPTS - 1}).where(Delivery.channel == "rapuh")
    await run_jobs(handlers)
    rows = await deliveries(channel="rapuh")
    assert {(d["status"], d["attempts"]) for d in rows} == {("failed", MAX_ATTEMPTS)}
    flaky.broken = False
    assert await run_jobs(handlers) == []  # a later run (e.g. the relay) closes the job …
    assert flaky.sent == []  # … without sending a delivery given up on
    assert await OutboxJob.count().where(OutboxJob.done_at.is_null()) == 0


async def test_sent_delivery_is_not_sent_again(db, settings):
    flaky = Flaky()
    flaky.broken = False
    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    handlers = default_handlers(hooks, settings)
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(handlers)
    assert len(flaky.sent) == 3
    jobs = await OutboxJob.select(OutboxJob.id).where(OutboxJob.kind == "deliver")
    for job in jobs:  # a redelivered message finds its job done
        assert await run_job(job["id"], handlers) == "already done"
    rows = await deliveries(channel="rapuh")
    for row in rows:  # and a second job for the same delivery finds it sent
        await handlers["deliver"]({"delivery": row["id"]})
    assert len(flaky.sent) == 3
    assert {(d["status"], d["attempts"]) for d in await deliveries(channel="rapuh")} == {
        ("sent", 1)
    }


async def test_async_channel_is_awaited(db, settings):
    received: list[OutgoingMessage] = []

    async def send(message: OutgoingMessage) -> None:
        received.append(message)

    class AsyncPlugin:
        @hookimpl
        def suara_notification_channels(self) -> list[NotificationChannel]:
            return [NotificationChannel(code="asinkron", label="Asinkron", send=send)]

    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[AsyncPlugin()]))
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    assert await run_jobs(default_handlers(hooks, settings)) == []
    assert len(received) == 3
    assert {d["status"] for d in await deliveries(channel="asinkron")} == {"sent"}


# --- reminders -----------------------------------------------------------------------------------


async def test_reminders_end_to_end(db, hooks, settings, mailbox):
    now = datetime.now(UTC)
    world = await make_world(start=now + timedelta(days=2))
    await forums.schedule_forum(world.organizer, world.forum_id)
    handlers = default_handlers(hooks, settings)
    await run_jobs(handlers)
    shutil.rmtree(mailbox, ignore_errors=True)

    assert await forums.queue_due_reminders() == 3  # every invitation; consent is checked later
    assert await run_jobs(handlers) == []
    mails = read_mail(mailbox)
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == [
        "ani@contoh.id",
        "budi@contoh.id",
    ], "one reminder to each consenting invitee, none to organisers"
    assert all(m["Subject"].startswith("Pengingat: Standar Pelayanan Puskesmas A") for m in mails)
    assert all("beberapa hari lagi" in m.get_content() for m in mails)
    assert {
        d["event"]
        for d in await deliveries(channel="email")
        if d["recipient"] != "panitia@pemda.id"
    } == {
        "forum.invited",
        "forum.reminder_3d",
    }

    assert await forums.queue_due_reminders() == 0  # each reminder once
    assert await forums.queue_due_reminders(now + timedelta(days=1, hours=1)) == 3  # 1-day window
    await run_jobs(handlers)
    assert len(await deliveries(event="forum.reminder_1d")) == 2


def test_beat_schedules_the_reminders(settings):
    from workers.celery_app import REMINDERS_EVERY, make_celery

    app = make_celery(settings)
    entry = app.conf.beat_schedule["queue-reminders"]
    assert entry == {"task": "suara.queue_reminders", "schedule": REMINDERS_EVERY}
    assert timedelta(minutes=15) == REMINDERS_EVERY
    # (app.tasks is not read: finalising a second app in one process warns about task names.)


# --- pages ---------------------------------------------------------------------------------------


async def _deliver_some(hooks, settings) -> World:
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(default_handlers(hooks, settings))
    return world


async def test_inbox_page_lists_and_marks_read(client, db, hooks, settings):
    world = await _deliver_some(hooks, settings)
    await login(client, "petugas", PASSWORD)
    response = await client.get("/kotak-masuk")
    assert response.status_code == 200, response.text
    assert "Forum dijadwalkan: Standar Pelayanan Puskesmas A" in response.text
    assert "1 pesan belum dibaca" in response.text
    assert 'href="/kotak-masuk"' in response.text  # the navigation link
    message = await InboxMessage.select().where(InboxMessage.user == world.operator_id).first()
    shown = LocalTime(settings.timezone).moment(message["created_at"])
    assert shown.endswith(" WIB") and shown in response.text  # local time, never UTC
    assert "UTC" not in response.text
    token = await csrf_token(client, "/kotak-masuk")
    response = await client.post(
        f"/kotak-masuk/{message['id']}/dibaca", data={"_csrf_token": token}
    )
    assert response.status_code == 200  # followed the redirect back to the inbox
    assert (
        await InboxMessage.select(InboxMessage.read).where(InboxMessage.id == message["id"]).first()
    )["read"]
    response = await client.get("/kotak-masuk")
    assert "0 pesan belum dibaca" in response.text


async def test_inbox_only_marks_own_messages(client, db, hooks, settings):
    world = await _deliver_some(hooks, settings)
    await login(client, "petugas", PASSWORD)
    theirs = await InboxMessage.select().where(InboxMessage.user == world.organizer.user_id).first()
    token = await csrf_token(client, "/kotak-masuk")
    response = await client.post(f"/kotak-masuk/{theirs['id']}/dibaca", data={"_csrf_token": token})
    assert response.status_code == 404
    assert not (await InboxMessage.select().where(InboxMessage.id == theirs["id"]).first())["read"]


async def test_preferences_save_channel_choices(client, db):
    await make_unit("PKM-A", "puskesmas")
    user_id = await create_user(Actor.system(), "petugas", "operator", PASSWORD, ("PKM-A",))
    await login(client, "petugas", PASSWORD)
    response = await client.get("/pengaturan/notifikasi")
    assert response.status_code == 200, response.text
    assert 'name="channel_email"' in response.text and 'name="channel_inapp"' in response.text
    token = await csrf_token(client, "/pengaturan/notifikasi")
    response = await client.post(
        "/pengaturan/notifikasi", data={"_csrf_token": token, "channel_inapp": "1"}
    )
    assert response.status_code in (200, 302, 303)
    choices = {
        r["channel"]: r["enabled"]
        for r in await ChannelChoice.select().where(ChannelChoice.user == user_id)
    }
    assert choices == {"email": False, "inapp": True}
    page = (await client.get("/pengaturan/notifikasi?tersimpan=1")).text
    assert "Pengaturan notifikasi tersimpan." in page
    assert 'name="channel_email" value="1" >' in page or 'name="channel_email" value="1">' in page

    token = await csrf_token(client, "/pengaturan/notifikasi")
    await client.post(
        "/pengaturan/notifikasi",
        data={"_csrf_token": token, "channel_inapp": "1", "channel_email": "1"},
    )
    choices = {
        r["channel"]: r["enabled"]
        for r in await ChannelChoice.select().where(ChannelChoice.user == user_id)
    }
    assert choices == {"email": True, "inapp": True}
    assert await ChannelChoice.count().where(ChannelChoice.user == user_id) == 2


async def test_preferences_need_csrf(client, db):
    await make_unit("PKM-A", "puskesmas")
    await create_user(Actor.system(), "petugas", "operator", PASSWORD, ("PKM-A",))
    await login(client, "petugas", PASSWORD)
    response = await client.post("/pengaturan/notifikasi", data={"channel_inapp": "1"})
    assert response.status_code == 403
    assert await ChannelChoice.count() == 0


@pytest.mark.parametrize(("username", "role"), [("admin1", "admin"), ("panitia", "organizer")])
async def test_delivery_log_for_admin_and_organizer(client, db, hooks, settings, username, role):
    flaky = Flaky()
    failing = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(default_handlers(failing, settings))
    if role == "admin":
        await create_user(Actor.system(), username, role, PASSWORD)
    await login(client, username, PASSWORD)
    response = await client.get("/notifikasi/log")
    assert response.status_code == 200, response.text
    assert "ani@contoh.id" in response.text
    # events and channels by their names, not their codes
    assert '<td data-label="Peristiwa">Undangan forum<br>' in response.text
    assert '<td data-label="Kanal">E-mail</td>' in response.text
    assert "<code>forum.invited</code>" not in response.text
    assert "gateway tidak menjawab" in response.text
    filtered = await client.get(
        "/notifikasi/log", params={"status": "retrying", "channel": "rapuh"}
    )
    assert filtered.status_code == 200
    assert "gateway tidak menjawab" in filtered.text
    assert "Pak Petugas" not in filtered.text  # in-app deliveries are filtered out
    none = await client.get("/notifikasi/log", params={"event": "forum.cancelled"})
    assert "Belum ada pengiriman yang cocok." in none.text


async def test_delivery_log_is_forbidden_to_operators(client, db):
    await make_unit("PKM-A", "puskesmas")
    await create_user(Actor.system(), "petugas", "operator", PASSWORD, ("PKM-A",))
    anonymous = await client.get("/notifikasi/log", follow_redirects=False)
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]
    await login(client, "petugas", PASSWORD)
    assert (await client.get("/notifikasi/log")).status_code == 403
    page = (await client.get("/kotak-masuk")).text
    assert 'href="/notifikasi/log"' not in page
