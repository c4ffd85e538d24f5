"""Findings (temuan): an inspector records one against a unit, the unit answers, the inspector
accepts, returns or closes it. Every step is audited and the other side is notified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.accounts.policy import Action, Actor, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, ValidationFailed
from core.forums.tables import ForumUnit
from core.inspection.evidence import Upload, check_uploads, store
from core.inspection.labels import INDICATOR_LABELS
from core.inspection.lifecycle import CLOSED, FINDING_STATES, OPEN, RESPONDED, RETURNED
from core.inspection.notices import queue_notice
from core.inspection.reads import finding_row
from core.inspection.schemas import FindingIn
from core.inspection.tables import Finding, FindingEntry, FindingEvidence
from core.states import move
from core.surveys.tables import SurveyCycle
from core.units.tables import Unit

TEXT_FIELDS = ("title", "kondisi", "kriteria", "akibat", "rekomendasi")
MIN_NOTE = 10


async def _check(data: FindingIn) -> tuple[int, list[FieldError]]:
    errors = [
        FieldError(name, "wajib diisi") for name in TEXT_FIELDS if not getattr(data, name).strip()
    ]
    if len(data.title) > 250:
        errors.append(FieldError("title", "paling banyak 250 karakter"))
    if data.indicator and data.indicator not in INDICATOR_LABELS:
        errors.append(FieldError("indicator", f"pilihan: {', '.join(INDICATOR_LABELS)}"))
    unit = await Unit.select(Unit.id).where(Unit.code == data.unit.strip()).first()
    if unit is None:
        errors.append(FieldError("unit", f"unit «{data.unit}» tidak ditemukan"))
        return 0, errors
    if data.cycle is not None and not await SurveyCycle.exists().where(
        (SurveyCycle.id == data.cycle) & (SurveyCycle.unit == unit["id"])
    ):
        errors.append(FieldError("cycle", "siklus tidak ditemukan pada unit ini"))
    if data.forum is not None and not await ForumUnit.exists().where(
        (ForumUnit.forum == data.forum) & (ForumUnit.unit == unit["id"])
    ):
        errors.append(FieldError("forum", "forum tidak ditemukan pada unit ini"))
    return unit["id"], errors


async def create_finding(actor: Actor, data: FindingIn) -> int:
    """Record a finding against a unit (inspectors only); the unit's users are notified."""
    require(actor, Action.manage_findings)
    unit_id, errors = await _check(data)
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    values = {name: getattr(data, name).strip() for name in TEXT_FIELDS}
    async with atomic():
        rows = await Finding.insert(
            Finding(
                unit=unit_id,
                cycle=data.cycle,
                forum=data.forum,
                indicator=data.indicator,
                due_date=data.due_date,
                status=OPEN,
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
                **values,
            )
        ).returning(Finding.id)
        finding_id = int(rows[0]["id"])
        after = {**values, "unit": data.unit, "due_date": data.due_date.isoformat(), "status": OPEN}
        await record(actor, "finding.created", "finding", finding_id, after=after, unit_id=unit_id)
        await queue_notice(finding_id, "finding.opened")
    return finding_id


async def _entry(actor: Actor, finding_id: int, kind: str, text: str) -> int:
    rows = await FindingEntry.insert(
        FindingEntry(
            finding=finding_id, kind=kind, text=text, author=actor.user_id, created_at=utcnow()
        )
    ).returning(FindingEntry.id)
    return int(rows[0]["id"])


async def _step(
    actor: Actor, row: dict[str, Any], to: str, kind: str, text: str, event: str
) -> int:
    """Move the finding, add its thread entry and queue the notice (in the caller's transaction)."""
    await move(
        FINDING_STATES,
        actor,
        Finding,
        row,
        to,
        values={Finding.updated_at: utcnow()},
        reason=text or None,
        unit_id=row["unit"],
    )
    entry_id = await _entry(actor, row["id"], kind, text)
    await queue_notice(row["id"], event)
    return entry_id


async def respond(
    actor: Actor,
    finding_id: int,
    text: str,
    uploads: list[Upload] | None = None,
    *,
    data_dir: Path,
) -> int:
    """The unit's tanggapan, with evidence files (its own units only); returns the entry id."""
    text = text.strip()
    if not text:
        raise ValidationFailed.single("text", "tuliskan tanggapan unit")
    checked = check_uploads(uploads or [])
    written: list[Path] = []
    try:
        async with atomic():
            row = await finding_row(actor, finding_id, Action.respond_findings)
            entry_id = await _step(actor, row, RESPONDED, "response", text, "finding.responded")
            for item in checked:
                path = await store(data_dir, finding_id, item)
                written.append(path)
                await FindingEvidence.insert(
                    FindingEvidence(
                        finding=finding_id,
                        entry=entry_id,
                        filename=item.filename,
                        media_type=item.media_type,
                        path=path.relative_to(data_dir).as_posix(),
                        sha256=item.sha256,
                        size=item.size,
                        uploaded_by=actor.user_id,
                        uploaded_at=utcnow(),
                    )
                )
                detail = {"filename": item.filename, "sha256": item.sha256, "size": item.size}
                await record(
                    actor,
                    "finding.evidence_added",
                    "finding",
                    finding_id,
                    after=detail,
                    unit_id=row["unit"],
                )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return entry_id


def _note(text: str, required: bool) -> str:
    text = text.strip()
    if required and len(text) < MIN_NOTE:
        raise ValidationFailed.single("text", f"tuliskan alasannya (minimal {MIN_NOTE} karakter)")
    return text


async def accept(actor: Actor, finding_id: int, note: str = "") -> None:
    """Accept the unit's tanggapan: the finding is closed (inspectors only)."""
    note = _note(note, required=False)
    async with atomic():
        row = await finding_row(actor, finding_id, Action.manage_findings)
        if row["status"] != RESPONDED:
            raise Conflict("Hanya temuan yang sudah ditanggapi yang dapat diterima tanggapannya.")
        await _step(actor, row, CLOSED, "accepted", note, "finding.closed")


async def return_finding(actor: Actor, finding_id: int, note: str) -> None:
    """Return the tanggapan to the unit with what is still missing (inspectors only)."""
    note = _note(note, required=True)
    async with atomic():
        row = await finding_row(actor, finding_id, Action.manage_findings)
        await _step(actor, row, RETURNED, "returned", note, "finding.returned")


async def close(actor: Actor, finding_id: int, note: str) -> None:
    """Close a finding without accepting a tanggapan, with the reason (inspectors only)."""
    note = _note(note, required=True)
    async with atomic():
        row = await finding_row(actor, finding_id, Action.manage_findings)
        await _step(actor, row, CLOSED, "closed", note, "finding.closed")
