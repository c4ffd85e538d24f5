"""Notifications end to end (forum rules → outbox → notify → deliveries → channels): who hears
what, and the reminders.

Jobs are run the way the worker runs them (core.jobs.outbox.run_job with default_handlers), on the
test database. E-mail goes to the file sink under the test data directory (no SMTP_HOST).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import UTC, datetime, timedelta

from core.forums import service as forums
from core.forums.schemas import ForumPatch
from core.forums.tables import Invitation, Stakeholder
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.notifications.tables import ChannelChoice, InboxMessage
from core.plugin_api import OutgoingMessage
from core.plugins import build_plugin_manager
from tests.integration.notification_data import (
    THURSDAY_10_DEC,
    deliveries,
    make_world,
    read_mail,
    run_jobs,
)

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
