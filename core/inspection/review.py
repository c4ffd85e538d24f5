"""The inspector's review of each indicator of a unit's year: approve or reject with a note,
kept as a permanent log (the latest verdict counts). Each verdict stores a fingerprint of the
evidence it saw (the cell's evidence and the unit's files in the indicator's slots); when the
evidence changes afterwards, the indicator asks for re-review.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import FieldError, ValidationFailed
from core.hooks import Hooks
from core.inspection.compliance import INDICATORS, UnitCompliance, unit_compliance
from core.inspection.slots import SLOTS, EvidenceFileOut, unit_files
from core.inspection.tables import IndicatorReview, ReviewVerdict
from core.inspection.windows import REVIEW, require_phase, unit_id_of

VERDICT_LABELS = {
    ReviewVerdict.approved.value: "Disetujui",
    ReviewVerdict.rejected.value: "Ditolak",
}
MIN_NOTE = 5

register({"indicator.reviewed": ("Peninjauan indikator", "Ditinjau")})


class ReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    """A verdict on one indicator of a unit's year."""

    year: int
    indicator: str
    verdict: str
    note: str


class ReviewOut(msgspec.Struct):
    """One verdict of the log."""

    indicator: str
    verdict: str
    note: str
    score: int | None
    reviewed_by: str | None
    reviewed_at: datetime


class IndicatorState(msgspec.Struct):
    """Where an indicator's review stands: the latest verdict, whether the evidence changed
    since, and the whole log (newest first)."""

    indicator: str
    latest: ReviewOut | None
    needs_review: bool
    changed_since_review: bool
    log: list[ReviewOut]


def evidence_digest(row: UnitCompliance, files: list[EvidenceFileOut], indicator: str) -> str:
    """A fingerprint of what an indicator's score rests on: its cell and the unit's files."""
    cell = row.indicators[indicator]
    lines = [f"score|{cell.score}"]
    lines += sorted(f"{e.label}|{e.href}|{e.date}|{e.sha256}|{e.detail}" for e in cell.evidence)
    lines += sorted(
        f"file|{f.slot}|{f.medium}|{f.version}|{f.sha256}"
        for f in files
        if SLOTS[f.slot].indicator == indicator
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


async def review_indicator(
    actor: Actor, hooks: Hooks, code: str, data: ReviewIn, timezone: str = "Asia/Jakarta"
) -> ReviewOut:
    """Record an inspector's verdict (evaluation and objection phases only)."""
    require(actor, Action.review_indicators)
    unit_id = await unit_id_of(code)
    errors = []
    if data.indicator not in INDICATORS:
        errors.append(FieldError("indicator", f"pilihan: {', '.join(INDICATORS)}"))
    if data.verdict not in VERDICT_LABELS:
        errors.append(FieldError("verdict", f"pilihan: {', '.join(VERDICT_LABELS)}"))
    note = data.note.strip()
    if len(note) < MIN_NOTE:
        errors.append(FieldError("note", f"catatan minimal {MIN_NOTE} karakter"))
    if errors:
        raise ValidationFailed(errors)
    await require_phase(REVIEW, unit_id, data.year)
    row = await unit_compliance(actor, hooks, data.year, code, timezone)
    digest = evidence_digest(row, await unit_files(unit_id, data.year), data.indicator)
    score = row.indicators[data.indicator].score
    now = utcnow()
    async with atomic():
        await IndicatorReview.insert(
            IndicatorReview(
                unit=unit_id,
                year=data.year,
                indicator=data.indicator,
                verdict=data.verdict,
                note=note,
                score=score,
                evidence_digest=digest,
                reviewed_by=actor.user_id,
                reviewed_at=now,
            )
        )
        await record(
            actor,
            "indicator.reviewed",
            "unit",
            code,
            after={"year": data.year, "indicator": data.indicator, "verdict": data.verdict,
                   "note": note, "score": score},
            unit_id=unit_id,
        )  # fmt: skip
    return ReviewOut(data.indicator, data.verdict, note, score, actor.username, now)


async def review_states(
    row: UnitCompliance, unit_id: int, year: int, files: list[EvidenceFileOut]
) -> dict[str, IndicatorState]:
    """Every indicator's review state for a unit's year, from its current matrix row."""
    rows = (
        await IndicatorReview.select(
            IndicatorReview.all_columns(), IndicatorReview.reviewed_by.username.as_alias("who")
        )
        .where((IndicatorReview.unit == unit_id) & (IndicatorReview.year == year))
        .order_by(IndicatorReview.id, ascending=False)
    )
    states = {}
    for code in INDICATORS:
        mine = [r for r in rows if r["indicator"] == code]
        log = [
            ReviewOut(r["indicator"], r["verdict"], r["note"], r["score"], r["who"],
                      r["reviewed_at"])
            for r in mine
        ]  # fmt: skip
        changed = bool(mine) and mine[0]["evidence_digest"] != evidence_digest(row, files, code)
        states[code] = IndicatorState(
            indicator=code,
            latest=log[0] if log else None,
            needs_review=not mine or changed,
            changed_since_review=changed,
            log=log,
        )
    return states
