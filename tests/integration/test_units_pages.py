"""The unit pages with a browser session: list, forms, services, CSV import and CSRF."""

from __future__ import annotations

import html
import re

import pytest

from core.audit.tables import AuditEvent
from core.units.importer import COLUMNS
from core.units.tables import Service, Unit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

ERROR_ROW_RE = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


@pytest.fixture
async def token(client, db) -> str:
    """Signed in as an admin; the CSRF token for forms."""
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    return await csrf_token(client, "/units")


def listed_codes(page: str) -> set[str]:
    return set(re.findall(r'<td data-label="Kode"><a href="/units/([^"]+)">', page))


def field_is_invalid(page: str, name: str) -> bool:
    return re.search(rf'id="f-{name}"[^>]*aria-invalid="true"', page) is not None


async def unit_row(code: str) -> dict | None:
    return (
        await Unit.select(*Unit.all_columns(), Unit.parent.code.as_alias("parent_code"))
        .where(Unit.code == code)
        .first()
    )


async def upload(client, token: str, content: bytes, filename: str = "unit.csv"):
    return await client.post(
        "/units/import",
        data={"_csrf_token": token},
        files={"file": (filename, content, "text/csv")},
    )


def import_errors(page: str) -> set[tuple[str, str]]:
    return {(row, field) for row, field, _ in ERROR_ROW_RE.findall(page)}


# --- list ---------------------------------------------------------------------------------------


async def test_list_filters_by_kind_and_search(client, token):
    await make_unit("KAB", kind="pemda")
    await make_unit("PKM-SUKAMAJU", kind="puskesmas", parent="KAB")
    await make_unit("PKM-TANJUNG", kind="puskesmas", parent="KAB")
    await make_unit("SDN-TANJUNG", kind="sekolah", parent="KAB")
    everything = await client.get("/units")
    assert everything.status_code == 200
    assert listed_codes(everything.text) == {"KAB", "PKM-SUKAMAJU", "PKM-TANJUNG", "SDN-TANJUNG"}
    by_kind = (await client.get("/units", params={"kind": "puskesmas"})).text
    assert listed_codes(by_kind) == {"PKM-SUKAMAJU", "PKM-TANJUNG"}
    assert '<option value="puskesmas" selected>' in by_kind
    assert "2 unit" in by_kind
    by_text = (await client.get("/units", params={"q": "tanjung"})).text
    assert listed_codes(by_text) == {"PKM-TANJUNG", "SDN-TANJUNG"}
    assert 'value="tanjung"' in by_text
    both = (await client.get("/units", params={"q": "tanjung", "kind": "sekolah"})).text
    assert listed_codes(both) == {"SDN-TANJUNG"}
    none = (await client.get("/units", params={"q": "tidak-ada"})).text
    assert listed_codes(none) == set()
    assert "Tidak ada unit yang cocok." in none


# --- create, edit, deactivate -------------------------------------------------------------------


async def test_create_unit_via_form(client, token):
    await make_unit("KAB", kind="pemda")
    form = await client.get("/units/new")
    assert form.status_code == 200
    assert 'action="/units"' in form.text
    response = await client.post(
        "/units",
        data={
            "_csrf_token": token,
            "code": "DINKES",
            "name": "Dinas Kesehatan",
            "kind": "opd",
            "parent": "KAB",
            "address": "Jl. Merdeka 1",
            "phone": "0271-555",
            "email": "dinkes@contoh.go.id",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/units/DINKES"
    row = await unit_row("DINKES")
    assert row is not None
    assert (row["name"], row["kind"], row["parent_code"], row["phone"]) == (
        "Dinas Kesehatan",
        "opd",
        "KAB",
        "0271-555",
    )
    detail = await client.get("/units/DINKES")
    assert "<h1>Dinas Kesehatan</h1>" in detail.text
    assert await AuditEvent.count().where(AuditEvent.action == "unit.created") == 2


async def test_create_form_errors_are_shown_per_field_and_nothing_is_written(client, token):
    await make_unit("KAB", kind="pemda")
    units, events = await Unit.count(), await AuditEvent.count()
    response = await client.post(
        "/units",
        data={"_csrf_token": token, "code": "BARU", "name": "  ", "kind": "opd"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    page = response.text
    assert '<html lang="id">' in page
    assert "Periksa kembali isian yang ditandai." in page
    assert field_is_invalid(page, "name")
    assert '<p class="error" id="e-name">wajib diisi</p>' in page
    assert not field_is_invalid(page, "code")
    assert 'value="BARU"' in page  # what was typed is kept
    # a bad kind and a duplicate code are reported next to their fields too
    bad_kind = await client.post(
        "/units", data={"_csrf_token": token, "code": "BARU", "name": "Baru", "kind": "kantor"}
    )
    assert bad_kind.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-kind"' in bad_kind.text
    assert "jenis unit tidak dikenal" in html.unescape(bad_kind.text)
    duplicate = await client.post(
        "/units", data={"_csrf_token": token, "code": "KAB", "name": "Lagi", "kind": "opd"}
    )
    assert duplicate.status_code == 422
    assert field_is_invalid(duplicate.text, "code")
    assert "sudah dipakai" in duplicate.text
    assert (await Unit.count(), await AuditEvent.count()) == (units, events)


async def test_edit_unit_via_form(client, token):
    await make_unit("KAB", kind="pemda")
    await make_unit("DINKES", parent="KAB")
    await make_unit("PKM", kind="puskesmas", parent="KAB")
    form = (await client.get("/units/PKM/edit")).text
    assert 'value="Unit PKM"' in form
    assert '<option value="KAB" selected>' in form
    assert 'value="PKM"' not in re.search(r'<select id="f-parent".*?</select>', form, re.S)[0]
    response = await client.post(
        "/units/PKM/edit",
        data={
            "_csrf_token": token,
            "name": "Puskesmas Sukamaju",
            "kind": "puskesmas",
            "parent": "DINKES",
            "address": "Jl. Mawar 2",
            "phone": "0271 123",
            "email": "pkm@contoh.go.id",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/units/PKM"
    row = await unit_row("PKM")
    assert (row["name"], row["parent_code"], row["address"], row["email"]) == (
        "Puskesmas Sukamaju",
        "DINKES",
        "Jl. Mawar 2",
        "pkm@contoh.go.id",
    )
    # clearing the parent select removes the parent; an invalid e-mail is refused
    cleared = await client.post(
        "/units/PKM/edit",
        data={"_csrf_token": token, "parent": "", "email": "bukan-email"},
    )
    assert cleared.status_code == 422
    assert field_is_invalid(cleared.text, "email")
    assert (await unit_row("PKM"))["parent_code"] == "DINKES"
    await client.post("/units/PKM/edit", data={"_csrf_token": token, "parent": ""})
    assert (await unit_row("PKM"))["parent_code"] is None


async def test_deactivate_and_reactivate_unit(client, token):
    await make_unit("A")
    response = await client.post(
        "/units/A/active", data={"_csrf_token": token, "active": "0"}, follow_redirects=False
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/units/A"
    assert (await unit_row("A"))["active"] is False
    detail = (await client.get("/units/A")).text
    assert "<dt>Status</dt><dd>Nonaktif</dd>" in detail
    assert 'name="active" value="1"' in detail  # the button now reactivates
    assert "Nonaktif" in (await client.get("/units")).text
    await client.post("/units/A/active", data={"_csrf_token": token, "active": "1"})
    assert (await unit_row("A"))["active"] is True
    actions = await AuditEvent.select(AuditEvent.action).where(AuditEvent.entity == "unit")
    assert [a["action"] for a in actions] == [
        "unit.created",
        "unit.deactivated",
        "unit.reactivated",
    ]


async def test_add_and_deactivate_service(client, token):
    await make_unit("A")
    response = await client.post(
        "/units/A/services",
        data={"_csrf_token": token, "code": "KIA", "name": "Kesehatan Ibu dan Anak"},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/units/A#layanan"
    detail = (await client.get("/units/A")).text
    assert '<td data-label="Nama layanan">Kesehatan Ibu dan Anak</td>' in detail
    duplicate = await client.post(
        "/units/A/services", data={"_csrf_token": token, "code": "KIA", "name": "Lagi"}
    )
    assert duplicate.status_code == 422
    assert 'id="s-code" name="code" value="KIA" required aria-invalid="true"' in duplicate.text
    assert '<p class="error" id="se-code">' in duplicate.text
    empty = await client.post(
        "/units/A/services", data={"_csrf_token": token, "code": "GIGI", "name": ""}
    )
    assert empty.status_code == 422
    assert '<p class="error" id="se-name">wajib diisi</p>' in empty.text
    assert await Service.count() == 1
    off = await client.post(
        "/units/A/services/KIA/active",
        data={"_csrf_token": token, "active": "0"},
        follow_redirects=False,
    )
    assert off.status_code == 302
    assert (await Service.select(Service.active).first())["active"] is False
    assert '<span class="badge off">Nonaktif</span>' in (await client.get("/units/A")).text


# --- CSV import ---------------------------------------------------------------------------------


async def test_import_creates_and_updates(client, token):
    await make_unit("KAB", kind="pemda")
    await make_unit("DINKES", parent="KAB")
    assert (await client.get("/units/import")).status_code == 200
    units = await Unit.count()
    last = await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id, ascending=False).first()
    content = (
        b"code,name,kind,parent,address,phone,email\n"
        b"DINKES,Dinas Kesehatan,opd,KAB,Jl. Merdeka 1,0271-555,dinkes@contoh.go.id\n"
        b"KEC-A,Kecamatan A,kecamatan,KAB,,,\n"
        b"\n"
        b'DESA-A,"Desa A, Kidul",kelurahan_desa,KEC-A,,,\n'
        b"PKM-A,Puskesmas A,puskesmas,DINKES,,,\n"
    )
    response = await upload(client, token, content)
    assert response.status_code == 200, response.text
    assert "Berhasil: 3 unit baru, 1 diperbarui." in response.text
    assert await Unit.count() == units + 3
    new_events = await AuditEvent.select(AuditEvent.action, AuditEvent.entity_id).where(
        AuditEvent.id > last["id"]
    )
    assert sorted((e["action"], e["entity_id"]) for e in new_events) == [
        ("unit.created", "DESA-A"),
        ("unit.created", "KEC-A"),
        ("unit.created", "PKM-A"),
        ("unit.updated", "DINKES"),
    ]
    desa = await unit_row("DESA-A")
    assert (desa["name"], desa["parent_code"]) == ("Desa A, Kidul", "KEC-A")
    dinkes = await unit_row("DINKES")
    assert (dinkes["name"], dinkes["email"]) == ("Dinas Kesehatan", "dinkes@contoh.go.id")


async def test_import_with_bad_rows_lists_every_problem_and_writes_nothing(client, token):
    await make_unit("KAB", kind="pemda")
    await make_unit("DINKES", parent="KAB")
    units, events = await Unit.count(), await AuditEvent.count()
    content = (
        b"code,name,kind,parent\n"
        b"OK-1,Unit Baik,opd,KAB\n"  # 2: fine on its own
        b"OK-2,Jenis Salah,kantor,KAB\n"  # 3: bad kind
        b"OK-1,Kode Kembar,opd,KAB\n"  # 4: same code as row 2
        b"OK-3,Induk Hilang,opd,GHOST\n"  # 5: unknown parent
        b"OK-4,,opd,KAB\n"  # 6: missing name
        b"\n"  # 7: blank, skipped but counted
        b"KAB2,Pemda Kedua,pemda,KAB\n"  # 8: a regency has no parent
        b"OK-5,Induk Nanti,opd,OK-6\n"  # 9: parent only defined below
        b"OK-6,Unit Baik Juga,opd,DINKES\n"  # 10: fine
        b"DINKES,Dinas Kesehatan,opd,KAB\n"  # 11: fine (update)
    )
    response = await upload(client, token, content)
    assert response.status_code == 422
    assert import_errors(response.text) == {
        ("3", "kind"),
        ("4", "code"),
        ("5", "parent"),
        ("6", "name"),
        ("8", "parent"),
        ("9", "parent"),
    }
    assert "Tidak ada yang diimpor: 6 kesalahan" in response.text
    assert await Unit.count() == units
    assert await AuditEvent.count() == events
    assert (await unit_row("DINKES"))["name"] == "Unit DINKES"


async def test_import_accepts_semicolons_and_a_byte_order_mark(client, token):
    content = "\ufeffCode;Name;Kind\r\nKAB;Kabupaten Contoh, Jawa;pemda\r\nX;Unit X;opd\r\n"
    response = await upload(client, token, content.encode())
    assert response.status_code == 200, response.text
    assert "Berhasil: 2 unit baru, 0 diperbarui." in response.text
    assert (await unit_row("KAB"))["name"] == "Kabupaten Contoh, Jawa"


UNUSABLE_FILES = [
    (b"code,name\nX,Unit X\n", "kolom wajib tidak ada di baris judul: kind"),
    (b"code;nama;kind\nX;Unit X;opd\n", "kolom wajib tidak ada di baris judul: name"),
    ("code,name,kind\nX,Dinas Pendidikan é,opd\n".encode("latin-1"), "UTF-8"),
    (b"", "berkas kosong"),
]


async def test_import_reports_unusable_files(client, token):
    reported = []
    for content, _ in UNUSABLE_FILES:
        response = await upload(client, token, content)
        rows = [
            (row, field, html.unescape(text))
            for row, field, text in ERROR_ROW_RE.findall(response.text)
        ]
        reported.append((response.status_code, rows))
    for (status, rows), (content, message) in zip(reported, UNUSABLE_FILES, strict=True):
        assert status == 422, content
        assert len(rows) == 1, (content, rows)
        assert rows[0][:2] == ("—", "file")
        assert message in rows[0][2], (content, rows)
    no_file = await client.post("/units/import", data={"_csrf_token": token}, files={})
    assert no_file.status_code in (400, 422)
    assert await Unit.count() == 0


async def test_template_download_round_trips(client, token):
    response = await client.get("/units/import/template.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="template-unit.csv"'
    lines = response.text.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 2
    # the example row imports as it is once its parent exists
    await make_unit("KAB", kind="pemda")
    imported = await upload(client, token, response.content)
    assert imported.status_code == 200
    assert (await unit_row("DINKES"))["parent_code"] == "KAB"


# --- CSRF ---------------------------------------------------------------------------------------


async def test_post_without_valid_csrf_token_is_refused_in_indonesian(client, token):
    await make_unit("A")
    for sent in (None, "wrong-token"):
        data = {"code": "NEW", "name": "Baru", "kind": "opd"}
        if sent:
            data["_csrf_token"] = sent
        response = await client.post("/units", data=data)
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="id">' in response.text
        assert "Akses ditolak" in response.text
        assert "Permintaan ditolak. Muat ulang halaman lalu coba lagi." in response.text
    deactivate = await client.post("/units/A/active", data={"active": "0"})
    assert deactivate.status_code == 403
    assert await Unit.count() == 1
    assert (await unit_row("A"))["active"] is True
