"""The notification pages: the inbox (own messages only), channel preferences, and the delivery
log for admins and organisers."""

from __future__ import annotations

import pytest

from core.accounts.policy import Actor
from core.accounts.service import create_user
from core.forums import service as forums
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.notifications.tables import ChannelChoice, InboxMessage
from core.plugins import build_plugin_manager
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit
from tests.integration.notification_data import (
    Flaky,
    deliver_some,
    make_world,
    run_jobs,
)
from web.formatting import LocalTime

# --- pages ---------------------------------------------------------------------------------------


async def test_inbox_page_lists_and_marks_read(client, db, hooks, settings):
    world = await deliver_some(hooks, settings)
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
    world = await deliver_some(hooks, settings)
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
