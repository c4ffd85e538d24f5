"""A blacked-out copy of an evidence file, for personal data (names, NIK, faces): the boxes the
user gives are painted solid black on a rendered image of the page, so nothing under them
survives in the copy. Images stay PNG; a PDF is rasterised page by page (pypdfium2) into a new
PDF. The original is kept, private; the copy is what the dossier shares.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from core.accounts.policy import Action, Actor
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import FieldError, ValidationFailed
from core.forums.documents import JPEG, PDF, PNG
from core.inspection.slots import file_row, stored_path
from core.inspection.tables import EvidenceFile

MAX_PAGES = 40
PDF_SCALE = 150 / 72  # 150 dpi
BOX = re.compile(r"^\s*(\d+)\s+(\d+(?:[.,]\d+)?)\s+(\d+(?:[.,]\d+)?)\s+(\d+(?:[.,]\d+)?)\s+"
                 r"(\d+(?:[.,]\d+)?)\s*$")  # fmt: skip

register({"evidence.redacted": ("Bukti evaluasi", "Salinan disamarkan dibuat")})


@dataclass(frozen=True)
class Box:
    """A rectangle on one page, in percent of the page's width and height from the top left."""

    page: int
    x: float
    y: float
    width: float
    height: float


def parse_boxes(text: str) -> list[Box]:
    """One box a line: ``page x y width height`` (percent; comma or point decimals). Every bad
    line is named."""
    boxes, errors = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = BOX.match(line)
        if not match:
            errors.append(FieldError("boxes", "tulis: halaman x y lebar tinggi (persen)", number))
            continue
        page = int(match.group(1))
        x, y, w, h = (float(match.group(i).replace(",", ".")) for i in range(2, 6))
        if page < 1 or not (0 <= x < 100 and 0 <= y < 100 and 0 < w <= 100 and 0 < h <= 100):
            errors.append(FieldError("boxes", "halaman ≥ 1; x, y, lebar, tinggi 0–100 %", number))
            continue
        boxes.append(Box(page, x, y, min(w, 100 - x), min(h, 100 - y)))
    if not boxes and not errors:
        errors.append(FieldError("boxes", "isi minimal satu kotak yang disamarkan"))
    if errors:
        raise ValidationFailed(errors)
    return boxes


def _black_out(image: Image.Image, boxes: list[Box]) -> Image.Image:
    image = image.convert("RGB")
    draw = ImageDraw.Draw(image)
    width, height = image.size
    for box in boxes:
        left, top = width * box.x / 100, height * box.y / 100
        right, bottom = left + width * box.width / 100, top + height * box.height / 100
        draw.rectangle((left, top, right, bottom), fill=(0, 0, 0))
    return image


def _pages(content: bytes, media_type: str) -> list[Image.Image]:
    if media_type in (JPEG, PNG):
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            return [image.copy()]
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    try:
        if len(document) > MAX_PAGES:
            raise ValidationFailed.single("file", f"PDF lebih dari {MAX_PAGES} halaman")
        return [page.render(scale=PDF_SCALE).to_pil() for page in document]
    finally:
        document.close()


def redacted_copy(content: bytes, media_type: str, boxes: list[Box]) -> bytes:
    """The copy: PNG for an image, a rasterised PDF for a PDF, with every box painted black."""
    if media_type not in (JPEG, PNG, PDF):
        raise ValidationFailed.single("file", "hanya gambar (JPEG/PNG) atau PDF yang disamarkan")
    pages = _pages(content, media_type)
    errors = [
        FieldError("boxes", f"halaman {box.page} tidak ada (berkas {len(pages)} halaman)", n)
        for n, box in enumerate(boxes, start=1)
        if box.page > len(pages)
    ]
    if errors:
        raise ValidationFailed(errors)
    done = [
        _black_out(page, [b for b in boxes if b.page == number])
        for number, page in enumerate(pages, start=1)
    ]
    out = io.BytesIO()
    if media_type == PDF:
        done[0].save(out, format="PDF", save_all=True, append_images=done[1:], resolution=150)
    else:
        done[0].save(out, format="PNG")
    return out.getvalue()


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


async def redact(actor: Actor, data_dir: Path, file_id: int, boxes_text: str) -> str:
    """Make (or remake, from the original) the blacked-out copy of a file; returns its sha256.
    The unit's operators and administrators may; the original is never changed."""
    row = await file_row(actor, file_id, Action.self_assess)
    boxes = parse_boxes(boxes_text)
    original = stored_path(data_dir, row["path"])
    if original is None:
        raise ValidationFailed.single("file", "berkas asli tidak ditemukan di penyimpanan")
    content = await asyncio.to_thread(original.read_bytes)
    copy = await asyncio.to_thread(redacted_copy, content, row["media_type"], boxes)
    suffix = "pdf" if row["media_type"] == PDF else "png"
    path = original.parent / f"samaran-{secrets.token_hex(8)}.{suffix}"
    await asyncio.to_thread(_write, path, copy)
    digest = hashlib.sha256(copy).hexdigest()
    async with atomic():
        await EvidenceFile.update(
            {
                EvidenceFile.redacted_path: str(path.relative_to(data_dir)),
                EvidenceFile.redacted_sha256: digest,
                EvidenceFile.redacted_by: actor.user_id,
                EvidenceFile.redacted_at: utcnow(),
            }
        ).where(EvidenceFile.id == file_id)
        await record(
            actor,
            "evidence.redacted",
            "evidence_file",
            file_id,
            after={"boxes": len(boxes), "sha256": digest},
            unit_id=row["unit"],
        )
    old = stored_path(data_dir, row["redacted_path"])
    if old is not None:
        old.unlink(missing_ok=True)
    return digest
