"""Reading findings: one with its thread, or a filtered list, as far as the actor may see."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Action, Actor, can, require
from core.clock import utcnow
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.inspection.evidence import resolve
from core.inspection.lifecycle import CLOSED
from core.inspection.schemas import EntryOut, EvidenceOut, FindingOut
from core.inspection.tables import Finding, FindingEntry, FindingEvidence, FindingStatus
from core.settings import Settings

_COLUMNS = (
    Finding.all_columns(),
    Finding.unit.code.as_alias("unit_code"),
    Finding.unit.name.as_alias("unit_name"),
    Finding.created_by.username.as_alias("creator"),
)


def local_today() -> date:
    """Today in the installation's time zone (when a due date has passed)."""
    return utcnow().astimezone(ZoneInfo(Settings.from_env().timezone)).date()


def _visible_units(actor: Actor) -> frozenset[int] | None:
    """Units whose findings the actor may read: None = all; an operator only their own."""
    if can(actor, Action.view_findings):
        return None
    if actor.is_scoped:
        return actor.unit_ids
    raise PermissionDenied("Anda tidak berwenang melihat temuan.")


async def finding_row(actor: Actor, finding_id: int, action: Action) -> dict[str, Any]:
    """The finding's row if it exists and the actor may take ``action`` on its unit."""
    row = await Finding.select(*_COLUMNS).where(Finding.id == finding_id).first()
    if row is None:
        raise NotFound("Temuan tidak ditemukan.")
    if not can(actor, Action.view_findings, row["unit"]):
        raise NotFound("Temuan tidak ditemukan.")
    require(actor, action, row["unit"])
    return row


def _out(row: dict[str, Any], entries: list[EntryOut]) -> FindingOut:
    return FindingOut(
        id=row["id"],
        unit=row["unit_code"],
        unit_name=row["unit_name"],
        unit_id=row["unit"],
        title=row["title"],
        kondisi=row["kondisi"],
        kriteria=row["kriteria"],
        akibat=row["akibat"],
        rekomendasi=row["rekomendasi"],
        due_date=row["due_date"],
        status=row["status"],
        overdue=row["status"] != CLOSED and row["due_date"] < local_today(),
        cycle=row["cycle"],
        forum=row["forum"],
        indicator=row["indicator"],
        created_by=row["creator"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        entries=entries,
    )


async def _entries(finding_id: int) -> list[EntryOut]:
    files = (
        await FindingEvidence.select(
            FindingEvidence.all_columns(), FindingEvidence.uploaded_by.username.as_alias("uploader")
        )
        .where(FindingEvidence.finding == finding_id)
        .order_by(FindingEvidence.id)
    )
    by_entry: dict[int, list[EvidenceOut]] = {}
    for f in files:
        by_entry.setdefault(f["entry"], []).append(
            EvidenceOut(
                id=f["id"],
                filename=f["filename"],
                media_type=f["media_type"],
                sha256=f["sha256"],
                size=f["size"],
                uploaded_by=f["uploader"],
                uploaded_at=f["uploaded_at"],
            )
        )
    rows = (
        await FindingEntry.select(
            FindingEntry.all_columns(), FindingEntry.author.username.as_alias("username")
        )
        .where(FindingEntry.finding == finding_id)
        .order_by(FindingEntry.id)
    )
    return [
        EntryOut(
            id=r["id"],
            kind=r["kind"],
            text=r["text"],
            author=r["username"],
            created_at=r["created_at"],
            evidence=by_entry.get(r["id"], []),
        )
        for r in rows
    ]


async def get_finding(actor: Actor, finding_id: int) -> FindingOut:
    """A finding the actor may read, with its whole thread."""
    row = await finding_row(actor, finding_id, Action.view_findings)
    return _out(row, await _entries(finding_id))


async def list_findings(
    actor: Actor, unit: str | None = None, status: str | None = None
) -> list[FindingOut]:
    """Findings the actor may read (without their threads), optionally of one unit and status,
    the earliest due first."""
    units = _visible_units(actor)
    if status and status not in FindingStatus.__members__:
        raise ValidationFailed.single("status", f"pilihan: {', '.join(FindingStatus)}")
    query = Finding.select(*_COLUMNS)
    if units is not None:
        query = query.where(Finding.unit.is_in(sorted(units) or [-1]))
    if unit:
        query = query.where(Finding.unit.code == unit)
    if status:
        query = query.where(Finding.status == status)
    rows = await query.order_by(Finding.due_date).order_by(Finding.id)
    return [_out(r, []) for r in rows]


async def open_findings_by_unit() -> dict[int, int]:
    """How many findings are not closed yet, per unit id (for the compliance matrix)."""
    rows = await Finding.select(Finding.unit).where(Finding.status != CLOSED)
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["unit"]] = counts.get(row["unit"], 0) + 1
    return counts


async def open_evidence(
    actor: Actor, finding_id: int, evidence_id: int, data_dir: Path
) -> tuple[EvidenceOut, Path]:
    """An evidence file of a finding the actor may read, and where it is on disk."""
    await finding_row(actor, finding_id, Action.view_findings)
    row = (
        await FindingEvidence.select(
            FindingEvidence.all_columns(),
            FindingEvidence.uploaded_by.username.as_alias("uploader"),
        )
        .where((FindingEvidence.id == evidence_id) & (FindingEvidence.finding == finding_id))
        .first()
    )
    path = resolve(data_dir, finding_id, row["path"]) if row else None
    if row is None or path is None:
        raise NotFound("Berkas tidak ditemukan.")
    out = EvidenceOut(
        id=row["id"],
        filename=row["filename"],
        media_type=row["media_type"],
        sha256=row["sha256"],
        size=row["size"],
        uploaded_by=row["uploader"],
        uploaded_at=row["uploaded_at"],
    )
    return out, path
