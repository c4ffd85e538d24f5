"""The public transparency portal (issue 13): only published results, aggregates only, honest
about small samples, the public API's fields, the home page for visitors."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user
from tests.integration.portal_data import SECRET_SARAN, answered_cycle, close, publish


async def _regency(hooks) -> dict[str, int]:
    """PKM-A published (3 of minimum 3), PKM-B published below its minimum (2 of 10),
    DINAS only closed, KEC with an open cycle."""
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "GIGI"))
    await make_unit("PKM-B", "puskesmas")
    await make_unit("DINAS", "opd")
    await make_unit("KEC", "kecamatan")
    ids = {
        "a": await answered_cycle(hooks, "PKM-A", [4, 4, 3], services=("UMUM", "GIGI")),
        "b": await answered_cycle(hooks, "PKM-B", [4, 4], population=10),
        "dinas": await answered_cycle(hooks, "DINAS", [1, 1, 1]),
        "kec": await answered_cycle(hooks, "KEC", [2, 2]),
    }
    await publish(hooks, ids["a"])
    await publish(hooks, ids["b"])
    await close(hooks, ids["dinas"])
    return ids


async def test_units_api_counts_published_cycles_only(client, hooks):
    ids = await _regency(hooks)
    units = {u["code"]: u for u in (await client.get("/api/v1/public/units")).json()}
    assert set(units) == {"PKM-A", "PKM-B", "DINAS", "KEC"}
    assert set(units["PKM-A"]) == {"code", "name", "kind", "latest"}
    latest = units["PKM-A"]["latest"]
    assert set(latest) == {"cycle", "period_label", "konversi", "mutu"}
    assert latest["cycle"] == ids["a"] and latest["period_label"] == "Triwulan I 2026"
    assert latest["konversi"] == pytest.approx((4 + 4 + 3) / 3 * 25) and latest["mutu"] == "A"
    assert units["DINAS"]["latest"] is None and units["KEC"]["latest"] is None
    assert units["PKM-A"]["kind"] == "puskesmas"


async def test_unit_api_has_history_counts_and_no_saran(client, hooks):
    ids = await _regency(hooks)
    response = await client.get("/api/v1/public/units/PKM-A")
    body = response.json()
    assert set(body) == {"unit", "latest", "history", "plan", "forums"}
    assert body["unit"]["code"] == "PKM-A" and body["plan"] is None and body["forums"] == []
    assert [h["cycle"] for h in body["history"]] == [ids["a"]]
    u1 = next(u for u in body["latest"]["unsur"] if u["code"] == "U1")
    assert u1["counts"] == {"1": 0, "2": 0, "3": 1, "4": 2} and u1["answered"] == 3
    assert body["latest"]["below_minimum"] is False and body["latest"]["minimum_sample"] == 3
    assert SECRET_SARAN not in response.text
    closed = (await client.get("/api/v1/public/units/DINAS")).json()
    assert closed["latest"] is None and closed["history"] == []
    assert (await client.get("/api/v1/public/units/NOPE")).status_code == 404


async def test_home_for_visitors_is_the_overview(client, hooks):
    await _regency(hooks)
    page = (await client.get("/?tahun=2026")).text
    assert "Transparansi pelayanan publik" in page
    assert 'id="pooled"' in page  # the pooled index of the published cycles
    ranking = page.split('id="h-rank"')[1].split("</table>")[0]
    assert "Unit PKM-A" in ranking and "Unit PKM-B" not in ranking
    unranked = page.split('id="unranked"')[1].split("</ul>")[0]
    assert "Unit PKM-B" in unranked and "di bawah sampel minimum" in unranked
    missing = page.split('id="not-published"')[1].split("</ul>")[0]
    assert "Unit DINAS" in missing and "Unit KEC" in missing and "Unit PKM-A" not in missing
    assert page.count("Keterangan mutu (nilai konversi)") >= 3
    assert SECRET_SARAN not in page


async def test_signed_in_staff_keep_their_home(client, hooks):
    await make_user("admin1", "admin")
    await login(client, "admin1", PASSWORD)
    page = (await client.get("/")).text
    assert "Selamat datang" in page and "Peringkat unit" not in page


async def test_search_by_unit_name(client, hooks):
    await _regency(hooks)
    page = (await client.get("/transparansi?q=pkm-a")).text
    found = page.split('id="h-found"')[1]
    assert "/transparansi/unit/PKM-A" in found and "/transparansi/unit/DINAS" not in found
    none = (await client.get("/transparansi?q=tidak-ada-unit-ini")).text
    assert "Tidak ada unit layanan dengan nama itu." in none


async def test_unit_page_chart_text_equivalent_share_tags(client, hooks):
    await _regency(hooks)
    response = await client.get("/transparansi/unit/PKM-A")
    page = response.text
    assert response.status_code == 200
    assert "<svg" in page and 'id="unsur-table"' in page and 'id="trend-table"' in page
    assert 'property="og:title" content="Unit PKM-A — 91,67 (A)"' in page
    assert "Kami mendengar, kami bertindak" in page and "3 saran tertulis diterima" in page
    assert SECRET_SARAN not in page
    assert "Layanan UMUM" in page and "Layanan GIGI" in page  # per jenis layanan
    small = (await client.get("/transparansi/unit/PKM-B")).text
    assert 'id="below-minimum"' in small
    closed = (await client.get("/transparansi/unit/DINAS")).text
    assert 'id="no-result"' in closed and "25,00" not in closed
    assert (await client.get("/transparansi/unit/NOPE")).status_code == 404


async def test_pages_are_light_and_self_contained(client, hooks):
    await _regency(hooks)
    for path in ("/", "/transparansi/unit/PKM-A", "/data-terbuka"):
        page = (await client.get(path)).text
        assert len(page.encode()) < 200_000, path
        for attribute in ('src="http', "src='http", 'href="//', "@import", "url(http"):
            assert attribute not in page, (path, attribute)
        assert '<link rel="stylesheet" href="http' not in page
    css = (await client.get("/static/portal.css")).text
    assert "http" not in css


async def test_a_voided_response_counts_nowhere_on_the_portal(client, hooks):
    from core.surveys.corrections import VoidIn, void_response
    from core.surveys.tables import Response
    from tests.integration.portal_data import SYSTEM

    await make_unit("PKM-A", "puskesmas")
    cycle_id = await answered_cycle(hooks, "PKM-A", [4, 4, 1])
    voided = await Response.select(Response.id).where(Response.u1 == 1).first()
    await void_response(
        SYSTEM, cycle_id, voided["id"], VoidIn(reason="diisi dua kali oleh petugas")
    )
    await publish(hooks, cycle_id)
    page = (await client.get("/transparansi/unit/PKM-A")).text
    assert "2 saran tertulis diterima" in page
    latest = (await client.get("/api/v1/public/units/PKM-A")).json()["latest"]
    assert latest["respondents"] == 2 and latest["konversi"] == 100
