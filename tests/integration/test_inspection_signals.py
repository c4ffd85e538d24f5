"""Integrity signals of a cycle: each counted with its threshold and a sample, the ones Suara
cannot compute saying what is missing, reviews logged; nothing is deleted or blocked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.accounts.policy import Actor
from core.clock import frozen_at
from core.surveys.cycles import create_cycle, open_cycle
from core.surveys.kiosks import enrol_device
from core.surveys.public import open_survey
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.submission import submit_public
from core.surveys.tables import Response, SurveyCycle
from tests.conftest import bearer, csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

PROFILE = {"jenis_kelamin": "P", "usia": 34, "pendidikan": "SMA", "pekerjaan": "Swasta"}
START = datetime(2026, 2, 3, 2, 0, tzinfo=UTC)  # 09.00 WIB


async def _cycle(hooks) -> int:
    await make_unit("PKM-S", "puskesmas")
    cycle_id = await create_cycle(
        Actor.system(), hooks, CycleIn(unit="PKM-S", period_type="tw1", year=2026, population=80)
    )
    await open_cycle(Actor.system(), hooks, cycle_id)
    return cycle_id


def _answers(value: int, varied: bool = False) -> dict[str, int]:
    return {f"U{n}": (value if not varied or n % 2 else 2) for n in range(1, 10)}


async def _kiosk(settings, hooks, cycle_id: int, at: datetime, answers: dict, profile=PROFILE):
    row = (
        await SurveyCycle.select(SurveyCycle.unit.code.as_alias("unit"))
        .where(SurveyCycle.id == cycle_id)
        .first()
    )
    kiosk = await enrol_device(Actor.system(), row["unit"], "Loket")  # one device per answer
    survey = await open_survey(kiosk.token, kiosk=True)
    with frozen_at(at):
        data = ResponseIn(answers=answers, profile=profile)
        await submit_public(settings, survey, data, source="")


@pytest.fixture
async def cycle(db, settings, hooks) -> int:
    cycle_id = await _cycle(hooks)
    # Twelve kiosk answers within six minutes: a burst, two identical pattern (all 4) repeats.
    for n in range(12):
        profile = {**PROFILE, "usia": 20 + n} if n >= 2 else PROFILE
        answers = _answers(4) if n < 2 else _answers(3, varied=True)
        await _kiosk(settings, hooks, cycle_id, START + timedelta(seconds=30 * n), answers, profile)
    # Three paper questionnaires keyed in by staff, spread over the day.
    for n in range(3):
        data = ResponseIn(answers=_answers(3, varied=True), profile={**PROFILE, "usia": 60 + n})
        with frozen_at(START + timedelta(hours=n + 2)):
            await enter_response(Actor.system(), cycle_id, data)
    return cycle_id


async def test_signals_are_counted_and_explained(client, cycle):
    await make_user("inspektur", "inspector")
    headers = await bearer(client, "inspektur")
    response = await client.get(f"/api/v1/cycles/{cycle}/signals", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["respondents"] == 15
    signals = {s["code"]: s for s in body["signals"]}
    assert list(signals) == [
        "channels",
        "bursts",
        "identical",
        "service_hours",
        "completion_time",
        "repeats",
    ]
    channels = signals["channels"]
    assert channels["status"] == "clear" and channels["count"] == 3
    assert channels["details"]["per_channel"]["kiosk"]["count"] == 12
    assert channels["details"]["staff_share"] == pytest.approx(0.2)
    assert signals["bursts"]["status"] == "flagged" and signals["bursts"]["count"] == 12
    assert len(signals["bursts"]["sample"]) == 10 and "10 menit" in signals["bursts"]["threshold"]
    identical = signals["identical"]
    assert identical["status"] == "flagged" and identical["count"] == 2  # 2 of 15 > 10 %
    repeats = signals["repeats"]
    assert repeats["status"] == "flagged" and repeats["count"] == 1
    assert repeats["sample"] == identical["sample"][1:]
    for code in ("service_hours", "completion_time"):
        assert signals[code]["status"] == "unavailable" and signals[code]["explanation"]
    # Never deleting: every response is still there.
    assert await Response.count().where(Response.cycle == cycle) == 15


async def test_review_is_for_inspectors_and_logged(client, cycle):
    await make_user("inspektur", "inspector")
    await make_user("op-s", "operator", ("PKM-S",))
    await make_unit("PKM-X", "puskesmas")
    await make_user("op-x", "operator", ("PKM-X",))
    unit = await bearer(client, "op-s")
    outsider = await bearer(client, "op-x")
    inspector = await bearer(client, "inspektur")
    assert (await client.get(f"/api/v1/cycles/{cycle}/signals", headers=unit)).status_code == 200
    assert (
        await client.get(f"/api/v1/cycles/{cycle}/signals", headers=outsider)
    ).status_code == 404
    path = f"/api/v1/cycles/{cycle}/signals/bursts/review"
    note = {"note": "Dicek dengan petugas loket: antrean pagi memang padat."}
    assert (await client.post(path, json=note, headers=unit)).status_code == 403
    short = await client.post(path, json={"note": "ok"}, headers=inspector)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "note"
    unknown = await client.post(
        f"/api/v1/cycles/{cycle}/signals/nope/review", json=note, headers=inspector
    )
    assert unknown.status_code == 422
    response = await client.post(path, json=note, headers=inspector)
    assert response.status_code == 200, response.text
    bursts = next(s for s in response.json()["signals"] if s["code"] == "bursts")
    assert bursts["reviews"][0]["note"] == note["note"]
    assert bursts["reviews"][0]["reviewed_by"] == "inspektur"

    await login(client, "inspektur", PASSWORD)
    page = await client.get(f"/sinyal/{cycle}")
    assert page.status_code == 200
    assert "antrean pagi memang padat" in page.text and "jam layanan" in page.text
    token = await csrf_token(client, f"/sinyal/{cycle}")
    bad = await client.post(f"/sinyal/{cycle}/identical", data={"note": "", "_csrf_token": token})
    assert bad.status_code == 422 and "minimal 10 karakter" in bad.text
