"""A forum's files: materials, photos, and the signed berita acara that locks the forum.

Files live under ``data_dir/forums/<forum id>/`` with a generated name (stored relative to the
data directory); the name the user gave is kept only for display. The media type comes from the
content's first bytes, never from the filename, so an executable renamed ``.pdf`` is refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import re
import secrets
import zipfile
from datetime import datetime
from pathlib import Path

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, NotFound, ValidationFailed
from core.forums.access import forum_row
from core.forums.labels import DOCUMENT_LABELS, SIGNED_BERITA_ACARA
from core.forums.tables import Forum, ForumDocument, ForumStatus

MAX_BYTES = 10 * 1024 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ALLOWED: dict[str, frozenset[str]] = {
    "material": frozenset({PDF, JPEG, PNG, DOCX, XLSX, PPTX}),
    "photo": frozenset({JPEG, PNG}),
    SIGNED_BERITA_ACARA: frozenset({PDF, JPEG, PNG}),
}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx"}
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "Word", XLSX: "Excel", PPTX: "PowerPoint"}
_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}


class DocumentOut(msgspec.Struct):
    """A stored file of a forum."""

    id: int
    forum: int
    kind: str
    filename: str
    media_type: str
    sha256: str
    size: int
    uploaded_at: datetime
    uploaded_by: str | None


def sniff(content: bytes) -> str | None:
    """The media type the content really is (PDF, JPEG, PNG, Word/Excel/PowerPoint), else None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            for prefix, media_type in _OOXML_PARTS.items():
                if any(n.startswith(prefix) for n in names):
                    return media_type
    return None


def display_name(filename: str) -> str:
    """The uploaded file's own name without folders or control characters (for display only)."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "berkas"


def forum_dir(data_dir: Path, forum_id: int) -> Path:
    """Where the files of one forum are kept."""
    return data_dir / "forums" / str(int(forum_id))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def _data_dir(data_dir: Path | None) -> Path:
    if data_dir is not None:
        return data_dir
    from core.settings import Settings

    return Settings.from_env().data_dir


async def save_document(
    actor: Actor,
    forum_id: int,
    kind: str,
    filename: str,
    content: bytes,
    *,
    data_dir: Path | None = None,
) -> DocumentOut:
    """Store a file of a forum, audited; a signed berita acara (after the forum) locks the forum."""
    if kind not in DOCUMENT_LABELS:
        raise ValidationFailed.single("kind", f"pilihan: {', '.join(DOCUMENT_LABELS)}")
    if not content:
        raise ValidationFailed.single("file", "pilih berkas terlebih dahulu (berkas kosong)")
    if len(content) > MAX_BYTES:
        raise ValidationFailed.single("file", "berkas terlalu besar (maksimal 10 MB)")
    media_type = sniff(content)
    if media_type not in ALLOWED[kind]:
        names = sorted(TYPE_NAMES[t] for t in ALLOWED[kind])
        allowed = f"{', '.join(names[:-1])} atau {names[-1]}"
        raise ValidationFailed.single(
            "file",
            f"isi berkas bukan {allowed}; jenisnya diperiksa dari isi, bukan dari nama berkas",
        )
    digest = hashlib.sha256(content).hexdigest()
    name = display_name(filename)
    root = _data_dir(data_dir)
    stored = forum_dir(root, forum_id) / f"{kind}-{secrets.token_hex(8)}.{EXTENSIONS[media_type]}"
    written = False
    try:
        async with atomic():
            row = await forum_row(actor, forum_id, Action.manage_forums)
            if row["status"] == ForumStatus.cancelled.value:
                raise Conflict("Forum yang dibatalkan tidak menerima berkas.")
            if kind == SIGNED_BERITA_ACARA:
                if row["status"] not in (
                    ForumStatus.held.value,
                    ForumStatus.minutes_published.value,
                ):
                    raise Conflict(
                        "Berita acara bertanda tangan diunggah setelah forum berlangsung."
                    )
                if row["locked"]:
                    raise Conflict("Berita acara bertanda tangan sudah diunggah; forum terkunci.")
            await asyncio.to_thread(_write, stored, content)
            written = True
            now = utcnow()
            ids = await ForumDocument.insert(
                ForumDocument(
                    forum=forum_id,
                    kind=kind,
                    filename=name,
                    media_type=media_type,
                    path=stored.relative_to(root).as_posix(),
                    sha256=digest,
                    size=len(content),
                    uploaded_by=actor.user_id,
                    uploaded_at=now,
                )
            ).returning(ForumDocument.id)
            details = {
                "kind": kind,
                "filename": name,
                "media_type": media_type,
                "sha256": digest,
                "size": len(content),
            }
            await record(actor, "forum.document_added", "forum", forum_id, after=details)
            if kind == SIGNED_BERITA_ACARA:
                await Forum.update(
                    {Forum.locked: True, Forum.berita_acara_sha256: digest, Forum.updated_at: now}
                ).where(Forum.id == forum_id)
                await record(
                    actor,
                    "forum.locked",
                    "forum",
                    forum_id,
                    before={"locked": False},
                    after={"locked": True, "berita_acara_sha256": digest},
                )
    except BaseException:
        if written:
            stored.unlink(missing_ok=True)
        raise
    return DocumentOut(
        id=int(ids[0]["id"]),
        forum=forum_id,
        kind=kind,
        filename=name,
        media_type=media_type,
        sha256=digest,
        size=len(content),
        uploaded_at=now,
        uploaded_by=actor.username,
    )


def _out(row: dict) -> DocumentOut:
    return DocumentOut(
        id=row["id"],
        forum=row["forum"],
        kind=row["kind"],
        filename=row["filename"],
        media_type=row["media_type"],
        sha256=row["sha256"],
        size=row["size"],
        uploaded_at=row["uploaded_at"],
        uploaded_by=row["username"],
    )


_COLUMNS = (
    ForumDocument.id,
    ForumDocument.forum,
    ForumDocument.kind,
    ForumDocument.filename,
    ForumDocument.media_type,
    ForumDocument.sha256,
    ForumDocument.size,
    ForumDocument.uploaded_at,
    ForumDocument.uploaded_by.username.as_alias("username"),
)


async def list_documents(actor: Actor, forum_id: int, kind: str | None = None) -> list[DocumentOut]:
    """The files of a forum the actor may see, oldest first."""
    await forum_row(actor, forum_id)
    query = (
        ForumDocument.select(*_COLUMNS)
        .where(ForumDocument.forum == forum_id)
        .order_by(ForumDocument.id)
    )
    if kind:
        query = query.where(ForumDocument.kind == kind)
    return [_out(r) for r in await query]


async def open_document(
    actor: Actor, forum_id: int, document_id: int, *, data_dir: Path | None = None
) -> tuple[DocumentOut, Path]:
    """A file of a forum the actor may see, and where it is on disk."""
    await forum_row(actor, forum_id)
    row = (
        await ForumDocument.select(*_COLUMNS, ForumDocument.path)
        .where((ForumDocument.id == document_id) & (ForumDocument.forum == forum_id))
        .first()
    )
    if row is None:
        raise NotFound("Berkas tidak ditemukan.")
    root = _data_dir(data_dir)
    path = (root / row["path"]).resolve()
    folder = forum_dir(root, forum_id).resolve()
    if folder not in path.parents or not path.is_file():
        raise NotFound("Berkas tidak ditemukan.")
    return _out(row), path
