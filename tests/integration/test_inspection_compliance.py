"""The compliance matrix: indicator 6 from the year's cycles, FKP 2 from the groups present at
held forums, 7 from the publication register, 8/9 zero without a published plan (the plans'
own bands are in test_inspection_follow_through); the rubric's edges; filters, sort, the XLSX
download and who may see it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.inspection import rubric
from core.plans import kpi
from tests.conftest import login
from tests.factories import PASSWORD
from tests.integration.inspection_data import GROUPS, build_regency, token


def test_rubric_edges():
    assert rubric.indicator_6(False, False, frozenset(), False) == 0
    assert rubric.indicator_6(True, False, frozenset(), False) == 1
    assert rubric.indicator_6(True, True, frozenset(), False) == 2
    assert rubric.indicator_6(True, True, frozenset({"cetak"}), False) == 3
    assert rubric.indicator_6(True, True, frozenset({"website"}), True) == 2
    assert rubric.indicator_6(True, True, frozenset({"cetak", "website"}), False) == 4
    assert rubric.indicator_6(True, True, frozenset({"cetak", "sippn"}), True) == 5
    assert [rubric.indicator_7(frozenset(map(str, range(n)))) for n in (0, 1, 4, 5, 6)] == [
        0,
        1,
        4,
        5,
        5,
    ]
    # Indicators 8 and 9 score the bands the plans room computes, at every edge.
    cases_8 = [
        ((0, 0, False, False), 0),
        ((10, 0, False, False), 1),
        ((10, 0, True, False), 2),
        ((10, 2, True, False), 2),
        ((10, 3, True, False), 3),
        ((10, 8, True, False), 3),
        ((10, 9, True, False), 4),
        ((10, 10, True, False), 4),
        ((10, 10, True, True), 5),
    ]
    assert [rubric.indicator_8(kpi.indicator_8(*args)) for args, _ in cases_8] == [
        score for _, score in cases_8
    ]
    months = (None, 0, 1, 2, 3, 4, 6, 7, 9, 10, 12, 13)
    assert [rubric.indicator_9(kpi.indicator_9(m)) for m in months] == [
        0, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0
    ]  # fmt: skip
    assert [rubric.fkp_2(n) for n in (0, 3, 5)] == [0, 3, 5]


@pytest.fixture
async def regency(db, hooks):
    return await build_regency(hooks)


async def test_matrix_scores_with_evidence(client, regency):
    headers = await token(client, "inspektur")
    response = await client.get("/api/v1/compliance?year=2026", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["year"] == 2026
    units = {u["unit"]: u for u in body["units"]}
    a, b, dinkes = units["PKM-A"], units["PKM-B"], units["DINKES"]
    assert a["indicators"]["6"]["score"] == 2  # per the rule; publication not evidenced yet
    assert any(e["href"] == f"/cycles/{regency['cycle']}" for e in a["indicators"]["6"]["evidence"])
    assert b["indicators"]["6"]["score"] == 0 and b["indicators"]["6"]["evidence"] == []
    assert dinkes["indicators"]["6"]["score"] == 1
    assert "belum ditutup" in dinkes["indicators"]["6"]["note"]
    assert a["indicators"]["7"]["score"] == 0  # the register holds no publication yet
    for code in ("8", "9"):  # no published plan
        assert a["indicators"][code]["score"] == 0 and a["indicators"][code]["note"]
    fkp = a["indicators"]["fkp2"]
    assert fkp["score"] == 3 and a["forum_held"] and sorted(a["forum_groups"]) == sorted(GROUPS)
    assert f"/forum/{regency['forum']}" in [e["href"] for e in fkp["evidence"]]
    assert b["indicators"]["fkp2"]["score"] == 0

    kinds = await client.get("/api/v1/compliance?year=2026&kind=opd", headers=headers)
    assert [u["unit"] for u in kinds.json()["units"]] == ["DINKES"]
    ranked = await client.get("/api/v1/compliance?year=2026&sort=-6", headers=headers)
    assert [u["unit"] for u in ranked.json()["units"]] == ["PKM-A", "DINKES", "PKM-B"]
    bad = await client.get("/api/v1/compliance?year=20x6&sort=nope", headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year"

    operator = await token(client, "op-a")
    assert (await client.get("/api/v1/compliance", headers=operator)).status_code == 403


async def test_page_and_workbook(client, regency):
    await login(client, "inspektur", PASSWORD)
    page = await client.get("/kepatuhan?year=2026")
    assert page.status_code == 200
    assert "Unit PKM-A" in page.text and "belum ada RTL yang diumumkan" in page.text
    assert "/temuan/baru?unit=PKM-B" in page.text
    download = await client.get("/kepatuhan.xlsx?year=2026&sort=unit")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "Kode",
        "Nama unit",
        "Jenis unit",
        "Indikator 6",
        "Indikator 7",
        "Indikator 8",
        "Indikator 9",
        "FKP 2",
    )
    by_code = {r[0]: r for r in rows[1:] if r and r[0]}
    assert by_code["PKM-A"][3] == 2 and by_code["PKM-A"][7] == 3 and by_code["PKM-A"][5] == 0
    assert by_code["PKM-B"][3] == 0


async def test_audit_pack(client, regency):
    from core.forums.tables import Forum

    await Forum.update({Forum.berita_acara_sha256: "ab" * 32}).where(Forum.id == regency["forum"])
    await login(client, "inspektur", PASSWORD)
    page = await client.get("/kepatuhan/PKM-A/paket?year=2026")
    assert page.status_code == 200
    assert "Unit PKM-A" in page.text and "sha256 " + "ab" * 32 in page.text
    assert "Peninjauan standar pelayanan" in page.text
    assert (await client.get("/kepatuhan/NOPE/paket?year=2026")).status_code == 404
    pdf = await client.get("/kepatuhan/PKM-A/paket.pdf?year=2026")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


async def test_self_assessment_beside_the_computed_score(client, regency):
    operator = await token(client, "op-a")
    claim = {
        "year": 2026,
        "surveys_held": 2,
        "media": ["cetak", "website", "media_sosial"],
        "last_ikm": 88.5,
        "rtl_done_percent": 100,
    }
    other = await client.post("/api/v1/units/PKM-B/self-assessment", json=claim, headers=operator)
    assert other.status_code == 404
    bad = await client.post(
        "/api/v1/units/PKM-A/self-assessment",
        json={**claim, "media": ["koran"], "rtl_done_percent": 120},
        headers=operator,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"media", "rtl_done_percent"}
    saved = await client.post("/api/v1/units/PKM-A/self-assessment", json=claim, headers=operator)
    assert saved.status_code == 201, saved.text

    inspector = await token(client, "inspektur")
    body = (await client.get("/api/v1/compliance?year=2026", headers=inspector)).json()
    a = next(u for u in body["units"] if u["unit"] == "PKM-A")
    claims = {c["indicator"]: c for c in a["self_assessment"]["claims"]}
    assert claims["6"] == {
        "indicator": "6",
        "claimed": 5,
        "computed": 2,
        "flagged": True,
        "note": "klaim melebihi bukti",
    }
    assert claims["7"]["claimed"] == 3 and claims["7"]["flagged"]  # nothing to check it against
    assert claims["9"]["claimed"] is None and not claims["9"]["flagged"]
    assert a["over_claims"] == 3

    await login(client, "op-a", PASSWORD)
    page = await client.get("/penilaian-mandiri/PKM-A")
    assert page.status_code == 200 and "Media publikasi" in page.text
    assert (await client.get("/penilaian-mandiri/PKM-B")).status_code == 404


async def test_publication_register_scores_indicators_6_and_7(client, regency):
    from datetime import date

    from core.clock import utcnow
    from core.reports.tables import Publication

    for media, day in (("cetak", date(2026, 4, 2)), ("website", date(2026, 4, 3))):
        await Publication.insert(
            Publication(cycle=regency["cycle"], media=media, published_on=day, created_at=utcnow())
        )
    headers = await token(client, "inspektur")
    body = (await client.get("/api/v1/compliance?year=2026", headers=headers)).json()
    a = next(u for u in body["units"] if u["unit"] == "PKM-A")
    assert a["indicators"]["6"]["score"] == 4  # + published on paper and online; no RTL
    assert a["indicators"]["7"]["score"] == 2
    dates = [e["date"] for e in a["indicators"]["7"]["evidence"]]
    assert dates == ["2026-04-02", "2026-04-03"]
