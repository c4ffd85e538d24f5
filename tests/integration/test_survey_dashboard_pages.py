"""What leaders and inspectors read: the unit dashboard with the exact konversi and weakest unsur,
the trend, saran search, the recap and its exports, and what an operator may not see."""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction

from openpyxl import load_workbook

from core.surveys.tables import Response
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit
from tests.integration.survey_data import (
    STANDARD,
    answer,
    draft_cycle,
    half_up,
    opened_cycle,
    survey_world,
    visible_text,
)

# --- unit dashboard ----------------------------------------------------------------------------


async def test_unit_dashboard_shows_the_exact_konversi_and_the_weakest_unsur(client, db, hooks):
    await survey_world()
    cycle_id = await opened_cycle(hooks)
    data = [
        ({"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 2}, "UMUM"),
        ({**dict.fromkeys(STANDARD, 3), "U9": None}, "KIA"),
        ({**dict.fromkeys(STANDARD, 4), "U3": 1, "U8": 2}, "KIA"),
    ]
    for answers, service in data:
        await answer(cycle_id, answers, service, profile={"jenis_kelamin": "L", "usia": 30})
    nrr = {}
    for code in STANDARD:
        given = [a[code] for a, _ in data if a[code] is not None]
        nrr[code] = Fraction(sum(given), len(given))
    konversi = sum(nrr.values()) / 9 * 25
    weakest = min(nrr, key=nrr.get)
    assert weakest == "U3" and list(nrr.values()).count(nrr["U3"]) == 1

    await login(client, "opr", PASSWORD)
    page = await client.get("/units/PKM-A/skm")
    assert page.status_code == 200, page.text
    shown = re.search(r'id="konversi">([^<]+)<', page.text).group(1)
    assert shown == half_up(konversi)
    # The weakest row of the table and the weakest bar of the chart are marked, nothing else.
    assert re.findall(r'<tr class="weakest">\s*<td data-label="Kode">(U\d+)</td>', page.text) == [
        "U3"
    ]
    assert re.findall(r'data-code="(U\d+)" data-weakest="true"', page.text) == ["U3"]
    assert half_up(nrr["U3"], 3) in page.text  # NRR with 3 decimals
    text = visible_text(page.text)
    assert "Laki-laki 3 100,0%" in text  # the profile breakdown with count and share
    assert "dari minimum 80 responden" in text
    link = await client.get("/units/PKM-A")
    assert 'href="/units/PKM-A/skm"' in link.text


async def test_dashboard_defaults_to_the_latest_opened_cycle_and_shows_the_trend(client, db, hooks):
    await survey_world()
    first = await opened_cycle(hooks, period="tw1")
    await answer(first, dict.fromkeys(STANDARD, 3))
    second = await opened_cycle(hooks, period="tw2")
    await answer(second, dict.fromkeys(STANDARD, 4))
    await draft_cycle(hooks, period="tw3")  # a later draft is not the default
    await login(client, "opr", PASSWORD)
    page = await client.get("/units/PKM-A/skm")
    assert re.search(rf'<option value="{second}" selected', page.text)
    assert 'id="konversi">100,00<' in page.text
    trend = re.search(r'<svg[^>]*class="chart chart-trend".*?</svg>', page.text, re.S).group(0)
    assert "75,00" in trend and "100,00" in trend and trend.index("75,00") < trend.index("100,00")
    older = await client.get(f"/units/PKM-A/skm?siklus={first}")
    assert 'id="konversi">75,00<' in older.text


async def test_saran_search_and_pages(client, db, hooks):
    await survey_world()
    cycle_id = await opened_cycle(hooks)
    for n in range(25):
        saran = f"Antrean terlalu lama nomor {n}" if n % 2 == 0 else f"Petugas ramah {n}"
        await answer(cycle_id, {"U1": 3}, saran=saran)
    await answer(cycle_id, {"U1": 3}, saran="Diskon 100% untuk lansia")
    await answer(cycle_id, {"U1": 2})  # no saran: not listed
    await login(client, "opr", PASSWORD)
    base = f"/units/PKM-A/skm?siklus={cycle_id}"
    found = await client.get(f"{base}&q=ANTREAN")
    items = re.findall(r'<li(?: class="screen-only")?><p>([^<]+)</p>', found.text)
    assert len(items) == 13 and all("Antrean" in item for item in items)
    assert found.text.count('<li class="screen-only"><p>') == 3  # the printout keeps ten
    assert "Cetakan memuat 10 saran terbaru" in found.text
    assert items[0] == "Antrean terlalu lama nomor 24"  # newest first
    assert "13 saran berisi" in visible_text(found.text)
    listed = r'<li(?: class="screen-only")?><p>([^<]+)</p>'
    first = re.findall(listed, (await client.get(base)).text)
    second = re.findall(listed, (await client.get(f"{base}&hal=2")).text)
    assert len(first) == 20 and len(second) == 6 and not set(first) & set(second)
    percent = re.findall(listed, (await client.get(f"{base}&q=%25")).text)
    assert percent == ["Diskon 100% untuk lansia"]  # % is a character, not a wildcard


# --- recap -------------------------------------------------------------------------------------


async def test_recap_lists_units_without_survey_and_exports_the_same_rows(client, db, hooks):
    await survey_world()
    await make_unit("DINKES", "opd")
    cycle_id = await opened_cycle(hooks, population=10)
    await answer(cycle_id, dict.fromkeys(STANDARD, 3))
    await answer(cycle_id, dict.fromkeys(STANDARD, 4), service="KIA")
    await login(client, "insp", PASSWORD)
    page = await client.get("/rekap?year=2026")
    assert page.status_code == 200, page.text
    missing = re.search(r'id="h-missing".*?</section>', page.text, re.S).group(0)
    assert "Unit mana yang belum melaksanakan SKM tahun ini?" in missing
    assert "PKM-B" in missing and "DINKES" in missing and "PKM-A" not in missing.split("<h3>")[0]
    assert "PKM-A" in missing.split("<h3>")[1]  # 2 of the 10 the K&M table asks for
    assert "Gabungan seluruh jawaban" in page.text and "Rata-rata indeks unit" in page.text
    # The cycle is still open: no final regency figure yet, the provisional one marked as such.
    assert 'id="pooled">—<' in page.text
    assert 'id="pooled-provisional">87,50<' in page.text and "sementara" in page.text
    assert re.search(
        r'mutu-bg-B" href="/units/PKM-A/skm\?siklus=\d+">\s*<strong>87,50</strong>', page.text
    )
    page_units = re.findall(r'data-unit="([^"]+)"', page.text)
    assert sorted(page_units) == ["DINKES", "PKM-A", "PKM-B"]

    book = await client.get("/rekap.xlsx?year=2026")
    assert book.status_code == 200
    workbook = load_workbook(io.BytesIO(book.content))
    sheet = workbook["Rekap"]
    assert workbook.sheetnames == ["Rekap", "Ringkasan"] and sheet.freeze_panes == "D2"
    rows = list(sheet.iter_rows(values_only=True))
    scored = 1 + next(i for i, r in enumerate(rows) if r[0] == "PKM-A")
    assert sheet["A1"].font.bold and sheet.cell(scored, 4).number_format == "0.00"  # as 87,50
    assert rows[0][:4] == ("Kode", "Nama unit", "Jenis unit", "TW I konversi")
    assert [r[0] for r in rows[1:]] == page_units
    pkm_a = next(r for r in rows if r[0] == "PKM-A")
    assert pkm_a[3] == 87.5 and pkm_a[4] == "B (sementara)"  # the cycle is still open
    raw = await client.get("/rekap.csv?year=2026")
    assert raw.content.startswith("\ufeff".encode())
    records = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert [r[0] for r in records[1 : 1 + len(page_units)]] == page_units
    assert records[0] == [str(c) for c in rows[0]]

    by_konversi = await client.get("/rekap?year=2026&sort=konversi&kind=puskesmas")
    assert re.findall(r'data-unit="([^"]+)"', by_konversi.text) == ["PKM-A", "PKM-B"]


async def test_operator_cannot_see_the_recap_or_another_units_cycle(client, db, hooks):
    await survey_world()
    other = await opened_cycle(hooks, unit="PKM-B")
    await login(client, "opr", PASSWORD)
    home = await client.get("/")
    assert 'href="/cycles"' in home.text and 'href="/rekap"' not in home.text
    assert (await client.get("/rekap?year=2026")).status_code == 403
    assert (await client.get("/rekap.xlsx?year=2026")).status_code == 403
    for path in (
        f"/cycles/{other}",
        f"/cycles/{other}/entri",
        f"/cycles/{other}/impor",
        f"/cycles/{other}/templat.csv",
        "/units/PKM-B/skm",
    ):
        assert (await client.get(path)).status_code == 404, path
    listed = await client.get("/cycles")
    assert f'href="/cycles/{other}"' not in listed.text
    token = await csrf_token(client, "/cycles")
    entry = await client.post(f"/cycles/{other}/entri", data={"_csrf_token": token, "U1": "4"})
    assert entry.status_code == 404 and await Response.count() == 0


async def test_recap_matrix_shows_only_the_periods_surveyed_that_year(client, db, hooks):
    await survey_world()
    cycle_id = await opened_cycle(hooks, period="tw1")
    await answer(cycle_id, {f"U{n}": 3 for n in range(1, 10)})
    await login(client, "adm", PASSWORD)
    page = await client.get("/rekap?year=2026")
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page.text)
    assert "TW I" in headers
    assert not {"TW II", "Sem. I", "Sem. II", "Tahunan", "Lainnya"} & set(headers)
