"""The organiser is offered 'Tandai berlangsung' only from the forum's day, and told when before it."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.clock import frozen_at
from tests.integration.forum_data import FORUM_DAY, WIB, scheduled_forum

pytestmark = pytest.mark.db


async def test_the_held_button_waits_for_the_forum_day(client, token):
    forum_id, _ = await scheduled_forum()
    with frozen_at(datetime(2026, 12, 9, 23, 30, tzinfo=WIB)):
        eve = (await client.get(f"/forum/{forum_id}")).text
    assert f'action="/forum/{forum_id}/berlangsung' not in eve
    assert "Forum dapat ditandai berlangsung mulai hari pelaksanaannya, Kamis, 10 Desember 2026." in eve
    with frozen_at(FORUM_DAY):
        day = (await client.get(f"/forum/{forum_id}")).text
    assert f'action="/forum/{forum_id}/berlangsung' in day
    assert "Tandai berlangsung setelah daftar hadir tercatat." in day
