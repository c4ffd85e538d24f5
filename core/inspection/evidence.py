"""Evidence files of a finding's tanggapan: checked by content, stored with their sha256.

Files live under ``data_dir/findings/<finding id>/`` with generated names (kept relative to the
data directory); the uploaded name is only for display. Types are sniffed from the content by the
same rule as forum documents.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.errors import FieldError, ValidationFailed
from core.forums.documents import EXTENSIONS, MAX_BYTES, TYPE_NAMES, display_name, sniff

ALLOWED = frozenset(EXTENSIONS)


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks, with where it will be written."""

    filename: str
    media_type: str
    sha256: str
    size: int
    content: bytes


def finding_dir(data_dir: Path, finding_id: int) -> Path:
    """Where the files of one finding are kept."""
    return data_dir / "findings" / str(int(finding_id))


def check_uploads(uploads: list[Upload], field: str = "file") -> list[Checked]:
    """Every upload checked (size, real type); all problems named at once, one per file."""
    errors: list[FieldError] = []
    checked: list[Checked] = []
    allowed = ", ".join(sorted({TYPE_NAMES[t] for t in ALLOWED}))
    for number, upload in enumerate(uploads, start=1):
        name = display_name(upload.filename)
        if not upload.content:
            errors.append(FieldError(field, f"berkas «{name}» kosong", row=number))
            continue
        if len(upload.content) > MAX_BYTES:
            errors.append(FieldError(field, f"berkas «{name}» lebih dari 10 MB", row=number))
            continue
        media_type = sniff(upload.content)
        if media_type not in ALLOWED:
            errors.append(
                FieldError(
                    field, f"berkas «{name}» bukan {allowed} (diperiksa dari isinya)", number
                )
            )
            continue
        digest = hashlib.sha256(upload.content).hexdigest()
        checked.append(Checked(name, media_type, digest, len(upload.content), upload.content))
    if errors:
        raise ValidationFailed(errors)
    return checked


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)


async def store(data_dir: Path, finding_id: int, item: Checked) -> Path:
    """Write one checked file under the finding's folder; returns its path."""
    path = finding_dir(data_dir, finding_id) / (
        f"bukti-{secrets.token_hex(8)}.{EXTENSIONS[item.media_type]}"
    )
    await asyncio.to_thread(_write, path, item.content)
    return path


def resolve(data_dir: Path, finding_id: int, stored: str) -> Path | None:
    """The file on disk for a stored relative path, if it lies in the finding's folder."""
    path = (data_dir / stored).resolve()
    folder = finding_dir(data_dir, finding_id).resolve()
    return path if folder in path.parents and path.is_file() else None
