"""Photos a report carries (publication evidence, documentation), stored by their sha256.

A photo lives at ``data_dir/reports/cycles/<cycle id>/<kind>-<sha256>.<jpg|png>``, written whole
through the report file store; its type comes from its first bytes, never from its name.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.errors import ValidationFailed
from core.forums.documents import EXTENSIONS, JPEG, PNG, sniff
from core.reports.artifacts import resolve, write_file

MAX_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = frozenset({JPEG, PNG})


def check_photo(field: str, content: bytes) -> str:
    """The photo's media type; ValidationFailed naming ``field`` when empty, too big or no image."""
    if not content:
        raise ValidationFailed.single(field, "pilih foto terlebih dahulu (berkas kosong)")
    if len(content) > MAX_BYTES:
        raise ValidationFailed.single(field, "foto terlalu besar (maksimal 5 MB)")
    media_type = sniff(content)
    if media_type not in IMAGE_TYPES:
        raise ValidationFailed.single(
            field, "berkas bukan foto JPEG atau PNG; jenisnya diperiksa dari isi, bukan dari nama"
        )
    return media_type


def photo_path(cycle_id: int, kind: str, content: bytes) -> Path:
    """Where a (checked) photo of a cycle is kept, relative to the data directory."""
    extension = EXTENSIONS[check_photo("photo", content)]
    digest = hashlib.sha256(content).hexdigest()
    return Path("reports", "cycles", str(int(cycle_id)), f"{kind}-{digest}.{extension}")


def store_photo(data_dir: Path, cycle_id: int, kind: str, field: str, content: bytes) -> str:
    """Check and store a photo of a cycle; its path relative to the data directory."""
    media_type = check_photo(field, content)
    relative = photo_path(cycle_id, kind, content)
    write_file(data_dir, data_dir / relative, EXTENSIONS[media_type], content)
    return relative.as_posix()


def photo_data_uri(data_dir: Path, relative: str) -> str:
    """A stored photo as a data: URI, so the same HTML shows it on screen and in the PDF."""
    return photo_data_uri_of(resolve(data_dir, relative))


def photo_data_uri_of(path: Path) -> str:
    """A PNG or JPEG file as a data: URI (its type from the suffix)."""
    media_type = PNG if path.suffix == ".png" else JPEG
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _cycle_dir(data_dir: Path, cycle_id: int) -> Path:
    return data_dir / "reports" / "cycles" / str(int(cycle_id))


async def add_documentation(actor: Actor, data_dir: Path, cycle_id: int, content: bytes) -> str:
    """Store a documentation photo of a cycle (staff who manage it), audited; its stored path."""
    from core.surveys.cycles import cycle_row

    cycle = await cycle_row(actor, cycle_id, Action.manage_cycles)
    stored = store_photo(data_dir, cycle_id, "dokumentasi", "photo", content)
    await record(
        actor,
        "report.photo_added",
        "survey_cycle",
        cycle_id,
        after={"path": stored, "sha256": hashlib.sha256(content).hexdigest()},
        unit_id=cycle["unit"],
    )
    return stored


def documentation_photos(data_dir: Path, cycle_id: int) -> list[str]:
    """The cycle's documentation photos as data: URIs, in the order they were uploaded."""
    folder = _cycle_dir(data_dir, cycle_id)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("dokumentasi-*") if p.suffix in (".jpg", ".png")]
    found.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
    return [photo_data_uri(data_dir, p.relative_to(data_dir).as_posix()) for p in found]
