"""Reminders by the beat and status notices: plan items and forum agreements due within
``DUE_SOON_DAYS`` days, and overdue ones, to their penanggung jawab and the unit's operators —
once per item (or agreement), threshold and due day; the unit head hears of an item's status.

The beat task records what it reminded (``PlanReminder``, unique per target, threshold and day)
and queues a ``plan_notice`` job in the same transaction; the job re-reads the item and sends
nothing once it is finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.tables import Role, UserUnit
from core.clock import utcnow
from core.db import atomic
from core.forums.tables import Agreement, ForumStatus, ForumUnit
from core.hooks import Hooks
from core.i18n import translate
from core.jobs.outbox import enqueue
from core.notifications.messages import long_date, render_in
from core.notifications.outgoing import queue_deliveries, user_recipients
from core.notifications.recipients import Recipient
from core.plans.lifecycle import ITEM_LABELS
from core.plans.overview import due_on
from core.plans.tables import ItemStatus, PlanItem, PlanItemAgreement, PlanReminder, PlanStatus
from core.settings import Settings
from core.units.tables import Unit

JOB = "plan_notice"
DUE_SOON_DAYS = 14
DUE_SOON, OVERDUE = "due_soon", "overdue"
EVENTS = {DUE_SOON: "plan.due_soon", OVERDUE: "plan.overdue"}
STATUS_EVENT = "plan.item_status"
ACTIVE_PLANS = (PlanStatus.discussed.value, PlanStatus.published.value)
OPEN_AGREEMENTS = ("open", "in_progress")
HELD = (ForumStatus.held.value, ForumStatus.minutes_published.value)
FINISHED = (ItemStatus.done.value, ItemStatus.dropped.value)
TEMPLATES = Path(__file__).parent / "templates"


def threshold(due: date, today: date) -> str | None:
    """Which reminder a due day calls for today: overdue, due soon (≤ 14 days), or none."""
    if due < today:
        return OVERDUE
    return DUE_SOON if due <= today + timedelta(days=DUE_SOON_DAYS) else None


async def _open_items() -> list[tuple[int, date]]:
    rows = await PlanItem.select(
        PlanItem.id, PlanItem.due_date, PlanItem.quarter,
        PlanItem.plan.cycle.end_date.as_alias("cycle_end"),
    ).where(
        PlanItem.plan.status.is_in(list(ACTIVE_PLANS)) & PlanItem.status.not_in(list(FINISHED))
    )  # fmt: skip
    found = [(r["id"], due_on(r, r["cycle_end"])) for r in rows]
    return [(item, due) for item, due in found if due is not None]


async def _open_agreements() -> list[tuple[int, date]]:
    rows = await Agreement.select(Agreement.id, Agreement.due_date).where(
        Agreement.due_date.is_not_null() & Agreement.status.is_in(list(OPEN_AGREEMENTS))
        & Agreement.forum.status.is_in(list(HELD))
    )  # fmt: skip
    return [(r["id"], r["due_date"]) for r in rows]


async def queue_plan_reminders(today: date) -> int:
    """The beat's task body: queue every reminder due today that was not sent yet; how many."""
    queued = 0
    for kind, targets in (("item", await _open_items()), ("agreement", await _open_agreements())):
        for target, due in targets:
            level = threshold(due, today)
            if level is None:
                continue
            async with atomic():
                if await PlanReminder.exists().where(
                    (PlanReminder.kind == kind) & (PlanReminder.target == target)
                    & (PlanReminder.threshold == level) & (PlanReminder.due_on == due)
                ):  # fmt: skip
                    continue
                await PlanReminder.insert(PlanReminder(
                    kind=kind, target=target, threshold=level, due_on=due, sent_at=utcnow()
                ))  # fmt: skip
                await enqueue(JOB, {"kind": kind, "id": target, "event": EVENTS[level],
                                    "due_on": due.isoformat()})  # fmt: skip
                queued += 1
    return queued


async def queue_status_notice(item_id: int, before: str, after: str) -> None:
    """Tell the unit head an item changed status (call inside the change's transaction)."""
    await enqueue(JOB, {"kind": "item", "id": item_id, "event": STATUS_EVENT,
                        "from": before, "to": after})  # fmt: skip


async def _operators(unit_ids: list[int]) -> set[int]:
    rows = await UserUnit.select(UserUnit.user).where(
        UserUnit.unit.is_in(unit_ids or [0]) & (UserUnit.user.role == Role.operator.value)
    )
    return {r["user"] for r in rows}


async def unit_head(unit_id: int, lang: str) -> list[Recipient]:
    """The unit head, reached at the unit's official e-mail (none when the unit has no e-mail)."""
    unit = await Unit.select(Unit.id, Unit.name, Unit.email).where(Unit.id == unit_id).first()
    if unit is None or not unit["email"]:
        return []
    name = translate(lang, "Kepala {unit}", unit=unit["name"])
    return [Recipient(kind="unit_head", id=unit["id"], name=name, email=unit["email"])]


def _status(lang: str, code: str) -> str:
    """An item status as the reader reads it (its label through the catalogue)."""
    return translate(lang, ITEM_LABELS.get(code, code))


def pj_without_account(item: Mapping[str, Any]) -> list[Recipient]:
    """A penanggung jawab named without an account, reached at the item's ``pj_email`` (none
    without one: they get no reminders, as the plan page says)."""
    if item["pj_user"] or not item["pj_email"]:
        return []
    name = item["pj_name"] or item["pj_email"]
    return [Recipient(kind="pj", id=item["id"], name=name, email=item["pj_email"])]


async def _item_notice(
    payload: Mapping[str, Any], lang: str
) -> tuple[list[Recipient], dict, str] | None:
    item = await PlanItem.select(
        PlanItem.all_columns(), PlanItem.plan.unit.as_alias("unit"),
        PlanItem.plan.cycle.as_alias("cycle"), PlanItem.plan.unit.name.as_alias("unit_name"),
    ).where(PlanItem.id == int(payload["id"])).first()  # fmt: skip
    if item is None:
        return None
    path = f"/cycles/{item['cycle']}/rtl#item-{item['id']}"
    context = {"title": item["program"], "unit": item["unit_name"], "kind": "item",
               "pj": ", ".join(p for p in (item["pj_name"], item["pj_position"]) if p),
               "status": _status(lang, item["status"]),
               "progress": item["progress"]}  # fmt: skip
    if payload["event"] == STATUS_EVENT:
        context["before"] = _status(lang, payload["from"])
        return await unit_head(item["unit"], lang), context, path
    if item["status"] in FINISHED:
        return None  # finished since the beat queued it
    users = await _operators([item["unit"]]) | ({item["pj_user"]} if item["pj_user"] else set())
    return await user_recipients(users) + pj_without_account(item), context, path


async def _agreement_notice(
    payload: Mapping[str, Any], lang: str
) -> tuple[list[Recipient], dict, str] | None:
    row = await Agreement.select(
        Agreement.all_columns(), Agreement.forum.title.as_alias("forum_title")
    ).where(Agreement.id == int(payload["id"])).first()  # fmt: skip
    if row is None or row["status"] not in OPEN_AGREEMENTS:
        return None
    units = [row["owner_unit"]] if row["owner_unit"] else [
        r["unit"] for r in await ForumUnit.select(ForumUnit.unit).where(ForumUnit.forum == row["forum"])
    ]  # fmt: skip
    linked = await PlanItemAgreement.select(
        PlanItemAgreement.item.id.as_alias("id"), PlanItemAgreement.item.pj_user.as_alias("pj"),
        PlanItemAgreement.item.pj_name.as_alias("pj_name"),
        PlanItemAgreement.item.pj_email.as_alias("pj_email"),
    ).where(PlanItemAgreement.agreement == row["id"])  # fmt: skip
    users = await _operators(units) | {r["pj"] for r in linked if r["pj"]}
    unit = await Unit.select(Unit.name).where(Unit.id == units[0]).first() if units else None
    title = translate(lang, "Kesepakatan {number}: {text}", number=row["number"], text=row["text"])
    context = {"title": title, "kind": "agreement",
               "unit": unit["name"] if unit else "", "pj": row["owner_person"],
               "forum": row["forum_title"]}  # fmt: skip
    by_mail = [p for r in linked for p in pj_without_account({**r, "pj_user": r["pj"]})]
    return await user_recipients(users) + by_mail, context, f"/forum/{row['forum']}"


async def plan_notice(payload: Mapping[str, Any], hooks: Hooks, settings: Settings) -> int:
    """The ``plan_notice`` job: render the notice and queue its deliveries; how many."""
    build = _item_notice if payload["kind"] == "item" else _agreement_notice
    lang = settings.locale  # the installation's language is its readers' language
    found = await build(payload, lang)
    if found is None:
        return 0
    recipients, context, path = found
    if "due_on" in payload:
        due = date.fromisoformat(payload["due_on"])
        today = utcnow().astimezone(ZoneInfo(settings.timezone)).date()
        context.update(due=long_date(due, lang), days=abs((due - today).days))
    context["link"] = settings.base_url + path
    data = {"kind": payload["kind"], "id": payload["id"], "path": path, "link": context["link"]}
    queued = 0
    for person in recipients:  # each message greets its reader
        context["recipient"] = person.as_mapping()
        subject, body = render_in(TEMPLATES, payload["event"], lang, context)
        queued += await queue_deliveries(hooks, payload["event"], [person], subject, body, data)
    return queued


def plan_handlers(hooks: Hooks, settings: Settings | None = None) -> dict[str, Any]:
    """The ``plan_notice`` job handler bound to this process's plugins and settings."""

    async def notice_job(payload: dict[str, Any]) -> None:
        await plan_notice(payload, hooks, settings or Settings.from_env())

    return {JOB: notice_job}
