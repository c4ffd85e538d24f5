"""The stakeholder registry pages: the form with its errors, editing and withdrawing consent, the
all-or-nothing CSV import, and who may see the registry."""

from __future__ import annotations

import re

import pytest

from core.audit.tables import AuditEvent
from core.forums.stakeholders import CSV_COLUMNS
from core.forums.tables import Stakeholder, StakeholderUnit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

ERROR_ROW_RE = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


# --- stakeholder pages -------------------------------------------------------------------------


@pytest.fixture
async def organizer(client, db) -> str:
    """Signed in as an organizer; the CSRF token for forms."""
    await make_unit("PKM-A", "puskesmas")
    await make_user("org", "organizer")
    await login(client, "org", PASSWORD)
    return await csrf_token(client, "/pemangku/baru")


def _import_errors(html: str) -> set[tuple[str, str]]:
    return {(row, field) for row, field, _ in ERROR_ROW_RE.findall(html)}


async def test_stakeholder_form_errors_create_edit_and_withdraw_consent(client, organizer):
    form = await client.get("/pemangku/baru")
    assert form.status_code == 200
    for label in ("Masyarakat pengguna layanan", "Akademisi/ahli/praktisi", "Media"):
        assert label in form.text
    assert 'name="consent"' in form.text and "setuju dihubungi" in form.text
    assert 'name="vulnerable" value="disabilitas"' in form.text
    assert '<option value="PKM-A"' in form.text

    bad = await client.post(
        "/pemangku",
        data={"_csrf_token": organizer, "name": "", "group": "", "email": "bukan", "consent": "1"},
    )
    assert bad.status_code == 422
    for field in ("name", "group", "email"):
        assert re.search(rf'id="f-{field}"[^>]*aria-invalid="true"', bad.text), field
    assert 'value="bukan"' in bad.text  # what was typed is kept
    no_contact = await client.post(
        "/pemangku",
        data={"_csrf_token": organizer, "name": "Ani", "group": "media", "consent": "1"},
    )
    assert no_contact.status_code == 422
    assert 'id="e-consent"' in no_contact.text and "perlu e-mail atau telepon" in no_contact.text
    assert await Stakeholder.count() == 0

    created = await client.post(
        "/pemangku",
        data={
            "_csrf_token": organizer,
            "name": "Siti Aminah",
            "organisation": "Paguyuban Pasien",
            "group": "pengguna_layanan",
            "email": "siti@contoh.id",
            "phone": "0812 3456 7890",
            "consent": "1",
            "vulnerable": ["lansia", "disabilitas"],
            "units": "PKM-A",
        },
        follow_redirects=False,
    )
    assert created.status_code in (302, 303), created.text
    row = await Stakeholder.select().where(Stakeholder.email == "siti@contoh.id").first()
    assert created.headers["location"] == f"/pemangku/{row['id']}?disimpan=1"
    assert row["consent"] and row["phone"] == "+6281234567890"
    assert await StakeholderUnit.count().where(StakeholderUnit.stakeholder == row["id"]) == 1

    listing = await client.get("/pemangku")
    assert "Siti Aminah" in listing.text and "Bersedia dihubungi" in listing.text
    assert "Lanjut usia" in listing.text and "Penyandang disabilitas" in listing.text
    assert 'href="/pemangku"' in listing.text and 'aria-current="page"' in listing.text
    assert "Siti Aminah" not in (await client.get("/pemangku", params={"group": "media"})).text
    assert "Siti Aminah" in (await client.get("/pemangku", params={"q": "paguyuban"})).text
    assert "Siti Aminah" in (await client.get("/pemangku", params={"unit": "PKM-A"})).text

    again = await client.post(
        "/pemangku",
        data={
            "_csrf_token": organizer,
            "name": "Siti A.",
            "group": "media",
            "phone": "081234567890",
        },
    )
    assert again.status_code == 409 and "sudah ada" in again.text

    edit = await client.get(f"/pemangku/{row['id']}")
    assert edit.status_code == 200 and 'value="Siti Aminah"' in edit.text
    assert f'action="/pemangku/{row["id"]}/tarik-persetujuan"' in edit.text
    saved = await client.post(
        f"/pemangku/{row['id']}",
        data={
            "_csrf_token": organizer,
            "name": "Siti Aminah, S.Pd.",
            "group": "organisasi_masyarakat",
            "email": "siti@contoh.id",
            "consent": "1",
            "vulnerable": "lansia",
        },
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    updated = await Stakeholder.select().where(Stakeholder.id == row["id"]).first()
    assert updated["name"] == "Siti Aminah, S.Pd." and updated["group"] == "organisasi_masyarakat"
    assert updated["consent_at"] == row["consent_at"]  # consent given earlier keeps its date
    assert await StakeholderUnit.count().where(StakeholderUnit.stakeholder == row["id"]) == 0
    assert await AuditEvent.exists().where(AuditEvent.action == "stakeholder.updated")

    withdrawn = await client.post(
        f"/pemangku/{row['id']}/tarik-persetujuan",
        data={"_csrf_token": organizer},
        follow_redirects=False,
    )
    assert withdrawn.status_code in (302, 303)
    after = await Stakeholder.select().where(Stakeholder.id == row["id"]).first()
    assert after["consent"] is False and after["consent_at"] is None
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "stakeholder.consent_withdrawn")
        & (AuditEvent.entity_id == str(row["id"]))
    )
    page = await client.get(f"/pemangku/{row['id']}?ditarik=1")
    assert "Tidak bersedia dihubungi" in page.text and "telah ditarik" in page.text
    assert "tarik-persetujuan" not in page.text


async def test_stakeholder_csv_import_is_all_or_nothing(client, organizer):
    page = await client.get("/pemangku/impor")
    assert page.status_code == 200 and "/pemangku/impor/templat.csv" in page.text
    template = await client.get("/pemangku/impor/templat.csv")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    assert template.text.splitlines()[0] == ",".join(CSV_COLUMNS)

    bad = (
        b"name,group,email,phone,consent,units\n"
        b"Ani,pengguna_layanan,ani@contoh.id,,ya,PKM-A\n"
        b",media,,,tidak,\n"
        b"Budi,wartawan,ani@contoh.id,,mungkin,XX\n"
    )
    response = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("pemangku.csv", bad, "text/csv")},
    )
    assert response.status_code == 422
    assert "Tidak ada yang diimpor" in response.text
    assert {("3", "name"), ("4", "group"), ("4", "email"), ("4", "consent"), ("4", "units")} <= (
        _import_errors(response.text)
    )
    assert await Stakeholder.count() == 0  # the good first row was not imported either

    no_header = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("x.csv", b"nama,kelompok\nAni,media\n", "text/csv")},
    )
    assert no_header.status_code == 422 and ("—", "file") in _import_errors(no_header.text)

    good = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("templat.csv", template.content, "text/csv")},
    )
    assert good.status_code == 200, good.text
    assert "1 pemangku kepentingan baru, 0 diperbarui" in good.text
    again = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("templat.csv", template.content, "text/csv")},
    )
    assert "0 pemangku kepentingan baru, 1 diperbarui" in again.text
    assert await Stakeholder.count() == 1


async def test_stakeholder_pages_follow_permissions(client, db):
    await make_unit("PKM-A", "puskesmas")
    await make_user("insp", "inspector")
    await login(client, "insp", PASSWORD)
    listing = await client.get("/pemangku")
    assert listing.status_code == 200 and 'href="/pemangku"' in listing.text
    assert "/pemangku/baru" not in listing.text
    assert (await client.get("/pemangku/baru")).status_code == 403
    assert (await client.get("/pemangku/impor")).status_code == 403


async def test_operators_do_not_see_the_registry(client, db):
    await make_unit("PKM-A", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    await login(client, "opr", PASSWORD)
    home = await client.get("/units")
    assert 'href="/pemangku"' not in home.text
    assert (await client.get("/pemangku")).status_code == 403
