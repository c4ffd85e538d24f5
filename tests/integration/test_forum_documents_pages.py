"""The forum's documents: berita acara and daftar hadir (HTML, PDF with and without WeasyPrint)
and uploads, where a signed scan locks the forum and bad files are refused."""

from __future__ import annotations

import builtins
import hashlib
import re
from datetime import date

import pytest

from core.errors import ValidationFailed
from core.forums import documents, service
from core.forums.schemas import (
    AgreementIn,
    AttendanceIn,
)
from core.forums.tables import Forum, ForumDocument
from tests.conftest import needs_pdf
from tests.integration.forum_data import (
    EXE_BYTES,
    PDF_BYTES,
    SYSTEM,
    actions,
    held_forum,
    invalid,
    post,
    scheduled_forum,
    text,
)

# --- berita acara, daftar hadir, PDF ----------------------------------------------------------------


async def test_berita_acara_daftar_hadir_and_pdf_without_weasyprint(client, token, monkeypatch):
    forum_id, _ = await held_forum()
    await service.add_agreement(
        SYSTEM,
        forum_id,
        AgreementIn(
            text="Tambah loket pendaftaran", owner_unit="PKM-A", due_date=date(2027, 3, 31)
        ),
    )
    await service.add_agreement(
        SYSTEM,
        forum_id,
        AgreementIn(
            text="Papan informasi alur", owner_person="Kepala TU", due_date=date(2027, 4, 30)
        ),
    )
    page = await client.get(f"/forum/{forum_id}/berita-acara")
    assert page.status_code == 200
    body = text(page.text)
    assert "Tambah loket pendaftaran" in body and "Papan informasi alur" in body
    assert re.search(
        r'<td class="num">1</td><td>Tambah loket pendaftaran</td><td>Unit PKM-A</td>'
        r'<td class="date">31 Mar 2027</td>',
        body,
    )
    assert re.search(r'<td class="num">2</td><td>Papan informasi alur</td><td>Kepala TU</td>', body)
    for block in ("Kepala Unit PKM-A", "Perwakilan masyarakat,", "Notulis,"):
        assert block in body
    assert "Lampiran: daftar hadir" in body and "Warga w0" in body
    assert f"/forum/{forum_id}/berita-acara.pdf" in body

    sheet = text((await client.get(f"/forum/{forum_id}/daftar-hadir")).text)
    assert "Tanda tangan" in sheet and "Warga w4" in sheet
    assert sheet.count('<tr class="blank">') == 10

    real_import = builtins.__import__

    def without(error: type[Exception]):
        def fake(name, *args, **kwargs):
            if name == "weasyprint" or name.startswith("weasyprint."):
                raise error("cannot load library 'libpango-1.0-0'")
            return real_import(name, *args, **kwargs)

        return fake

    for error in (ImportError, OSError):
        monkeypatch.setattr(builtins, "__import__", without(error))
        answer = await client.get(f"/forum/{forum_id}/berita-acara.pdf")
        monkeypatch.setattr(builtins, "__import__", real_import)
        assert answer.status_code == 503, error
        message = text(answer.text)
        assert "PDF belum tersedia di server ini: pasang pustaka Pango" in message
        assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in message
        assert "Cetak → Simpan sebagai PDF" in message
        assert "Traceback" not in message


async def test_berita_acara_pdf_with_weasyprint(client, token):
    needs_pdf()
    forum_id, _ = await held_forum()
    await service.add_agreement(
        SYSTEM,
        forum_id,
        AgreementIn(text="Tambah loket", owner_unit="PKM-A", due_date=date(2027, 3, 31)),
    )
    answer = await client.get(f"/forum/{forum_id}/berita-acara.pdf")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-") and len(answer.content) > 2000


async def test_berita_acara_pdf_keeps_the_signatures_with_the_closing_text(client, token):
    needs_pdf()
    from weasyprint import CSS, HTML

    from web.forums.documents import STYLESHEET

    forum_id, _ = await held_forum()
    first = text((await client.get(f"/forum/{forum_id}/berita-acara")).text)
    assert '<p class="lh-unit">UNIT PKM-A</p>' in first  # the organiser's letterhead
    for n in range(1, 6):  # each agreement pushes the closing down; at 2 it meets a page break
        await service.add_agreement(
            SYSTEM,
            forum_id,
            AgreementIn(
                text=f"Kesepakatan nomor {n} tentang perbaikan layanan",
                owner_unit="PKM-A",
                due_date=date(2027, 3, 31),
            ),
        )
        html = (await client.get(f"/forum/{forum_id}/berita-acara")).text
        document = HTML(string=html).render(stylesheets=[CSS(filename=str(STYLESHEET))])
        texts = [
            "".join(getattr(box, "text", "") for box in page._page_box.descendants())
            for page in document.pages
        ]
        closing = next(i for i, t in enumerate(texts) if "Demikian berita acara" in t)
        assert "NIP." in texts[closing], f"{n} agreements: the signatures left their text"


# --- uploads and the lock -------------------------------------------------------------------------


async def test_signed_scan_locks_the_forum_and_bad_files_are_refused(
    client, token, settings, on_forum_day
):
    forum_id, ids = await scheduled_forum()
    early = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("ba.pdf", PDF_BYTES, "application/pdf")},
        kind="berita_acara_signed",
    )
    assert early.status_code == 409 and "setelah forum berlangsung" in early.text

    material = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("../../rtl draft.pdf", PDF_BYTES, "application/pdf")},
        kind="material",
    )
    assert material.status_code in (302, 303)
    await service.check_in(SYSTEM, forum_id, AttendanceIn(stakeholder=ids[0]))
    await service.hold_forum(SYSTEM, forum_id)

    exe = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("berita-acara.pdf", EXE_BYTES, "application/pdf")},
        kind="berita_acara_signed",
    )
    assert exe.status_code == 422 and invalid(exe.text, "u-file")
    assert "bukan dari nama berkas" in exe.text
    assert await ForumDocument.count().where(ForumDocument.forum == forum_id) == 1

    signed = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("ba-ttd.pdf", PDF_BYTES, "application/pdf")},
        kind="berita_acara_signed",
    )
    assert signed.status_code in (302, 303)
    row = await Forum.select().where(Forum.id == forum_id).first()
    assert row["locked"] is True
    assert row["berita_acara_sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert {"forum.document_added", "forum.locked"} <= set(await actions(forum_id))
    stored = await ForumDocument.select().where(ForumDocument.kind == "berita_acara_signed").first()
    assert stored["media_type"] == "application/pdf" and stored["size"] == len(PDF_BYTES)
    assert stored["path"].startswith(f"forums/{forum_id}/") and "ba-ttd" not in stored["path"]
    assert (settings.data_dir / stored["path"]).read_bytes() == PDF_BYTES
    names = [r["filename"] for r in await ForumDocument.select(ForumDocument.filename)]
    assert "rtl draft.pdf" in names  # folders stripped from the user's file name

    page = text((await client.get(f"/forum/{forum_id}")).text)
    assert "forum terkunci" in page and hashlib.sha256(PDF_BYTES).hexdigest() in page
    later = await post(
        client, f"/forum/{forum_id}/kesepakatan", token, text="Tambahan", owner_unit="PKM-A"
    )
    assert later.status_code == 409
    assert "Kesepakatan dicatat setelah forum berlangsung dan sebelum notulen terbit." in later.text
    assert (await post(client, f"/forum/{forum_id}/terbitkan", token)).status_code == 409

    download = await client.get(f"/forum/{forum_id}/dokumen/{stored['id']}")
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert download.headers["content-type"] == "application/pdf"

    with pytest.raises(ValidationFailed):
        await documents.save_document(
            SYSTEM,
            forum_id,
            "photo",
            "besar.png",
            b"\x89PNG\r\n\x1a\n" + b"0" * documents.MAX_BYTES,
            data_dir=settings.data_dir,
        )
