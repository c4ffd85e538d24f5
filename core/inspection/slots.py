"""Evidence slots per indicator: what Suara fills from what it holds, beside the files a unit
adds. Uploads are checked by content (the findings' rule), versioned per slot and medium, kept
with their sha256 and uploader under ``data_dir/evidence/<unit id>/<year>/``; the original stays
private, a blacked-out copy (core/inspection/redaction.py) is what a dossier shares.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import FieldError, NotFound, ValidationFailed
from core.forums.documents import EXTENSIONS
from core.inspection.compliance import UnitCompliance
from core.inspection.evidence import Upload, check_uploads
from core.inspection.schemas import Evidence
from core.inspection.tables import EvidenceFile
from core.inspection.windows import UNIT_EDIT, require_phase, unit_id_of
from core.reports.publications import MEDIA_LABELS


@dataclass(frozen=True)
class Slot:
    """One kind of evidence an indicator asks for."""

    label: str
    indicator: str
    per_medium: bool = False


SLOTS: dict[str, Slot] = {
    "laporan_skm": Slot("Laporan hasil SKM", "6"),
    "publikasi": Slot("Bukti publikasi", "7", per_medium=True),
    "rtl": Slot("Rencana tindak lanjut (RTL)", "8"),
    "laporan_tindak_lanjut": Slot("Laporan hasil tindak lanjut", "9"),
    "undangan": Slot("Undangan FKP", "fkp2"),
    "daftar_hadir": Slot("Daftar hadir FKP", "fkp2"),
    "notulen": Slot("Notulen FKP", "fkp2"),
    "berita_acara": Slot("Berita acara FKP", "fkp2"),
    "foto": Slot("Foto kegiatan FKP", "fkp2"),
}

register({"evidence.uploaded": ("Bukti evaluasi", "Diunggah")})


class EvidenceFileOut(msgspec.Struct):
    """One version of a unit's file in a slot."""

    id: int
    slot: str
    medium: str
    version: int
    filename: str
    media_type: str
    sha256: str
    size: int
    uploaded_by: str | None
    uploaded_at: datetime
    redacted: bool
    redacted_sha256: str


class SlotView(msgspec.Struct):
    """A slot of one unit's year: what Suara holds, and the unit's files (newest first)."""

    code: str
    label: str
    indicator: str
    system: list[Evidence]
    files: list[EvidenceFileOut]

    @property
    def filled(self) -> bool:
        """Whether anything stands in the slot."""
        return bool(self.system or self.files)


def evidence_dir(data_dir: Path, unit_id: int, year: int) -> Path:
    """Where one unit's evidence files of a year are kept."""
    return data_dir / "evidence" / str(int(unit_id)) / str(int(year))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)


def _file_out(row: dict) -> EvidenceFileOut:
    return EvidenceFileOut(
        id=row["id"],
        slot=row["slot"],
        medium=row["medium"],
        version=row["version"],
        filename=row["filename"],
        media_type=row["media_type"],
        sha256=row["sha256"],
        size=row["size"],
        uploaded_by=row.get("who"),
        uploaded_at=row["uploaded_at"],
        redacted=bool(row["redacted_path"]),
        redacted_sha256=row["redacted_sha256"],
    )


async def upload_evidence(
    actor: Actor,
    data_dir: Path,
    code: str,
    year: int,
    slot: str,
    upload: Upload,
    medium: str = "",
) -> EvidenceFileOut:
    """Add a file to a unit's slot (the unit's operators, in the filling phase): the next
    version of that slot (and medium); nothing is written when a check fails."""
    unit_id = await unit_id_of(code)
    require(actor, Action.self_assess, unit_id)
    errors = []
    if slot not in SLOTS:
        errors.append(FieldError("slot", f"pilihan: {', '.join(SLOTS)}"))
    elif SLOTS[slot].per_medium and medium not in MEDIA_LABELS:
        errors.append(FieldError("medium", f"pilihan: {', '.join(MEDIA_LABELS)}"))
    elif not SLOTS[slot].per_medium and medium:
        errors.append(FieldError("medium", "hanya untuk bukti publikasi"))
    if errors:
        raise ValidationFailed(errors)
    (checked,) = check_uploads([upload])
    await require_phase(UNIT_EDIT, unit_id, year)
    name = f"{slot}-{secrets.token_hex(8)}.{EXTENSIONS[checked.media_type]}"
    path = evidence_dir(data_dir, unit_id, year) / name
    await asyncio.to_thread(_write, path, checked.content)
    try:
        async with atomic():
            same = (
                (EvidenceFile.unit == unit_id)
                & (EvidenceFile.year == year)
                & (EvidenceFile.slot == slot)
                & (EvidenceFile.medium == medium)
            )
            version = await EvidenceFile.count().where(same) + 1
            rows = await EvidenceFile.insert(
                EvidenceFile(
                    unit=unit_id,
                    year=year,
                    slot=slot,
                    medium=medium,
                    version=version,
                    filename=checked.filename,
                    media_type=checked.media_type,
                    path=str(path.relative_to(data_dir)),
                    sha256=checked.sha256,
                    size=checked.size,
                    uploaded_by=actor.user_id,
                    uploaded_at=utcnow(),
                )
            ).returning(EvidenceFile.id)
            file_id = int(rows[0]["id"])
            await record(
                actor,
                "evidence.uploaded",
                "evidence_file",
                file_id,
                after={"year": year, "slot": slot, "medium": medium, "version": version,
                       "filename": checked.filename, "sha256": checked.sha256},
                unit_id=unit_id,
            )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return (await unit_files(unit_id, year, file_id))[0]


async def unit_files(unit_id: int, year: int, file_id: int | None = None) -> list[EvidenceFileOut]:
    """A unit's files of a year, newest version first (or the one file ``file_id``)."""
    where = (EvidenceFile.unit == unit_id) & (EvidenceFile.year == year)
    if file_id is not None:
        where = where & (EvidenceFile.id == file_id)
    rows = (
        await EvidenceFile.select(
            EvidenceFile.all_columns(), EvidenceFile.uploaded_by.username.as_alias("who")
        )
        .where(where)
        .order_by(EvidenceFile.id, ascending=False)
    )
    return [_file_out(r) for r in rows]


def slot_views(row: UnitCompliance, files: list[EvidenceFileOut]) -> list[SlotView]:
    """Every slot of a unit's year: the system's evidence (from its matrix row) and its files."""
    system: dict[str, list[Evidence]] = {code: [] for code in SLOTS}
    seen: set[tuple[str, str]] = set()
    for cell in row.indicators.values():
        for item in cell.evidence:
            if item.slot in system and (item.slot, item.href) not in seen:
                seen.add((item.slot, item.href))
                system[item.slot].append(item)
    return [
        SlotView(
            code=code,
            label=slot.label,
            indicator=slot.indicator,
            system=system[code],
            files=[f for f in files if f.slot == code],
        )
        for code, slot in SLOTS.items()
    ]


async def file_row(actor: Actor, file_id: int, action: Action = Action.view_findings) -> dict:
    """A stored file the actor may see (the original: the unit's own users and the inspectorate)."""
    row = await EvidenceFile.select().where(EvidenceFile.id == file_id).first()
    if row is None:
        raise NotFound("Berkas bukti tidak ditemukan.")
    require(actor, action, row["unit"])
    return row


def stored_path(data_dir: Path, relative: str) -> Path | None:
    """The file on disk for a stored relative path, if it lies under the evidence folder."""
    if not relative:
        return None
    path = (data_dir / relative).resolve()
    folder = (data_dir / "evidence").resolve()
    return path if folder in path.parents and path.is_file() else None
