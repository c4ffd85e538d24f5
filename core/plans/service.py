"""Changing a plan: items (scoped to a penanggung jawab), sub-items rolling up, comments, the
forum that agreed it, links to its agreements, publishing and closing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from core.accounts.policy import Action, Actor, can
from core.accounts.tables import User
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from core.forums.tables import Agreement, Forum, ForumStatus, ForumUnit
from core.plans.lifecycle import DEFAULT_PROGRESS, ITEM_STATES, PLAN_STATES
from core.plans.reads import plan_row
from core.plans.reminders import queue_status_notice
from core.plans.schemas import PLAN_FIELDS, QUARTERS, ItemPatch
from core.plans.tables import (
    ItemStatus,
    Plan,
    PlanComment,
    PlanItem,
    PlanItemAgreement,
    PlanItemChange,
    PlanStatus,
)
from core.states import move
from core.units.validation import check_contact

TEXT_LIMITS = {"program": 1000, "pj_name": 200, "pj_position": 200, "pj_email": 254, "indicator": 1000,
               "hambatan": 2000, "drop_reason": 1000}  # fmt: skip
MIN_DROP_REASON = 10
FINISHED = (ItemStatus.done.value, ItemStatus.dropped.value)


async def item_access(actor: Actor, item_id: int) -> tuple[dict, dict, bool]:
    """The item, its plan, and whether the actor manages the whole plan (else: only progress of
    an item assigned to them as penanggung jawab)."""
    item = await PlanItem.select().where(PlanItem.id == item_id).first()
    if item is None:
        raise NotFound(f"Kegiatan {item_id} tidak ditemukan.")
    plan = await Plan.select().where(Plan.id == item["plan"]).first()
    if can(actor, Action.manage_plans, plan["unit"]):
        return item, plan, True
    if actor.user_id is not None and item["pj_user"] == actor.user_id:
        return item, plan, False
    if not can(actor, Action.view_plans, plan["unit"]):
        raise NotFound(f"Kegiatan {item_id} tidak ditemukan.")
    raise PermissionDenied(
        "Hanya operator unit atau penanggung jawab kegiatan yang dapat mengubahnya."
    )


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    keys = (*PLAN_FIELDS, "status", "progress", "realised_on", "hambatan", "drop_reason")
    return {k: row[k].isoformat() if isinstance(row[k], date) else row[k] for k in keys}


async def _check(
    patch: dict[str, Any], item: dict, full: bool
) -> tuple[dict[str, Any], list[FieldError]]:
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for name, value in patch.items():
        if name in PLAN_FIELDS and not full:
            errors.append(FieldError(name, "hanya operator unit yang dapat mengubah isian ini"))
            continue
        if isinstance(value, str) and name in TEXT_LIMITS:
            value = value.strip()
            if len(value) > TEXT_LIMITS[name]:
                errors.append(FieldError(name, f"maksimal {TEXT_LIMITS[name]} karakter"))
        values[name] = value
    if values.get("quarter") and values["quarter"] not in QUARTERS:
        errors.append(FieldError("quarter", "pilihan: I, II, III, IV (triwulan)"))
    if "progress" in values and not 0 <= int(values["progress"]) <= 100:
        errors.append(FieldError("progress", "progres 0 sampai 100 %"))
    if "program" in values and not values["program"]:
        errors.append(FieldError("program", "program/kegiatan wajib diisi"))
    if values.get("pj_email"):
        errors += [FieldError("pj_email", e.message) for e in check_contact(values["pj_email"], "")]
    if values.get("pj_user"):
        user = await User.select(User.id).where(User.username == values["pj_user"]).first()
        if user is None:
            errors.append(FieldError("pj_user", f"pengguna {values['pj_user']!r} tidak ada"))
        else:
            values["pj_user"] = user["id"]
    status = values.get("status", item["status"])
    if "status" in values and values["status"] not in ITEM_STATES.labels:
        errors.append(FieldError("status", f"pilihan: {', '.join(ITEM_STATES.labels)}"))
    reason = values.get("drop_reason", item["drop_reason"])
    if status == ItemStatus.dropped.value and len(reason.strip()) < MIN_DROP_REASON:
        errors.append(
            FieldError(
                "drop_reason",
                f"kegiatan dibatalkan dengan alasan (minimal {MIN_DROP_REASON} karakter)",
            )
        )
    if status == ItemStatus.done.value and values.get("progress", 100) != 100:
        errors.append(FieldError("progress", "kegiatan selesai berprogres 100 %"))
    return values, errors


async def update_item(actor: Actor, item_id: int, data: ItemPatch) -> None:
    """Change an item's fields (validated together); a status change follows the item life cycle
    and takes its default progress unless one is given. Kept in the item's history, audited."""
    patch = data.given()
    async with atomic():
        item, plan, full = await item_access(actor, item_id)
        if plan["status"] == PlanStatus.closed.value:
            raise Conflict("Rencana tindak lanjut sudah selesai; kegiatannya tidak diubah lagi.")
        values, errors = await _check(patch, item, full)
        if errors:
            raise ValidationFailed(errors)
        before = _snapshot(item)
        status = values.pop("status", item["status"])
        if status != item["status"]:
            ITEM_STATES.check(item["status"], status)
            values.setdefault("progress", DEFAULT_PROGRESS[status])
            if status == ItemStatus.done.value:
                values.setdefault("realised_on", item["realised_on"] or utcnow().date())
        changed = {k: v for k, v in values.items() if item[k] != v}
        edited = sorted(set(_list(item["edited"])) | (set(changed) & set(PLAN_FIELDS)))
        columns = {getattr(PlanItem, k): v for k, v in changed.items()}
        columns.update({PlanItem.edited: json.dumps(edited), PlanItem.updated_at: utcnow()})
        after = {
            **before,
            **{k: v.isoformat() if isinstance(v, date) else v for k, v in changed.items()},
        }
        if status != item["status"]:
            await move(ITEM_STATES, actor, PlanItem, item, status, values=columns,
                       before=before, after={**after, "status": status}, unit_id=plan["unit"])  # fmt: skip
            await queue_status_notice(item_id, item["status"], status)
        elif changed:
            await PlanItem.update(columns).where(PlanItem.id == item_id)
            await record(actor, "plan_item.updated", "plan_item", item_id, before=before,
                         after=after, unit_id=plan["unit"])  # fmt: skip
        if changed or status != item["status"]:
            diff = {k: [before.get(k), after.get(k)] for k in changed}
            if status != item["status"]:
                diff["status"] = [item["status"], status]
            await PlanItemChange.insert(
                PlanItemChange(
                    item=item_id, at=utcnow(), actor=actor.username, changes=json.dumps(diff)
                )
            )
        if item["parent"] is not None:
            await roll_up(item["parent"])


async def roll_up(parent_id: int) -> None:
    """An item's progress is the mean of its sub-items' that are not dropped (ROLLUP_RULE)."""
    rows = await PlanItem.select(PlanItem.progress, PlanItem.status).where(
        PlanItem.parent == parent_id
    )
    counted = [r["progress"] for r in rows if r["status"] != ItemStatus.dropped.value]
    if counted:
        await PlanItem.update({PlanItem.progress: sum(counted) // len(counted)}).where(
            PlanItem.id == parent_id
        )


async def add_item(actor: Actor, plan_id: int, program: str, parent: int | None = None,
                   unsur: str = "") -> int:  # fmt: skip
    """The unit's own item (``unsur`` code) or a sub-item of ``parent``."""
    program = program.strip()
    if not program:
        raise ValidationFailed.single("program", "program/kegiatan wajib diisi")
    async with atomic():
        plan = await plan_row(actor, plan_id, Action.manage_plans)
        if plan["status"] == PlanStatus.closed.value:
            raise Conflict("Rencana tindak lanjut sudah selesai.")
        if parent is not None:
            owner = await PlanItem.select().where(PlanItem.id == parent).first()
            if owner is None or owner["plan"] != plan_id or owner["parent"] is not None:
                raise ValidationFailed.single("parent", "kegiatan induk tidak ada di rencana ini")
            unsur = owner["unsur_code"]
        elif not unsur:
            raise ValidationFailed.single("unsur", "pilih unsur yang ditindaklanjuti")
        same_level = PlanItem.parent == parent if parent is not None else PlanItem.parent.is_null()
        siblings = await PlanItem.count().where((PlanItem.plan == plan_id) & same_level)
        now = utcnow()
        ids = await PlanItem.insert(
            PlanItem(plan=plan_id, parent=parent, position=siblings + 1, unsur_code=unsur,
                     program=program, status=ItemStatus.planned.value, progress=0,
                     edited=json.dumps(["program"]), created_at=now, updated_at=now)
        ).returning(PlanItem.id)  # fmt: skip
        item_id = int(ids[0]["id"])
        await record(actor, "plan_item.added", "plan_item", item_id,
                     after={"plan": plan_id, "parent": parent, "unsur": unsur, "program": program},
                     unit_id=plan["unit"])  # fmt: skip
        if parent is not None:
            await roll_up(parent)
    return item_id


async def comment(actor: Actor, item_id: int, text: str) -> None:
    """A comment on an item, by its operators or its penanggung jawab."""
    text = text.strip()
    if not text or len(text) > 2000:
        raise ValidationFailed.single("text", "komentar 1–2000 karakter")
    async with atomic():
        _item, plan, _full = await item_access(actor, item_id)
        await PlanComment.insert(
            PlanComment(item=item_id, author=actor.username, text=text, at=utcnow())
        )
        await record(actor, "plan_item.commented", "plan_item", item_id, after={"text": text},
                     unit_id=plan["unit"])  # fmt: skip


async def discuss(actor: Actor, plan_id: int, forum_id: int) -> None:
    """The plan was agreed in this FKP forum (held, organised by the plan's unit)."""
    async with atomic():
        plan = await plan_row(actor, plan_id, Action.manage_plans)
        forum = await Forum.select().where(Forum.id == forum_id).first()
        held = (ForumStatus.held.value, ForumStatus.minutes_published.value)
        if forum is None or not await ForumUnit.exists().where(
            (ForumUnit.forum == forum_id) & (ForumUnit.unit == plan["unit"])
        ):
            raise ValidationFailed.single("forum", "forum unit ini tidak ditemukan")
        if forum["status"] not in held:
            raise ValidationFailed.single("forum", "forum belum berlangsung")
        await move(PLAN_STATES, actor, Plan, plan, PlanStatus.discussed.value,
                   values={Plan.forum: forum_id, Plan.updated_at: utcnow()},
                   after={"status": PlanStatus.discussed.value, "forum": forum_id},
                   unit_id=plan["unit"])  # fmt: skip


async def link_agreement(actor: Actor, item_id: int, agreement_id: int) -> None:
    """Link an item to an agreement of the forum that discussed the plan."""
    async with atomic():
        _item, plan, full = await item_access(actor, item_id)
        if not full:
            raise PermissionDenied("Hanya operator unit yang menautkan kesepakatan.")
        agreement = await Agreement.select().where(Agreement.id == agreement_id).first()
        if plan["forum"] is None:
            raise Conflict("Tautkan rencana ke forum yang membahasnya terlebih dahulu.")
        if agreement is None or agreement["forum"] != plan["forum"]:
            raise ValidationFailed.single(
                "agreement", "kesepakatan bukan dari forum yang membahas rencana ini"
            )
        if await PlanItemAgreement.exists().where(
            (PlanItemAgreement.item == item_id) & (PlanItemAgreement.agreement == agreement_id)
        ):
            return
        await PlanItemAgreement.insert(PlanItemAgreement(item=item_id, agreement=agreement_id))
        await record(actor, "plan_item.agreement_linked", "plan_item", item_id,
                     after={"agreement": agreement_id, "number": agreement["number"]},
                     unit_id=plan["unit"])  # fmt: skip


async def publish(actor: Actor, plan_id: int) -> None:
    """Publish a discussed plan: every item has a program, a time and a penanggung jawab."""
    async with atomic():
        plan = await plan_row(actor, plan_id, Action.manage_plans)
        PLAN_STATES.check(plan["status"], PlanStatus.published.value)
        errors = []
        rows = await PlanItem.select().where(PlanItem.plan == plan_id).order_by(PlanItem.position)
        for number, row in enumerate(r for r in rows if r["status"] != ItemStatus.dropped.value):
            if not row["program"]:
                errors.append(
                    FieldError(f"items[{number}].program", "program/kegiatan wajib diisi")
                )
            if not row["quarter"] and row["due_date"] is None:
                errors.append(FieldError(f"items[{number}].waktu", "isi triwulan atau tanggal"))
            if not row["pj_name"] and not row["pj_position"]:
                errors.append(FieldError(f"items[{number}].penanggung_jawab", "wajib diisi"))
        if not rows:
            errors.append(FieldError("items", "rencana belum memiliki kegiatan"))
        if errors:
            raise ValidationFailed(errors, "Rencana belum lengkap untuk diumumkan")
        await move(PLAN_STATES, actor, Plan, plan, PlanStatus.published.value,
                   values={Plan.published_at: utcnow(), Plan.updated_at: utcnow()},
                   unit_id=plan["unit"])  # fmt: skip


async def close(actor: Actor, plan_id: int) -> None:
    """Close a published plan once every item is done or dropped."""
    async with atomic():
        plan = await plan_row(actor, plan_id, Action.manage_plans)
        PLAN_STATES.check(plan["status"], PlanStatus.closed.value)
        open_items = await PlanItem.count().where(
            (PlanItem.plan == plan_id) & PlanItem.status.not_in(list(FINISHED))
        )
        if open_items:
            raise Conflict(f"Masih ada {open_items} kegiatan yang belum selesai atau dibatalkan.")
        await move(PLAN_STATES, actor, Plan, plan, PlanStatus.closed.value,
                   values={Plan.closed_at: utcnow(), Plan.updated_at: utcnow()},
                   unit_id=plan["unit"])  # fmt: skip


def _list(value: Any) -> list[Any]:
    return json.loads(value) if isinstance(value, str) else list(value or [])
