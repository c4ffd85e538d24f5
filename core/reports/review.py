"""The report's review and the cycle's last two steps: closed → reported → published.

An operator submits the unit's report; the Bagian Organisasi (admin) returns it with a note or
finalises it (an admin may finalise directly). Finalising needs a finished report job and moves
the cycle to *reported*; the first recorded publication moves it to *published*. Every move is
audited through :mod:`core.states`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core.accounts.policy import Action, Actor
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, ValidationFailed
from core.reports.photos import check_photo, photo_path, store_photo
from core.reports.public_report import ask_after_publication
from core.reports.publications import PublicationIn, check_publication, insert_publication
from core.reports.tables import CycleReport, JobStatus, ReportJob
from core.settings import Settings
from core.states import StateMachine, move
from core.surveys.cycles import CYCLE_STATES, cycle_row
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.service import emit_event

REPORT_STATES = StateMachine(
    entity="cycle_report",
    action_prefix="report",
    noun="Laporan SKM",
    transitions={
        "draft": frozenset({"submitted", "finalised"}),
        "submitted": frozenset({"returned", "finalised"}),
        "returned": frozenset({"submitted", "finalised"}),
        "finalised": frozenset(),
    },
    labels={
        "draft": "Draf",
        "submitted": "Diajukan untuk diperiksa",
        "returned": "Dikembalikan untuk diperbaiki",
        "finalised": "Final",
    },
)
"""The review loop of a cycle's report."""
MAX_TEXT = 5000
SIGNATURE_KEYS = ("tempat", "tanggal", "jabatan", "nama", "pangkat", "nip")


class ReportTextsIn(msgspec.Struct, forbid_unknown_fields=True):
    """The parts of the report the unit writes itself (blank: the text written from the data)."""

    latar_belakang: str = ""
    kesimpulan: str = ""
    rekomendasi: str = ""
    signature: dict[str, str] = msgspec.field(default_factory=dict)


class ReviewOut(msgspec.Struct):
    """Where the report of a cycle is in its review."""

    cycle: int
    cycle_status: str
    status: str
    status_label: str
    note: str
    allowed: list[str]


async def _report_row(cycle_id: int) -> dict[str, Any]:
    """The cycle's report row, created as a draft the first time it is needed."""
    row = await CycleReport.select().where(CycleReport.cycle == cycle_id).first()
    if row is None:
        await CycleReport.insert(
            CycleReport(cycle=cycle_id, status="draft", signature="{}", updated_at=utcnow())
        )
        row = await CycleReport.select().where(CycleReport.cycle == cycle_id).first()
    return row


async def review_of(actor: Actor, cycle_id: int) -> ReviewOut:
    """The review status of a cycle's report."""
    cycle = await cycle_row(actor, cycle_id)
    row = await CycleReport.select().where(CycleReport.cycle == cycle_id).first()
    status = row["status"] if row else "draft"
    return ReviewOut(
        cycle=cycle_id,
        cycle_status=cycle["status"],
        status=status,
        status_label=REPORT_STATES.label(status),
        note=row["note"] if row else "",
        allowed=list(REPORT_STATES.allowed(status)),
    )


async def save_texts(actor: Actor, cycle_id: int, data: ReportTextsIn) -> None:
    """Store the unit's latar belakang, kesimpulan, rekomendasi and signature block (audited)."""
    from core.audit.service import record

    errors = [
        FieldError(name, f"paling panjang {MAX_TEXT} karakter")
        for name in ("latar_belakang", "kesimpulan", "rekomendasi")
        if len(getattr(data, name)) > MAX_TEXT
    ]
    errors += [
        FieldError(f"signature.{key}", f"pilihan: {', '.join(SIGNATURE_KEYS)}")
        for key in data.signature
        if key not in SIGNATURE_KEYS
    ]
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        cycle = await cycle_row(actor, cycle_id, Action.manage_cycles)
        row = await _report_row(cycle_id)
        if row["status"] == "finalised":
            raise Conflict("Laporan sudah final; teksnya tidak dapat diubah lagi.")
        values = {
            "latar_belakang": data.latar_belakang.strip(),
            "kesimpulan": data.kesimpulan.strip(),
            "rekomendasi": data.rekomendasi.strip(),
            "signature": {k: str(v).strip()[:200] for k, v in data.signature.items()},
        }
        await CycleReport.update(
            {
                CycleReport.latar_belakang: values["latar_belakang"],
                CycleReport.kesimpulan: values["kesimpulan"],
                CycleReport.rekomendasi: values["rekomendasi"],
                CycleReport.signature: json.dumps(values["signature"]),
                CycleReport.updated_at: utcnow(),
            }
        ).where(CycleReport.id == row["id"])
        await record(
            actor,
            "report.texts_saved",
            "cycle_report",
            row["id"],
            after=values,
            unit_id=cycle["unit"],
        )


async def _done_job(cycle_id: int) -> None:
    done = await ReportJob.count().where(
        (ReportJob.cycle == cycle_id)
        & (ReportJob.kind == "cycle")
        & (ReportJob.status == JobStatus.done.value)
    )
    if not done:
        raise Conflict(
            "Buat laporan (PDF dan XLSX) terlebih dahulu; belum ada laporan yang selesai."
        )


async def _move_report(
    actor: Actor, cycle: dict[str, Any], to: str, note: str = ""
) -> dict[str, Any]:
    row = await _report_row(cycle["id"])
    await move(
        REPORT_STATES,
        actor,
        CycleReport,
        row,
        to,
        values={CycleReport.note: note, CycleReport.updated_at: utcnow()},
        reason=note or None,
        unit_id=cycle["unit"],
    )
    return row


async def _move_cycle(actor: Actor, cycle: dict[str, Any], to: CycleStatus) -> None:
    await move(
        CYCLE_STATES,
        actor,
        SurveyCycle,
        cycle,
        to.value,
        values={SurveyCycle.updated_at: utcnow()},
        unit_id=cycle["unit"],
    )
    await emit_event(f"cycle.{to.value}", {"cycle": cycle["id"]})


async def submit_report(actor: Actor, cycle_id: int) -> None:
    """The unit submits its report of a closed cycle for review."""
    async with atomic():
        cycle = await cycle_row(actor, cycle_id, Action.manage_cycles)
        if cycle["status"] != CycleStatus.closed.value:
            raise Conflict("Laporan hanya dapat diajukan untuk siklus yang sudah ditutup.")
        await _done_job(cycle_id)
        await _move_report(actor, cycle, "submitted")


async def return_report(actor: Actor, cycle_id: int, note: str) -> None:
    """The Bagian Organisasi sends the report back with what to revise."""
    if len(note.strip()) < 10:
        raise ValidationFailed.single("note", "catatan wajib diisi (minimal 10 karakter)")
    async with atomic():
        cycle = await cycle_row(actor, cycle_id, Action.review_reports)
        await _move_report(actor, cycle, "returned", note.strip())


async def finalise_report(actor: Actor, cycle_id: int) -> None:
    """The Bagian Organisasi accepts the report: the cycle moves from closed to reported."""
    async with atomic():
        cycle = await cycle_row(actor, cycle_id, Action.review_reports)
        CYCLE_STATES.check(cycle["status"], CycleStatus.reported.value)
        await _done_job(cycle_id)
        await _move_report(actor, cycle, "finalised")
        await _move_cycle(actor, cycle, CycleStatus.reported)


async def record_publication(
    actor: Actor, settings: Settings, cycle_id: int, data: PublicationIn, photo: bytes = b""
) -> int:
    """Add a publication (a link, an uploaded photo or both); one recorded while the cycle is
    reported (the first one, in the normal flow) moves it to published. A photo is stored by its
    sha256 and removed again if the entry fails."""
    today = utcnow().astimezone(ZoneInfo(settings.timezone)).date()
    check_publication(data, today, has_photo=bool(photo))
    stored = ""
    new_file: Path | None = None
    try:
        async with atomic():
            cycle = await cycle_row(actor, cycle_id, Action.manage_cycles)
            if cycle["status"] not in {CycleStatus.reported.value, CycleStatus.published.value}:
                raise Conflict(
                    "Publikasi dicatat setelah laporan difinalkan (status «Dilaporkan»)."
                )
            if photo:
                check_photo("photo", photo)
                target = settings.data_dir / photo_path(cycle_id, "publikasi", photo)
                new_file = None if target.exists() else target
                stored = store_photo(settings.data_dir, cycle_id, "publikasi", "photo", photo)
            publication_id = await insert_publication(
                actor, cycle_id, cycle["unit"], data, str(stored)
            )
            # The first publication recorded once reported (entries imported before it was
            # reported, as the demo's register has, do not count).
            if cycle["status"] == CycleStatus.reported.value:
                await _move_cycle(actor, cycle, CycleStatus.published)
                await ask_after_publication(cycle_id)
    except BaseException:
        if new_file is not None:
            new_file.unlink(missing_ok=True)
        raise
    return publication_id
