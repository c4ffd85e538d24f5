"""Photos in the report: publication evidence uploaded with the register entry."""

from __future__ import annotations

import hashlib

from core.accounts.policy import Actor
from core.reports.content import cycle_report_content
from core.reports.render import report_document
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.integration.test_reports import answer, open_cycle, run_pending, setup, token

__all__ = ["setup"]  # the shared fixture

BELOW_MINIMUM = {"reason": "uji: sampel di bawah minimum"}
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


async def reported_cycle(client, headers, hooks, settings) -> int:
    """A closed cycle whose report the admin finalised (status reported)."""
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 2)
    await client.post(f"/api/v1/cycles/{cycle['id']}/close", headers=headers, json=BELOW_MINIMUM)
    await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
    await run_pending(hooks, settings)
    admin = await token(client, "boss")
    final = await client.post(f"/api/v1/cycles/{cycle['id']}/finalise", headers=admin)
    assert final.status_code == 200, final.text
    return cycle["id"]


async def test_publication_photo_is_stored_by_sha256_and_printed_in_the_lampiran(
    client, setup, hooks, settings
):
    cid = await reported_cycle(client, setup, hooks, settings)
    await login(client, "opr", PASSWORD)
    path = f"/cycles/{cid}/laporan"
    csrf = await csrf_token(client, path)
    form = {"_csrf_token": csrf, "media": "papan_pengumuman", "date": "2026-04-10", "url": ""}

    not_image = await client.post(
        f"{path}/publikasi", data=form, files={"photo": ("foto.png", b"MZ\x90\x00", "image/png")}
    )
    assert not_image.status_code == 422
    assert "bukan foto JPEG atau PNG" in not_image.text
    too_big = PNG_BYTES + b"\x00" * (5 * 1024 * 1024)
    big = await client.post(
        f"{path}/publikasi", data=form, files={"photo": ("besar.png", too_big, "image/png")}
    )
    assert big.status_code == 422 and "maksimal 5 MB" in big.text
    assert not (settings.data_dir / "reports" / "cycles").exists()  # nothing half written

    made = await client.post(
        f"{path}/publikasi",
        data=form,
        files={"photo": ("papan.png", PNG_BYTES, "image/png")},
        follow_redirects=False,
    )
    assert made.status_code in (302, 303), made.text
    digest = hashlib.sha256(PNG_BYTES).hexdigest()
    stored = settings.data_dir / "reports" / "cycles" / str(cid) / f"publikasi-{digest}.png"
    assert stored.read_bytes() == PNG_BYTES
    status = (await client.get(f"/api/v1/cycles/{cid}", headers=setup)).json()["status"]
    assert status == "published"

    page = await client.get(path)
    assert "Foto terlampir (Lampiran 4)" in page.text and "data:image/png;base64," in page.text
    content = await cycle_report_content(Actor.system(), settings, hooks, cid)
    html = report_document(content)
    assert 'alt="Bukti publikasi Papan pengumuman, 10-04-2026"' in html


async def test_publication_without_link_or_photo_names_the_url_field(
    client, setup, hooks, settings
):
    cid = await reported_cycle(client, setup, hooks, settings)
    await login(client, "opr", PASSWORD)
    csrf = await csrf_token(client, f"/cycles/{cid}/laporan")
    empty = await client.post(
        f"/cycles/{cid}/laporan/publikasi",
        data={"_csrf_token": csrf, "media": "website", "date": "2026-04-10", "url": ""},
    )
    assert empty.status_code == 422 and "isi tautan publikasi atau unggah fotonya" in empty.text


async def test_documentation_photos_are_uploaded_on_the_report_page_and_printed(
    client, setup, hooks, settings
):
    from core.reports.word import report_docx

    cycle = await open_cycle(client, setup)
    await answer(client, cycle, 2)
    cid = cycle["id"]
    await login(client, "opr", PASSWORD)
    path = f"/cycles/{cid}/laporan"
    csrf = await csrf_token(client, path)
    assert "Belum ada foto dokumentasi yang diunggah." in (await client.get(f"{path}/cetak")).text
    empty = await client.post(f"{path}/dokumentasi", data={"_csrf_token": csrf})
    assert empty.status_code == 422 and "pilih foto terlebih dahulu" in empty.text
    made = await client.post(
        f"{path}/dokumentasi",
        data={"_csrf_token": csrf},
        files={"photo": ("kegiatan.png", PNG_BYTES, "image/png")},
        follow_redirects=False,
    )
    assert made.status_code in (302, 303), made.text
    digest = hashlib.sha256(PNG_BYTES).hexdigest()
    stored = settings.data_dir / "reports" / "cycles" / str(cid) / f"dokumentasi-{digest}.png"
    assert stored.read_bytes() == PNG_BYTES
    printable = (await client.get(f"{path}/cetak")).text
    assert 'alt="Foto dokumentasi 1"' in printable and "data:image/png;base64," in printable
    content = await cycle_report_content(Actor.system(), settings, hooks, cid)
    assert len(content.documentation) == 1
    assert b"word/media/" in report_docx(content)


async def test_publication_api_takes_a_photo_as_multipart_and_json_as_before(
    client, setup, hooks, settings
):
    cid = await reported_cycle(client, setup, hooks, settings)
    url = f"/api/v1/cycles/{cid}/publications"
    fields = {"media": "papan_pengumuman", "date": "2026-04-10"}
    photos = settings.data_dir / "reports" / "cycles"
    before = sorted(photos.rglob("*"))

    not_image = await client.post(
        url, headers=setup, data=fields, files={"photo": ("foto.png", b"MZ\x90\x00", "image/png")}
    )
    assert not_image.status_code == 422
    assert [e["field"] for e in not_image.json()["errors"]] == ["photo"]
    big = PNG_BYTES + b"\x00" * (5 * 1024 * 1024)
    too_big = await client.post(
        url, headers=setup, data=fields, files={"photo": ("besar.png", big, "image/png")}
    )
    assert too_big.status_code == 422 and "maksimal 5 MB" in too_big.text
    bad_day = await client.post(
        url,
        headers=setup,
        data={**fields, "date": "10/04/2026"},
        files={"photo": ("papan.png", PNG_BYTES, "image/png")},
    )
    assert bad_day.status_code == 422 and bad_day.json()["errors"][0]["field"] == "date"
    assert sorted(photos.rglob("*")) == before  # nothing half written
    assert (await client.get(url, headers=setup)).json() == []

    made = await client.post(
        url, headers=setup, data=fields, files={"photo": ("papan.png", PNG_BYTES, "image/png")}
    )
    assert made.status_code == 201, made.text
    digest = hashlib.sha256(PNG_BYTES).hexdigest()
    assert made.json()["photo"] is True and made.json()["photo_sha256"] == digest
    stored = settings.data_dir / "reports" / "cycles" / str(cid) / f"publikasi-{digest}.png"
    assert stored.read_bytes() == PNG_BYTES
    status = (await client.get(f"/api/v1/cycles/{cid}", headers=setup)).json()["status"]
    assert status == "published"

    linked = await client.post(
        url, headers=setup, json={"media": "website", "date": "2026-04-11", "url": "https://x.id"}
    )
    assert linked.status_code == 201 and linked.json()["photo_sha256"] is None
    wrong = await client.post(url, headers=setup, json={"media": 5, "date": "2026-04-11"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "media"
    listed = (await client.get(url, headers=setup)).json()
    assert [(p["media"], p["photo"]) for p in listed] == [
        ("papan_pengumuman", True),
        ("website", False),
    ]
