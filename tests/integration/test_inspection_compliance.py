"""The compliance matrix: indicator 6 from the year's cycles, FKP 2 from the groups present at
held forums, 7/8/9 honestly unscored until the publication register and plans exist; the
rubric's edges; filters, sort, the XLSX download and who may see it."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from core.accounts.policy import Actor
from core.clock import frozen_at
from core.forums import service
from core.forums.schemas import AttendanceIn, ForumIn, InvitationsIn, StakeholderIn
from core.forums.stakeholders import create_stakeholder
from core.inspection import rubric
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")
WIB = timezone(timedelta(hours=7))
GROUPS = ("pengguna_layanan", "akademisi", "media")


def test_rubric_edges():
    assert rubric.indicator_6(False, False, None, None) == 0
    assert rubric.indicator_6(True, False, None, None) == 1
    assert rubric.indicator_6(True, True, None, None) == 2
    assert rubric.indicator_6(True, True, frozenset({"cetak"}), None) == 3
    assert rubric.indicator_6(True, True, frozenset({"website"}), None) == 2
    assert rubric.indicator_6(True, True, frozenset({"cetak", "website"}), False) == 4
    assert rubric.indicator_6(True, True, frozenset({"cetak", "sippn"}), True) == 5
    assert rubric.indicator_7(None) is None
    assert [rubric.indicator_7(frozenset(map(str, range(n)))) for n in (0, 1, 4, 5, 6)] == [
        0,
        1,
        4,
        5,
        5,
    ]
    assert rubric.indicator_8(None, 0, False, False) is None
    assert rubric.indicator_8(0, 0, False, False) == 0
    assert rubric.indicator_8(10, 0, False, False) == 1
    assert rubric.indicator_8(10, 2, True, False) == 2
    assert rubric.indicator_8(10, 3, True, False) == 3
    assert rubric.indicator_8(10, 8, True, False) == 3
    assert rubric.indicator_8(10, 9, True, False) == 4
    assert rubric.indicator_8(10, 10, True, False) == 4
    assert rubric.indicator_8(10, 10, True, True) == 5
    assert rubric.indicator_9(None, None) is None
    assert rubric.indicator_9(None, False) == 0
    assert [rubric.indicator_9(m, True) for m in (0.5, 1, 2, 3, 5, 6, 9, 12, 13)] == [
        5,
        5,
        4,
        4,
        3,
        3,
        2,
        1,
        0,
    ]
    assert [rubric.fkp_2(n) for n in (0, 3, 5)] == [0, 3, 5]


async def _surveyed(hooks, code: str, close: bool) -> int:
    system = Actor.system()
    cycle_id = await create_cycle(
        system, hooks, CycleIn(unit=code, period_type="tw1", year=2026, population=10)
    )
    await open_cycle(system, hooks, cycle_id)
    for n in range(10):
        answers = {f"U{k}": 3 + (n + k) % 2 for k in range(1, 10)}
        await enter_response(system, cycle_id, ResponseIn(answers=answers))
    if close:
        await close_cycle(system, hooks, cycle_id)
    return cycle_id


async def _forum(unit: str) -> int:
    system = Actor.system()
    people = []
    for n, group in enumerate(GROUPS):
        person = StakeholderIn(
            name=f"Warga {n}", group=group, email=f"w{n}@contoh.id", consent=True, units=[unit]
        )
        people.append((await create_stakeholder(system, person)).id)
    start = datetime(2026, 6, 10, 9, 0, tzinfo=WIB)
    forum_id = await service.create_forum(
        system,
        ForumIn(
            title="Peninjauan standar pelayanan",
            purpose="standar_pelayanan",
            units=[unit],
            format="tatap_muka",
            venue="Aula",
            start=start,
            end=start + timedelta(hours=2),
        ),
    )
    await service.invite(system, forum_id, InvitationsIn(stakeholders=people))
    await service.schedule_forum(system, forum_id)
    with frozen_at(start + timedelta(minutes=10)):
        for person in people:
            await service.check_in(system, forum_id, AttendanceIn(stakeholder=person))
        await service.hold_forum(system, forum_id)
    return forum_id


@pytest.fixture
async def regency(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_unit("DINKES", "opd")
    cycle_id = await _surveyed(hooks, "PKM-A", close=True)
    await _surveyed(hooks, "DINKES", close=False)
    forum_id = await _forum("PKM-A")
    await make_user("inspektur", "inspector")
    await make_user("op-a", "operator", ("PKM-A",))
    return {"cycle": cycle_id, "forum": forum_id}


async def _token(client, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_matrix_scores_with_evidence(client, regency):
    headers = await _token(client, "inspektur")
    response = await client.get("/api/v1/compliance?year=2026", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["year"] == 2026 and len(body["pending"]) == 1  # the RTL is not in Suara yet
    units = {u["unit"]: u for u in body["units"]}
    a, b, dinkes = units["PKM-A"], units["PKM-B"], units["DINKES"]
    assert a["indicators"]["6"]["score"] == 2  # per the rule; publication not evidenced yet
    assert any(e["href"] == f"/cycles/{regency['cycle']}" for e in a["indicators"]["6"]["evidence"])
    assert b["indicators"]["6"]["score"] == 0 and b["indicators"]["6"]["evidence"] == []
    assert dinkes["indicators"]["6"]["score"] == 1
    assert "belum ditutup" in dinkes["indicators"]["6"]["note"]
    assert a["indicators"]["7"]["score"] == 0  # the register holds no publication yet
    for code in ("8", "9"):
        assert a["indicators"][code]["score"] is None and a["indicators"][code]["note"]
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

    operator = await _token(client, "op-a")
    assert (await client.get("/api/v1/compliance", headers=operator)).status_code == 403


async def test_page_and_workbook(client, regency):
    await login(client, "inspektur", PASSWORD)
    page = await client.get("/kepatuhan?year=2026")
    assert page.status_code == 200
    assert "Unit PKM-A" in page.text and "Rencana tindak lanjut (RTL) belum tersedia" in page.text
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
    assert by_code["PKM-A"][3] == 2 and by_code["PKM-A"][7] == 3 and by_code["PKM-A"][5] is None
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
    operator = await _token(client, "op-a")
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

    inspector = await _token(client, "inspektur")
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
    headers = await _token(client, "inspektur")
    body = (await client.get("/api/v1/compliance?year=2026", headers=headers)).json()
    a = next(u for u in body["units"] if u["unit"] == "PKM-A")
    assert a["indicators"]["6"]["score"] == 4  # + published on paper and online; RTL unknown
    assert a["indicators"]["7"]["score"] == 2
    dates = [e["date"] for e in a["indicators"]["7"]["evidence"]]
    assert dates == ["2026-04-02", "2026-04-03"]
