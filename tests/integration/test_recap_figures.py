"""The index is never quietly wrong: blank unsur, a unit's own unsur, provisional figures, exports.

Issue 8 items 1, 2, 5 and 6, checked through the API and the pages as a user would see them.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction

import pytest

from core.accounts.policy import Actor
from core.surveys import cycles
from core.surveys.questionnaires import save_questionnaire, standard_items
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn, UnsurItem
from tests.conftest import bearer, login
from tests.factories import PASSWORD, make_unit, make_user

SYSTEM = Actor.system()
STANDARD = [f"U{n}" for n in range(1, 10)]
EXTRA = [
    UnsurItem(code=code, name=name, question=f"{name}?", labels=["1", "2", "3", "4"])
    for code, name in (("U10", "Kebersihan"), ("U11", "Parkir"))
]


async def _cycle(hooks, unit: str = "PKM-A", period: str = "tw1") -> int:
    cycle_id = await cycles.create_cycle(
        SYSTEM, hooks, CycleIn(unit=unit, period_type=period, year=2026, population=10)
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


async def _answer(cycle_id: int, answers: dict) -> None:
    await enter_response(SYSTEM, cycle_id, ResponseIn(answers=answers))


def _konversi(rows: list[dict[str, int]], codes: list[str]) -> float:
    """The official konversi: mean over ``codes`` of each unsur's NRR, × 25 (exact)."""
    nrr = [Fraction(sum(r[c] for r in rows), len(rows)) for c in codes]
    return float(sum(nrr) / len(nrr) * 25)


async def test_an_unsur_nobody_answered_withholds_the_index_everywhere(client, db, hooks):
    await make_unit("PKM-A", "puskesmas")
    await make_user("insp", "inspector")
    cycle_id = await _cycle(hooks)
    for _ in range(3):
        await _answer(cycle_id, {**dict.fromkeys(STANDARD[:8], 4), "U9": None})
    headers = await bearer(client, "insp")

    score = (await client.get(f"/api/v1/cycles/{cycle_id}/score", headers=headers)).json()
    assert score["score"]["konversi"] is None and score["score"]["mutu"] is None
    assert "U9" in score["score"]["withheld"]
    u9 = next(u for u in score["score"]["unsur"] if u["code"] == "U9")
    assert (u9["answered"], u9["nrr"]) == (0, None)
    assert len(score["score"]["unsur"]) == 9

    recap = (await client.get("/api/v1/recap?year=2026", headers=headers)).json()
    unit = next(u for u in recap["units"] if u["code"] == "PKM-A")
    assert unit["konversi"] is None and "U9" in unit["cycles"][0]["withheld"]
    assert recap["regency"]["pooled"]["withheld"]

    await login(client, "insp", PASSWORD)
    page = (await client.get(f"/units/PKM-A/skm?siklus={cycle_id}")).text
    assert 'id="konversi">—<' in page and 'id="withheld"' in page and "U9" in page
    assert "belum ada jawaban untuk unsur ini" in page
    exported = (await client.get("/rekap.csv?year=2026")).content.decode("utf-8-sig")
    line = next(r for r in csv.reader(io.StringIO(exported)) if r and r[0] == "PKM-A")
    assert "indeks ditahan" in line[-1] and "U9" in line[-1]


async def test_the_recap_uses_the_units_own_unsur(client, db, hooks):
    await make_unit("PKM-A", "puskesmas")
    await make_user("insp", "inspector")
    await save_questionnaire(SYSTEM, hooks, "PKM-A", [*standard_items(hooks), *EXTRA])
    cycle_id = await _cycle(hooks)
    rows = [
        {**dict.fromkeys(STANDARD, 3), "U10": 1, "U11": 2},
        {**dict.fromkeys(STANDARD, 4), "U10": 2, "U11": 1},
    ]
    for row in rows:
        await _answer(cycle_id, row)
    await cycles.close_cycle(SYSTEM, hooks, cycle_id, reason="sampel uji, di bawah minimum")
    headers = await bearer(client, "insp")

    official = _konversi(rows, [*STANDARD, "U10", "U11"])
    score = (await client.get(f"/api/v1/cycles/{cycle_id}/score", headers=headers)).json()
    assert score["score"]["konversi"] == pytest.approx(official)
    recap = (await client.get("/api/v1/recap?year=2026", headers=headers)).json()
    unit = next(u for u in recap["units"] if u["code"] == "PKM-A")
    assert unit["cycles"][0]["konversi"] == pytest.approx(official)
    assert unit["konversi"] == pytest.approx(official)  # the unit-year figure, U10 and U11 in
    assert unit["final"]["konversi"] == pytest.approx(official)
    # The regency-wide pooled figure stays on the nine standard unsur, and says so.
    assert recap["regency"]["pooled_final"]["konversi"] == pytest.approx(_konversi(rows, STANDARD))
    assert "sembilan unsur baku" in recap["regency"]["basis"]

    await login(client, "insp", PASSWORD)
    page = (await client.get("/rekap?year=2026")).text
    assert "sembilan unsur baku" in page
    exported = (await client.get("/rekap.csv?year=2026")).content.decode("utf-8-sig")
    assert "sembilan unsur baku" in exported


async def test_open_cycles_make_figures_provisional(client, db, hooks):
    await make_unit("PKM-A", "puskesmas")
    await make_user("insp", "inspector")
    closed = await _cycle(hooks, period="tw1")
    await _answer(closed, dict.fromkeys(STANDARD, 3))
    await cycles.close_cycle(SYSTEM, hooks, closed, reason="sampel uji, di bawah minimum")
    still_open = await _cycle(hooks, period="tw2")
    await _answer(still_open, dict.fromkeys(STANDARD, 4))
    headers = await bearer(client, "insp")

    recap = (await client.get("/api/v1/recap?year=2026", headers=headers)).json()
    assert recap["provisional"] is True
    unit = next(u for u in recap["units"] if u["code"] == "PKM-A")
    assert unit["provisional"] is True
    assert unit["final"]["konversi"] == pytest.approx(75.0)  # the closed TW I only
    assert unit["konversi"] == pytest.approx(87.5)  # TW I and the open TW II
    assert [c["provisional"] for c in unit["cycles"]] == [False, True]
    assert recap["regency"]["pooled_final"]["konversi"] == pytest.approx(75.0)
    assert recap["regency"]["pooled"]["konversi"] == pytest.approx(87.5)

    await login(client, "insp", PASSWORD)
    page = (await client.get("/rekap?year=2026")).text
    assert 'id="pooled">75,00<' in page and 'id="pooled-provisional">87,50<' in page
    row = page[page.index('data-unit="PKM-A"') :].split("</tr>", 1)[0]
    assert row.count("sementara") == 2  # the open TW II cell and the year's provisional figure
    book = (await client.get("/rekap.csv?year=2026")).content.decode("utf-8-sig")
    line = next(r for r in csv.reader(io.StringIO(book)) if r and r[0] == "PKM-A")
    assert "B (sementara)" not in line[4] and line[6] == "A (sementara)"


async def test_recap_csv_carries_the_regency_figures(client, db, hooks):
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_user("insp", "inspector")
    first, second = await _cycle(hooks, "PKM-A"), await _cycle(hooks, "PKM-B")
    await _answer(first, dict.fromkeys(STANDARD, 3))
    await _answer(second, dict.fromkeys(STANDARD, 4))
    await _answer(second, dict.fromkeys(STANDARD, 4))
    for cycle_id in (first, second):
        await cycles.close_cycle(SYSTEM, hooks, cycle_id, reason="sampel uji, di bawah minimum")
    await login(client, "insp", PASSWORD)
    exported = (await client.get("/rekap.csv?year=2026")).content.decode("utf-8-sig")
    lines = {r[0]: r[1:] for r in csv.reader(io.StringIO(exported)) if r}
    pooled = next(v for k, v in lines.items() if k.startswith("Indeks kabupaten/kota — gabungan"))
    mean = next(v for k, v in lines.items() if k.startswith("Indeks kabupaten/kota — rata-rata"))
    assert pooled[:2] == ["91.67", "A"]  # (3 + 4 + 4) / 3 × 25, every answer pooled
    assert mean[0] == "87.50"  # (75 + 100) / 2
    assert lines["Tahun"] == ["2026"] and lines["Unit belum melaksanakan SKM"] == ["0"]
