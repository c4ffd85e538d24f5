"""Reading plans: the API shape, the printable table the SKM report's BAB IV includes."""

from __future__ import annotations

import json
from typing import Any

from core.accounts.policy import Action, Actor, can, require
from core.errors import NotFound
from core.plans.lifecycle import ITEM_LABELS, ROLLUP_RULE
from core.plans.schemas import EvidenceOut, PlanItemOut, PlanOut
from core.plans.tables import Plan, PlanEvidence, PlanItem, PlanItemAgreement
from core.units.tables import Unit

TABLE_COLUMNS = ("No", "Prioritas unsur", "Program/Kegiatan", "Waktu", "Penanggung jawab", "Status")


def _list(value: Any) -> list[Any]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _dict(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def waktu(row: dict[str, Any]) -> str:
    """When an item is due, as the plan table prints it: a date, or TW I–IV."""
    if row["due_date"] is not None:
        return row["due_date"].isoformat()
    return f"TW {row['quarter']}" if row["quarter"] else ""


async def plan_row(actor: Actor, plan_id: int, action: Action = Action.view_plans) -> dict:
    """A plan the actor may see (and take ``action`` on)."""
    row = await Plan.select().where(Plan.id == plan_id).first()
    if row is None or not can(actor, Action.view_plans, row["unit"]):
        raise NotFound(f"Rencana tindak lanjut {plan_id} tidak ditemukan.")
    require(actor, action, row["unit"])
    return row


async def _items(plan_id: int) -> list[PlanItemOut]:
    rows = await PlanItem.select(
        *PlanItem.all_columns(), PlanItem.pj_user.username.as_alias("pj_username")
    ).where(PlanItem.plan == plan_id)
    ids = [r["id"] for r in rows]
    evidence: dict[int, list[EvidenceOut]] = {}
    links: dict[int, list[int]] = {}
    if ids:
        for e in (
            await PlanEvidence.select()
            .where(PlanEvidence.item.is_in(ids))
            .order_by(PlanEvidence.milestone_on)
        ):
            evidence.setdefault(e["item"], []).append(
                EvidenceOut(**{k: e[k] for k in EvidenceOut.__struct_fields__})
            )
        for link in await PlanItemAgreement.select().where(PlanItemAgreement.item.is_in(ids)):
            links.setdefault(link["item"], []).append(link["agreement"])
    top = sorted((r for r in rows if r["parent"] is None), key=lambda r: r["position"])
    children = sorted((r for r in rows if r["parent"] is not None), key=lambda r: r["position"])
    ordered: list[dict[str, Any]] = []
    for row in top:
        ordered.append(row)
        ordered.extend(c for c in children if c["parent"] == row["id"])
    return [
        PlanItemOut(
            id=r["id"], parent=r["parent"], position=r["position"], unsur=r["unsur_code"],
            unsur_name=r["unsur_name"], nrr=r["nrr"], konversi=r["konversi"], mutu=r["mutu"],
            saran=_list(r["saran"]), program=r["program"], waktu=waktu(r), quarter=r["quarter"],
            due_date=r["due_date"],
            penanggung_jawab={"name": r["pj_name"], "position": r["pj_position"],
                              "user": r["pj_username"], "email": r["pj_email"]},
            indicator=r["indicator"], status=r["status"], progress=r["progress"],
            realised_on=r["realised_on"], hambatan=r["hambatan"], drop_reason=r["drop_reason"],
            agreements=sorted(links.get(r["id"], [])), evidence=evidence.get(r["id"], []),
        )
        for r in ordered
    ]  # fmt: skip


async def plan_out(row: dict[str, Any]) -> PlanOut:
    """A plan row with its items."""
    unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()
    return PlanOut(
        id=row["id"],
        cycle=row["cycle"],
        unit=unit["code"],
        status=row["status"],
        forum=row["forum"],
        source=_dict(row["source"]),
        unmatched_saran=_list(row["unmatched_saran"]),
        items=await _items(row["id"]),
        rollup_rule=ROLLUP_RULE,
        published_at=row["published_at"],
    )


async def plan_for_cycle(actor: Actor, cycle_id: int) -> PlanOut:
    """The plan of a cycle (NotFound until a draft exists)."""
    row = await Plan.select().where(Plan.cycle == cycle_id).first()
    if row is None or not can(actor, Action.view_plans, row["unit"]):
        raise NotFound("Rencana tindak lanjut siklus ini belum disusun.")
    return await plan_out(row)


async def plan_table(cycle_id: int) -> list[tuple[str, ...]] | None:
    """The plan table as the Laporan Hasil SKM prints it (BAB IV), or None when there is none.

    Rows follow ``TABLE_COLUMNS``; sub-items are numbered under their item (1.1, 1.2).
    """
    row = await Plan.select().where(Plan.cycle == cycle_id).first()
    if row is None:
        return None
    rows: list[tuple[str, ...]] = []
    number, sub = 0, 0
    for item in await _items(row["id"]):
        if item.parent is None:
            number, sub = number + 1, 0
            label = str(number)
            unsur = f"{item.unsur} {item.unsur_name}".strip()
        else:
            sub += 1
            label, unsur = f"{number}.{sub}", ""
        pj = ", ".join(
            p for p in (item.penanggung_jawab["name"], item.penanggung_jawab["position"]) if p
        )
        status = f"{ITEM_LABELS.get(item.status, item.status)} ({item.progress} %)"
        rows.append((label, unsur, item.program, item.waktu, pj, status))
    return rows
