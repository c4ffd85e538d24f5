"""Reminders by the beat: plan items and forum agreements due within 14 days, and overdue ones,
to the penanggung jawab and the unit's operators — once per target, threshold and due day; the
unit head hears of an item's status change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.clock import frozen_at
from core.notifications.tables import Delivery
from core.plans.reminders import queue_plan_reminders, threshold
from core.units.tables import Unit
from tests.conftest import bearer, login
from tests.factories import PASSWORD
from tests.integration.test_plans import _drafted, _held_forum, make_world
from tests.integration.test_reports import run_pending

TODAY = date(2027, 1, 20)  # the agreement of _held_forum is due 2027-01-31: in 11 days


@pytest.fixture
async def world(db, hooks) -> dict:
    return await make_world(hooks)


async def _sent(event: str, channel: str = "inapp") -> list[str]:
    rows = await Delivery.select(Delivery.recipient).where(
        (Delivery.event == event) & (Delivery.channel == channel)
    )
    return sorted(r["recipient"] for r in rows)


async def _beat(today: date, hooks, settings) -> int:
    """The beat task's body on ``today``, then the notice jobs it queued (on that day)."""
    with frozen_at(datetime(today.year, today.month, today.day, 2, tzinfo=UTC)):
        queued = await queue_plan_reminders(today)
        await run_pending(hooks, settings)
    return queued


def test_thresholds_at_their_edges():
    assert threshold(TODAY - timedelta(days=1), TODAY) == "overdue"
    assert threshold(TODAY, TODAY) == "due_soon"
    assert threshold(TODAY + timedelta(days=14), TODAY) == "due_soon"
    assert threshold(TODAY + timedelta(days=15), TODAY) is None


async def test_reminders_once_per_threshold_and_status_notices(client, world, hooks, settings):
    opr = await bearer(client, "opr")
    plan = await _drafted(client, opr, world["cycle"], hooks, settings)
    forum_id, agreement = await _held_forum(world["cycle"])
    url = f"/api/v1/plans/{plan['id']}"
    await client.post(f"{url}/discuss", json={"forum": forum_id}, headers=opr)
    soon, late, later, dropped = (i["id"] for i in plan["items"][:4])
    dates = {soon: TODAY + timedelta(days=5), late: TODAY - timedelta(days=3),
             later: TODAY + timedelta(days=30)}  # fmt: skip
    for item, due in dates.items():
        response = await client.patch(
            f"/api/v1/plan-items/{item}", json={"due_date": due.isoformat()}, headers=opr
        )
        assert response.status_code == 200, response.text
    await client.patch(f"/api/v1/plan-items/{soon}", json={"pj_user": "pjbudi"}, headers=opr)
    await client.patch(f"/api/v1/plan-items/{dropped}", headers=opr,
                       json={"status": "dropped", "drop_reason": "Digabung dengan kegiatan lain"})  # fmt: skip
    link = {"agreement": agreement}
    await client.post(f"/api/v1/plan-items/{soon}/agreements", json=link, headers=opr)
    assert (await client.post(f"{url}/publish", headers=opr)).status_code == 200
    ids = {u: str(i) for u, i in [(r["username"], r["id"]) for r in await _users()]}

    assert await _beat(TODAY, hooks, settings) == 3  # two items and the agreement
    # The item due in 5 days and the agreement (linked to it) reach its PJ and the operator.
    assert await _sent("plan.due_soon") == sorted([ids["opr"], ids["pjbudi"]] * 2)
    assert await _sent("plan.overdue") == [ids["opr"]]
    body = (await Delivery.select(Delivery.body).where(Delivery.event == "plan.overdue").first())[
        "body"
    ]
    assert (
        "17 Januari 2027 (3 hari)" in body and f"/cycles/{world['cycle']}/rtl#item-{late}" in body
    )

    # The next beats send nothing new: once per target and threshold.
    assert await _beat(TODAY, hooks, settings) == 0
    assert await _beat(TODAY + timedelta(days=1), hooks, settings) == 0
    assert len(await _sent("plan.due_soon")) == 4

    # Past its due day the first item is overdue: one more reminder; a moved due day is new.
    assert await _beat(TODAY + timedelta(days=6), hooks, settings) == 1
    assert await _sent("plan.overdue") == sorted([ids["opr"], ids["opr"], ids["pjbudi"]])
    new_day = (TODAY + timedelta(days=20)).isoformat()
    await client.patch(f"/api/v1/plan-items/{late}", json={"due_date": new_day}, headers=opr)
    assert await _beat(TODAY + timedelta(days=6), hooks, settings) == 1
    assert len(await _sent("plan.due_soon")) == 5

    # A reminder queued for an item finished before the job ran is not sent.
    today = {"due_date": TODAY.isoformat()}
    await client.patch(f"/api/v1/plan-items/{later}", json=today, headers=opr)
    with frozen_at(datetime(2027, 1, 27, 2, tzinfo=UTC)):
        assert await queue_plan_reminders(TODAY + timedelta(days=7)) == 1
    await client.patch(f"/api/v1/plan-items/{later}", json={"status": "done"}, headers=opr)
    await run_pending(hooks, settings)
    assert len(await _sent("plan.overdue")) == 3

    # The status change went to the unit head, at the unit's e-mail (a unit without one: nobody).
    assert await _sent("plan.item_status", "email") == []
    await Unit.update({Unit.email: "pkm-a@contoh.go.id"}).where(Unit.code == "PKM-A")
    await client.patch(f"/api/v1/plan-items/{soon}", json={"status": "in_progress"}, headers=opr)
    await run_pending(hooks, settings)
    assert await _sent("plan.item_status", "email") == ["pkm-a@contoh.go.id"]
    body = (
        await Delivery.select(Delivery.body).where(Delivery.event == "plan.item_status").first()
    )["body"]
    assert "Direncanakan menjadi Sedang berjalan (25 %)" in body and "Kepala Unit PKM-A" in body


async def _users() -> list[dict]:
    from core.accounts.tables import User

    return await User.select(User.id, User.username)


async def test_an_english_installation_reminds_with_english_status_labels(
    client, world, hooks, settings
):
    english = replace(settings, locale="en")
    opr = await bearer(client, "opr")
    plan = await _drafted(client, opr, world["cycle"], hooks, english)
    forum_id, _ = await _held_forum(world["cycle"])
    url = f"/api/v1/plans/{plan['id']}"
    await client.post(f"{url}/discuss", json={"forum": forum_id}, headers=opr)
    item = plan["items"][0]["id"]
    due = {"due_date": (TODAY - timedelta(days=3)).isoformat()}
    await client.patch(f"/api/v1/plan-items/{item}", json=due, headers=opr)
    assert (await client.post(f"{url}/publish", headers=opr)).status_code == 200
    await _beat(TODAY, hooks, english)
    reminders = await Delivery.select(Delivery.body).where(
        Delivery.event.is_in(["plan.overdue", "plan.due_soon"])
    )
    bodies = "\n".join(r["body"] for r in reminders)
    assert "Status: Planned (0 %)" in bodies and "17 January 2027" in bodies, bodies
    assert "Agreement 1: " in bodies, bodies  # the forum agreement, titled in English
    assert "Direncanakan" not in bodies and "Kesepakatan" not in bodies

    await Unit.update({Unit.email: "pkm-a@contoh.go.id"}).where(Unit.code == "PKM-A")
    await client.patch(f"/api/v1/plan-items/{item}", json={"status": "in_progress"}, headers=opr)
    await run_pending(hooks, english)
    notice = (
        await Delivery.select(Delivery.subject, Delivery.body)
        .where(Delivery.event == "plan.item_status")
        .first()
    )
    assert "from Planned to In progress (25 %)" in notice["body"], notice["body"]
    assert "Dear Head of Unit PKM-A" in notice["body"] and "In progress" in notice["subject"]


async def test_a_pj_without_an_account_is_reminded_at_the_items_email(
    client, world, hooks, settings
):
    opr = await bearer(client, "opr")
    plan = await _drafted(client, opr, world["cycle"], hooks, settings)
    forum_id, _ = await _held_forum(world["cycle"])
    url = f"/api/v1/plans/{plan['id']}"
    await client.post(f"{url}/discuss", json={"forum": forum_id}, headers=opr)
    mailed, silent = plan["items"][0]["id"], plan["items"][1]["id"]
    bad = await client.patch(
        f"/api/v1/plan-items/{mailed}", json={"pj_email": "bu-sri"}, headers=opr
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "pj_email", bad.text
    late = (TODAY - timedelta(days=3)).isoformat()
    for item, email in ((mailed, "sri@contoh.go.id"), (silent, "")):
        answer = await client.patch(f"/api/v1/plan-items/{item}", headers=opr, json={
            "pj_name": "Sri Wahyuni", "pj_email": email, "due_date": late})  # fmt: skip
        assert answer.status_code == 200, answer.text
    items = (await client.get(f"/api/v1/cycles/{world['cycle']}/plan", headers=opr)).json()["items"]
    shown = {i["id"]: i["penanggung_jawab"]["email"] for i in items}
    assert shown[mailed] == "sri@contoh.go.id" and shown[silent] == ""
    assert (await client.post(f"{url}/publish", headers=opr)).status_code == 200
    await _beat(TODAY, hooks, settings)
    assert await _sent("plan.overdue", "email") == ["sri@contoh.go.id"]
    mail = await Delivery.select(Delivery.body).where(Delivery.channel == "email").first()
    assert "Yth. Bapak/Ibu Sri Wahyuni" in mail["body"] and f"item-{mailed}" in mail["body"]

    await login(client, "opr", PASSWORD)
    page = (await client.get(f"/cycles/{world['cycle']}/rtl")).text
    assert f'id="pj-none-{silent}"' in page and f'id="pj-none-{mailed}"' not in page
    assert "Penanggung jawab tidak menerima pengingat" in page
