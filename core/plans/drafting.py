"""Drafting a plan from a closed cycle: the weakest unsur, the saran that speak of them, and
candidate activities — requested by the unit, written by a worker job (through the outbox).

Drafting again keeps what the unit has edited: an item's figures and saran are refreshed, its
suggested fields only while nobody has changed them, and an untouched item whose unsur is no
longer a priority is removed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict
from core.hooks import Hooks
from core.jobs.outbox import enqueue
from core.plans.matching import match_unsur
from core.plans.tables import ItemStatus, Plan, PlanItem, PlanStatus
from core.plugin_api import CandidateActivity, PlanVocabulary, ScoreResult, UnsurResult
from core.surveys.cycles import cycle_row
from core.surveys.questionnaires import scoring_method
from core.surveys.scores import score_scope
from core.surveys.tables import CycleStatus, Response, SurveyCycle
from core.surveys.tallies import Scope, unsur_order
from core.units.tables import Unit

JOB_KIND = "plan.draft"
LOWEST = 3
SCORED = (CycleStatus.closed.value, CycleStatus.reported.value, CycleStatus.published.value)
SUGGESTED = ("program", "quarter", "pj_position", "indicator")


def priorities(score: ScoreResult, weak_grades: set[str]) -> list[UnsurResult]:
    """The three lowest unsur plus every unsur graded below the second-best band, lowest first."""
    ranked = sorted(
        (u for u in score.unsur if u.nrr is not None),
        key=lambda u: (u.nrr, unsur_order(u.code)),
    )
    return [u for i, u in enumerate(ranked) if i < LOWEST or u.mutu in weak_grades]


def vocabularies(hooks: Hooks, unit_code: str) -> list[PlanVocabulary]:
    """The vocabularies that apply to a unit's plans (every unit's, then the unit's own)."""
    found = [v for v in hooks.plan_vocabularies().values() if v.unit in (None, unit_code)]
    return sorted(found, key=lambda v: (v.unit is not None, v.code))


def merged_lexicon(vocabs: Sequence[PlanVocabulary]) -> dict[str, tuple[str, ...]]:
    """Every root of every vocabulary, per unsur."""
    merged: dict[str, tuple[str, ...]] = {}
    for vocab in vocabs:
        for code, roots in vocab.lexicon.items():
            merged[code] = tuple(dict.fromkeys((*merged.get(code, ()), *roots)))
    return merged


def candidates(vocabs: Sequence[PlanVocabulary], unsur: str) -> list[CandidateActivity]:
    """Candidate activities for an unsur; a unit's own come first."""
    return [a for v in reversed(vocabs) for a in v.activities if a.unsur == unsur]


def sort_saran(
    texts: Sequence[str], lexicon: dict[str, tuple[str, ...]]
) -> tuple[dict[str, list[str]], list[str]]:
    """Saran per unsur code (a saran may be under several) and the saran matching none; a saran
    written word for word by several respondents is listed once."""
    by_unsur: dict[str, list[str]] = {}
    unmatched: list[str] = []
    for text in dict.fromkeys(t.strip() for t in texts if t.strip()):
        codes = match_unsur(text, lexicon)
        for code in codes:
            by_unsur.setdefault(code, []).append(text)
        if not codes:
            unmatched.append(text)
    return by_unsur, unmatched


async def _scored(hooks: Hooks, row: dict[str, Any]) -> ScoreResult:
    if row["status"] not in SCORED:
        raise Conflict("Rencana tindak lanjut disusun dari siklus yang sudah ditutup.")
    score = await score_scope(hooks, row["scoring_method"], Scope.cycle(row["id"]))
    if score is None:
        raise Conflict("Siklus ini belum memiliki jawaban; tidak ada unsur untuk ditindaklanjuti.")
    if score.withheld:
        raise Conflict(f"Nilai siklus ini ditahan ({score.withheld}); RTL belum dapat disusun.")
    return score


async def request_draft(actor: Actor, hooks: Hooks, cycle_id: int) -> int:
    """Check the cycle can be drafted from and queue the drafting job; returns the job id."""
    async with atomic():
        row = await cycle_row(actor, cycle_id, Action.manage_plans)
        await _scored(hooks, row)
        plan = await Plan.select(Plan.status).where(Plan.cycle == cycle_id).first()
        if plan is not None and plan["status"] != PlanStatus.draft.value:
            raise Conflict("Rencana tindak lanjut sudah dibahas; draf tidak dapat disusun ulang.")
        return await enqueue(JOB_KIND, {"cycle": cycle_id, "requested_by": actor.username})


def _suggestion(activities: list[CandidateActivity]) -> dict[str, str]:
    first = activities[0] if activities else CandidateActivity(unsur="", program="")
    return {
        "program": first.program,
        "quarter": first.quarter,
        "pj_position": first.position,
        "indicator": first.indicator,
    }


async def draft_plan(hooks: Hooks, cycle_id: int, requested_by: str) -> int:
    """Write (or refresh) the draft plan of a cycle; runs in the worker, inside its transaction."""
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    if row is None:
        raise LookupError(f"cycle {cycle_id} is gone")
    score = await _scored(hooks, row)
    unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()
    vocabs = vocabularies(hooks, unit["code"])
    lexicon = merged_lexicon(vocabs)
    method = scoring_method(hooks, row["scoring_method"])
    weak = {band.mutu for band in method.interpretation[:-2]}  # the table is lowest band first
    chosen = priorities(score, weak)
    texts = [
        r["saran"]
        for r in await Response.select(Response.saran)
        .where((Response.cycle == cycle_id) & (Response.saran != ""))
        .order_by(Response.id)
    ]
    by_unsur, unmatched = sort_saran(texts, lexicon)
    now = utcnow()
    source = {
        "cycle": cycle_id,
        "questionnaire": row["questionnaire"],
        "method": row["scoring_method"],
        "vocabularies": {v.code: v.version for v in vocabs},
        "drafted_at": now.isoformat(),
        "requested_by": requested_by,
    }
    plan = await Plan.select().where(Plan.cycle == cycle_id).first()
    if plan is not None and plan["status"] != PlanStatus.draft.value:
        return int(plan["id"])  # discussed meanwhile: the agreed plan is not redrafted
    if plan is None:
        ids = await Plan.insert(
            Plan(unit=row["unit"], cycle=cycle_id, status=PlanStatus.draft.value,
                 created_at=now, updated_at=now)
        ).returning(Plan.id)  # fmt: skip
        plan_id = int(ids[0]["id"])
    else:
        plan_id = int(plan["id"])
    await Plan.update(
        {Plan.source: json.dumps(source), Plan.unmatched_saran: json.dumps(unmatched),
         Plan.drafted_at: now, Plan.updated_at: now}
    ).where(Plan.id == plan_id)  # fmt: skip
    existing = {
        r["unsur_code"]: r
        for r in await PlanItem.select().where(
            (PlanItem.plan == plan_id) & PlanItem.parent.is_null()
        )
    }
    for position, unsur in enumerate(chosen, start=1):
        figures = {
            "unsur_name": unsur.name, "nrr": unsur.nrr, "konversi": unsur.konversi,
            "mutu": unsur.mutu or "", "saran": json.dumps(by_unsur.get(unsur.code, [])),
            "position": position, "updated_at": now,
        }  # fmt: skip
        suggested = _suggestion(candidates(vocabs, unsur.code))
        old = existing.pop(unsur.code, None)
        if old is None:
            await PlanItem.insert(
                PlanItem(plan=plan_id, unsur_code=unsur.code, status=ItemStatus.planned.value,
                         progress=0, created_at=now, **figures, **suggested)
            )  # fmt: skip
            continue
        edited = set(_json(old["edited"]))
        keep = {k: v for k, v in suggested.items() if k not in edited}
        values = {getattr(PlanItem, k): v for k, v in {**figures, **keep}.items()}
        await PlanItem.update(values).where(PlanItem.id == old["id"])
    for old in existing.values():  # no longer a priority: removed unless the unit worked on it
        untouched = not _json(old["edited"]) and old["status"] == ItemStatus.planned.value
        if untouched and not await PlanItem.exists().where(PlanItem.parent == old["id"]):
            await PlanItem.delete().where(PlanItem.id == old["id"])
    await record(
        Actor.system(), "plan.drafted", "plan", plan_id,
        after={**source, "priorities": [u.code for u in chosen]}, unit_id=row["unit"],
    )  # fmt: skip
    return plan_id


def _json(value: Any) -> list[Any]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def draft_handler(hooks: Hooks):
    """The outbox handler of ``plan.draft`` jobs (idempotent: drafting twice gives one plan)."""

    async def handle(payload: dict[str, Any]) -> None:
        await draft_plan(hooks, int(payload["cycle"]), str(payload.get("requested_by", "")))

    return handle
