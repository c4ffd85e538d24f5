"""Evidence slots: system-filled from what Suara holds, unit uploads versioned with sha256 and
checked by content; the blacked-out copy (image and PDF) hides what is under its boxes and
leaves the original untouched; dossier links are signed, read-only and revocable."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from core.errors import NotFound, ValidationFailed
from core.inspection.dossier import (
    create_link,
    dossier,
    links_of,
    revoke_link,
    shared_dossier,
    shared_file,
)
from core.inspection.evidence import Upload
from core.inspection.redaction import parse_boxes, redact, redacted_copy
from core.inspection.slots import stored_path, unit_files, upload_evidence
from tests.factories import make_user
from tests.integration.inspection_data import build_regency

YEAR = 2026
SECRET = "test-secret"


def _image(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), (255, 255, 255)).save(out, format=fmt)
    return out.getvalue()


def _pdf(pages: int = 2) -> bytes:
    out = io.BytesIO()
    images = [Image.new("RGB", (300, 400), (255, 255, 255)) for _ in range(pages)]
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.fixture
async def world(db, hooks):
    await build_regency(hooks)
    return {
        "inspector": await make_user("insp", "inspector"),
        "operator": await make_user("op-a2", "operator", ("PKM-A",)),
        "other": await make_user("op-b", "operator", ("PKM-B",)),
    }


async def test_uploads_are_checked_and_versioned(world, hooks, settings):
    operator, data_dir = world["operator"], settings.data_dir
    with pytest.raises(ValidationFailed) as bad:
        await upload_evidence(operator, data_dir, "PKM-A", YEAR, "publikasi", Upload("a.png", b"x"))
    assert [e.field for e in bad.value.errors] == ["medium"]
    with pytest.raises(ValidationFailed) as fake:
        await upload_evidence(operator, data_dir, "PKM-A", YEAR, "foto", Upload("a.png", b"MZ.."))
    assert fake.value.errors[0].field == "file" and "diperiksa dari isinya" in str(
        fake.value.errors[0].message
    )
    with pytest.raises(NotFound):
        await upload_evidence(
            world["other"], data_dir, "PKM-A", YEAR, "foto", Upload("a.png", _image())
        )
    first = await upload_evidence(
        operator, data_dir, "PKM-A", YEAR, "publikasi", Upload("koran.png", _image()), "cetak"
    )
    second = await upload_evidence(
        operator, data_dir, "PKM-A", YEAR, "publikasi", Upload("koran-2.jpg", _image("JPEG")),
        "cetak",
    )  # fmt: skip
    web = await upload_evidence(
        operator, data_dir, "PKM-A", YEAR, "publikasi", Upload("web.png", _image()), "website"
    )
    assert (first.version, second.version, web.version) == (1, 2, 1)
    assert first.sha256 == hashlib.sha256(_image()).hexdigest()
    assert first.uploaded_by == "op-a2" and second.media_type == "image/jpeg"
    assert [f.id for f in await unit_files(1, YEAR)] == [web.id, second.id, first.id]

    view = await dossier(world["inspector"], hooks, "PKM-A", YEAR)
    slots = {s.code: s for s in view.slots}
    assert len(slots["publikasi"].files) == 3
    assert slots["daftar_hadir"].system and not slots["daftar_hadir"].files  # from the forum
    assert not slots["laporan_skm"].filled


def test_boxes_are_parsed_and_bad_lines_named():
    assert parse_boxes("1 10 20 30 40\n\n2 0,5 0 100 10")[1].x == 0.5
    with pytest.raises(ValidationFailed) as bad:
        parse_boxes("1 10 20 30\n0 10 10 10 10\n1 10 10 10 10")
    assert [(e.field, e.row) for e in bad.value.errors] == [("boxes", 1), ("boxes", 2)]
    with pytest.raises(ValidationFailed):
        parse_boxes("   ")


def test_copy_blacks_out_images_and_pdf_pages():
    copy = Image.open(io.BytesIO(redacted_copy(_image(), "image/png", parse_boxes("1 0 0 50 50"))))
    assert copy.getpixel((10, 10)) == (0, 0, 0) and copy.getpixel((150, 80)) == (255, 255, 255)
    pdf = redacted_copy(_pdf(), "application/pdf", parse_boxes("2 0 0 100 10"))
    import pypdfium2

    pages = pypdfium2.PdfDocument(pdf)
    assert len(pages) == 2
    first, second = (page.render(scale=1).to_pil().convert("RGB") for page in pages)
    assert first.getpixel((5, 5)) == (255, 255, 255)
    assert second.getpixel((5, 5)) == (0, 0, 0) and second.getpixel((5, 300)) == (255, 255, 255)
    with pytest.raises(ValidationFailed) as missing:
        redacted_copy(_pdf(1), "application/pdf", parse_boxes("3 0 0 10 10"))
    assert "halaman 3 tidak ada" in missing.value.errors[0].message


async def test_redaction_keeps_the_original_and_the_dossier_shares_the_copy(world, hooks, settings):
    operator, data_dir = world["operator"], settings.data_dir
    upload = await upload_evidence(
        operator, data_dir, "PKM-A", YEAR, "daftar_hadir", Upload("hadir.png", _image())
    )
    plain = await upload_evidence(
        operator, data_dir, "PKM-A", YEAR, "foto", Upload("foto.png", _image())
    )
    with pytest.raises(NotFound):
        await redact(world["other"], data_dir, upload.id, "1 0 0 10 10")
    digest = await redact(operator, data_dir, upload.id, "1 0 0 100 30")
    (row,) = await unit_files(1, YEAR, upload.id)
    assert row.redacted and row.redacted_sha256 == digest and row.sha256 == upload.sha256

    link = await create_link(operator, SECRET, "PKM-A", YEAR)
    shown = await shared_dossier(hooks, SECRET, link.token, "Asia/Jakarta")
    assert shown.row.unit == "PKM-A" and shown.year == YEAR
    _, path = await shared_file(SECRET, link.token, upload.id)
    assert hashlib.sha256(stored_path(data_dir, path).read_bytes()).hexdigest() == digest
    _, original = await shared_file(SECRET, link.token, plain.id)
    assert stored_path(data_dir, original).read_bytes() == _image()

    tampered = link.token[:-1] + ("0" if link.token[-1] != "0" else "1")
    for token in (tampered, "1.abc", "x"):
        with pytest.raises(NotFound):
            await shared_dossier(hooks, SECRET, token, "Asia/Jakarta")
    with pytest.raises(NotFound):
        await shared_dossier(hooks, "another-secret", link.token, "Asia/Jakarta")
    await revoke_link(operator, link.id)
    with pytest.raises(NotFound):
        await shared_file(SECRET, link.token, upload.id)
    (listed,) = await links_of(world["inspector"], "PKM-A", YEAR)
    assert listed.revoked_at is not None and listed.token == ""
