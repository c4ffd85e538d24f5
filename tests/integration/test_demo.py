"""The demo regency: two years of SKM data, seeded all-or-nothing and the same on every run."""

from zoneinfo import ZoneInfo

import pytest

from core import demo
from core.accounts.policy import Actor
from core.accounts.tables import User
from core.audit.service import verify
from core.demo import surveys as demo_surveys
from core.demo.days import is_office_day
from core.surveys.recap import year_recap
from core.surveys.responses import check_answers, check_profile
from core.surveys.schemas import UnsurItem
from core.surveys.scores import score_scope
from core.surveys.tables import Response, SurveyCycle
from core.surveys.tallies import Scope
from core.units.tables import Unit
from tests.factories import DEMO_TODAY

TODAY = DEMO_TODAY
JAKARTA = ZoneInfo("Asia/Jakarta")
NOT_SURVEYED = {"DLH", "DISNAKER", "SDN2"}
UNDER_SAMPLED = {"KEC-WARINGIN", "UPT-PASAR"}
WEAK = {"DISDUKCAPIL": "U3", "RSUD": "U3", "KEC-TANJUNG": "U9", "PKM-WARINGIN": "U9"}
PAPER_OPERATOR_UNITS = {"PKM-SUKAMAJU", "PKM-MEKARSARI"}

# Exact totals of the seeded generator: a change here means the demo data changed.
EXPECTED_CYCLES = 95
EXPECTED_OPEN = 21
EXPECTED_RESPONSES = 33_493
EXPECTED_U3_SUM = 101_426


async def _cycles_by_unit(year: int) -> dict[str, list[dict]]:
    rows = await SurveyCycle.select(
        SurveyCycle.unit.code.as_alias("code"),
        SurveyCycle.period_type,
        SurveyCycle.status,
        SurveyCycle.end_date,
    ).where(SurveyCycle.year == year)
    by_unit: dict[str, list[dict]] = {}
    for row in rows:
        by_unit.setdefault(row["code"], []).append(row)
    return by_unit


async def test_demo_seeds_two_years_of_surveys(demo_regency, hooks):
    all_units = {code for code, *_ in demo.UNITS}

    # Every unit but the regency surveyed last year; this year all but the three chosen ones.
    past, current = await _cycles_by_unit(2025), await _cycles_by_unit(2026)
    assert set(past) == all_units
    assert set(current) == all_units - NOT_SURVEYED
    assert all(c["status"] == "closed" for cycles in past.values() for c in cycles)
    for cycles in current.values():
        assert {c["period_type"] for c in cycles} in ({"tw1", "tw2", "tw3", "tw4"}, {"s1", "s2"})
        for cycle in cycles:  # the period running today is open, earlier ones are closed
            assert cycle["status"] == ("open" if cycle["end_date"] >= TODAY else "closed")

    recap = await year_recap(Actor.system(), hooks, 2026)
    assert {row.code for row in recap.not_surveyed} == NOT_SURVEYED
    assert {row.code for row in recap.below_minimum} == UNDER_SAMPLED
    for row in recap.rows:
        if row.code in UNDER_SAMPLED:  # clearly below, not by a hair
            assert all(cell.collected < 0.7 * cell.minimum_sample for cell in row.cells)
    assert recap.pooled is not None and recap.pooled.mutu == "B"
    assert {row.mutu for row in recap.rows if row.mutu} >= {"A", "B", "C"}
    last_year = await year_recap(Actor.system(), hooks, 2025)
    assert not last_year.not_surveyed and not last_year.below_minimum

    unit_ids = {r["code"]: r["id"] for r in await Unit.select(Unit.id, Unit.code)}
    for code, unsur in WEAK.items():
        score = await score_scope(hooks, None, Scope.unit_year(unit_ids[code], 2026))
        assert score is not None
        weakest = min(score.unsur, key=lambda u: u.nrr or 0)
        assert weakest.code == unsur, code
        assert 2.3 <= weakest.nrr <= 2.7, (code, weakest.nrr)

    # Paper forms are keyed in by the operator only at the two puskesmas it is assigned to.
    operator = await User.select(User.id).where(User.username == "operator").first()
    keyed = await Response.raw(
        "SELECT u.code AS code, r.channel AS channel, r.entered_by AS entered_by, COUNT(*) AS n"
        " FROM survey_response r JOIN survey_cycle c ON c.id = r.cycle"
        " JOIN unit u ON u.id = c.unit GROUP BY u.code, r.channel, r.entered_by"
    )
    for row in keyed:
        expected = (
            operator["id"]
            if row["channel"] == "paper" and row["code"] in PAPER_OPERATOR_UNITS
            else None
        )
        assert row["entered_by"] == expected, row
    assert {row["channel"] for row in keyed} == {"online", "kiosk", "paper"}

    outside = await Response.raw(
        "SELECT COUNT(*) AS n FROM survey_response r JOIN survey_cycle c ON c.id = r.cycle"
        " WHERE r.filled_on < c.start_date OR r.filled_on > c.end_date OR r.filled_on > {}",
        TODAY,
    )
    assert outside[0]["n"] == 0

    # A sample of rows passes the same checks as answers typed in by staff.
    items = [UnsurItem(code=f"U{n}", name="", question="", labels=[]) for n in range(1, 10)]
    sample = await Response.select().order_by(Response.id).limit(400)
    for row in sample:
        answers = {f"U{n}": row[f"u{n}"] for n in range(1, 10)}
        assert not check_answers(items, answers, complete=row["channel"] != "paper")[1], row
        profile_keys = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
        profile = {key: row[key] for key in profile_keys}
        assert not check_profile(profile, required=row["channel"] != "paper")[1], row
        assert 17 <= (row["usia"] or 17) <= 75

    totals = await Response.raw(
        "SELECT COUNT(*) AS n, SUM(u3) AS u3, SUM(CASE WHEN saran <> '' THEN 1 ELSE 0 END) AS s,"
        " SUM(CASE WHEN u9 IS NULL THEN 1 ELSE 0 END) AS blank_u9 FROM survey_response"
    )
    assert 0.25 < totals[0]["s"] / totals[0]["n"] < 0.35
    assert totals[0]["blank_u9"] > 0
    summary = await demo.survey_summary()
    assert summary == demo.SurveySummary(
        units=len(all_units),
        cycles=EXPECTED_CYCLES,
        open_cycles=EXPECTED_OPEN,
        responses=EXPECTED_RESPONSES,
    )
    assert totals[0]["u3"] == EXPECTED_U3_SUM

    checked, broken = await verify()
    assert broken is None
    assert checked > 2 * EXPECTED_CYCLES


async def test_demo_is_all_or_nothing(db, hooks, monkeypatch):
    calls = 0
    real_close = demo_surveys.close_cycle

    async def failing_close(actor, hooks, cycle_id, reason=""):
        nonlocal calls
        calls += 1
        if calls == 5:
            raise RuntimeError("disk full")
        await real_close(actor, hooks, cycle_id, reason)

    monkeypatch.setattr(demo_surveys, "close_cycle", failing_close)
    with pytest.raises(RuntimeError, match="disk full"):
        await demo.seed_demo(hooks, today=TODAY)
    assert await demo.is_empty()
    assert await SurveyCycle.count() == 0 and await Response.count() == 0


async def test_seed_demo_refuses_a_database_with_data(db, hooks):
    await Unit.insert(Unit(code="X", name="Unit X", kind="opd"))
    with pytest.raises(RuntimeError, match="already has data"):
        await demo.seed_demo(hooks, today=TODAY)


async def test_demo_has_past_and_upcoming_forums(demo_regency):
    from core.forums import attendance as service_attendance
    from core.forums import service
    from core.forums.tables import Forum

    statuses = {row["status"] for row in await Forum.select(Forum.status)}
    assert statuses == {"minutes_published", "scheduled", "draft"}
    past = await Forum.select(Forum.id).where(Forum.status == "minutes_published").first()
    forum = await service.get_forum(Actor.system(), past["id"])
    assert forum.purpose == "tindak_lanjut_skm" and forum.cycle is not None
    assert len(forum.groups_attended) >= 4
    assert len(await service.list_agreements(Actor.system(), past["id"])) == 3

    # Plausible: every forum on an office day, check-ins during the forum's hours.
    for row in await Forum.select(Forum.start_at):
        assert is_office_day(row["start_at"].astimezone(JAKARTA).date()), row
    present = await service_attendance.list_attendance(Actor.system(), past["id"])
    assert present and all(forum.start <= a.checked_in_at <= forum.end for a in present)

    # Each cycle was opened on its first day and closed on an office day after its last.
    cycles = await SurveyCycle.select().where(SurveyCycle.status == "closed")
    assert cycles
    for cycle in cycles:
        assert cycle["opened_at"].astimezone(JAKARTA).date() == cycle["start_date"]
        closed_on = cycle["closed_at"].astimezone(JAKARTA).date()
        assert closed_on > cycle["end_date"] and is_office_day(closed_on)
    late = await Response.count().where(
        (Response.cycle.status == "closed") & (Response.created_at > Response.cycle.closed_at)
    )
    assert late == 0
