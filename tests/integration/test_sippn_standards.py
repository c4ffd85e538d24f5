"""The service standard (issue 12): edited on the service page, imported from CSV/XLSX (all rows or
none, bad rows and columns named), audited."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.units.schemas import StandardIn
from core.units.standards import CODES, get_standard, save_standard
from core.units.standards_import import COLUMNS, template_csv
from core.units.tables import ServiceStandard
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

SYSTEM = Actor.system()
PAGE = "/units/PKM-A/services/UMUM/standar"


@pytest.fixture
async def unit(db) -> None:
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_unit("PKM-B", "puskesmas", services=("UMUM",))


async def test_a_new_service_has_every_component_missing(unit):
    standard = await get_standard(SYSTEM, "PKM-A", "UMUM")
    assert standard.missing == [*CODES, "set_on"] and len(CODES) == 14
    saved = await save_standard(
        SYSTEM, "PKM-A", "UMUM", StandardIn(components={"persyaratan": " KTP "})
    )
    assert saved.components["persyaratan"] == "KTP"
    assert saved.missing == [*CODES[1:], "set_on"]
    events = await AuditEvent.select().where(AuditEvent.action == "service.standard_saved")
    assert [e["entity_id"] for e in events] == ["PKM-A/UMUM"]


async def test_the_service_page_saves_the_standard_and_names_each_bad_field(client, unit):
    await make_user("opr", "operator", units=("PKM-A",))
    await login(client, "opr", PASSWORD)
    token = await csrf_token(client, PAGE)
    form = {c: f"isi {c}" for c in CODES}
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    bad = await client.post(
        PAGE, data={**form, "set_on": tomorrow, "forum": "99", "_csrf_token": token}
    )
    assert bad.status_code == 422
    assert "tanggal penetapan tidak boleh di masa depan" in bad.text
    assert "bukan forum unit ini" in bad.text
    assert await ServiceStandard.count() == 0
    good = await client.post(PAGE, data={**form, "set_on": "2026-01-02", "_csrf_token": token})
    assert good.status_code in (200, 302, 303)
    page = (await client.get(PAGE)).text
    assert "Lengkap: siap diekspor ke SIPPN." in page and "isi evaluasi_kinerja" in page
    unit_page = (await client.get("/units/PKM-A")).text
    assert f'href="{PAGE}"' in unit_page
    other = await client.post(
        "/units/PKM-B/services/UMUM/standar", data={**form, "_csrf_token": token}
    )
    assert other.status_code in (403, 404)


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(unit: str, service: str, **changes: str) -> dict[str, str]:
    row = {c: f"isi {c}" for c in CODES}
    row.update(unit=unit, layanan=service, tanggal_penetapan="2026-01-02", forum_id="")
    row.update(changes)
    return row


async def _upload(client, content: bytes, name: str):
    token = await csrf_token(client, "/units/standar/import")
    return await client.post(
        "/units/standar/import",
        files={"file": (name, content)},
        data={"_csrf_token": token},
    )


async def test_import_writes_all_rows_or_none_and_names_rows_and_columns(client, unit):
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    template = await client.get("/units/standar/import/template.csv")
    assert template.status_code == 200
    assert template_csv().decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    bad = _csv(
        [
            _row("PKM-A", "UMUM"),
            _row("PKM-X", "UMUM"),
            _row("PKM-A", "GIGI", tanggal_penetapan="2-1-2026"),
            _row("PKM-A", "UMUM", forum_id="abc"),
        ]
    )
    response = await _upload(client, bad, "standar.csv")
    assert response.status_code == 422
    for expected in (
        "<td>3</td><td>unit</td>",
        "<td>4</td><td>layanan</td>",
        "<td>4</td><td>tanggal_penetapan</td>",
        "<td>5</td><td>layanan</td>",
        "<td>5</td><td>forum_id</td>",
    ):
        assert expected in response.text
    assert await ServiceStandard.count() == 0

    good = _csv([_row("PKM-A", "UMUM"), _row("PKM-B", "UMUM", persyaratan="")])
    response = await _upload(client, good, "standar.csv")
    assert response.status_code == 200, response.text
    assert "2 standar baru, 0 diperbarui" in response.text
    assert (await get_standard(SYSTEM, "PKM-B", "UMUM")).missing == ["persyaratan"]


async def test_import_reads_xlsx_and_replaces_an_existing_standard(client, unit):
    await save_standard(SYSTEM, "PKM-A", "KIA", StandardIn(components={"produk": "lama"}))
    await make_user("opr", "operator", units=("PKM-A",))
    await login(client, "opr", PASSWORD)
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    row = _row("PKM-A", "KIA", produk="baru")
    sheet.append([row[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    response = await _upload(client, out.getvalue(), "standar.xlsx")
    assert response.status_code == 200, response.text
    assert "0 standar baru, 1 diperbarui" in response.text
    assert (await get_standard(SYSTEM, "PKM-A", "KIA")).components["produk"] == "baru"
    foreign = _csv([_row("PKM-B", "UMUM")])
    refused = await _upload(client, foreign, "standar.csv")
    assert refused.status_code == 422 and "bukan wewenang Anda" in refused.text


async def test_import_names_missing_columns(client, unit):
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    response = await _upload(client, b"unit,layanan\nPKM-A,UMUM\n", "standar.csv")
    assert response.status_code == 422
    assert "kolom tidak ada di baris judul: persyaratan" in response.text
