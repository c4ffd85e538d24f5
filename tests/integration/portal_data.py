"""Builders for the portal tests: units, cycles with answers, publication (through core.states)."""

from __future__ import annotations

from core.accounts.policy import Actor
from core.clock import utcnow
from core.db import atomic
from core.states import move
from core.surveys import cycles
from core.surveys.cycles import CYCLE_STATES
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.tables import CycleStatus, SurveyCycle

SYSTEM = Actor.system()
STANDARD = [f"U{n}" for n in range(1, 10)]
SECRET_SARAN = "Petugas Budi di loket dua selalu terlambat"


async def answered_cycle(
    hooks,
    unit: str,
    answers: list[int],
    *,
    period: str = "tw1",
    year: int = 2026,
    population: int | None = None,
    services: tuple[str, ...] = (),
) -> int:
    """An open cycle with one response per value in ``answers`` (every unsur gets that value)."""
    cycle_id = await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(
            unit=unit,
            period_type=period,
            year=year,
            population=population or len(answers),
            services=list(services),
        ),
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    for n, value in enumerate(answers):
        await enter_response(
            SYSTEM,
            cycle_id,
            ResponseIn(
                answers=dict.fromkeys(STANDARD, value),
                service=services[n % len(services)] if services else None,
                saran=SECRET_SARAN,
            ),
        )
    return cycle_id


async def close(hooks, cycle_id: int) -> None:
    """Close the cycle (with a reason, in case it is below its minimum)."""
    await cycles.close_cycle(SYSTEM, hooks, cycle_id, "ditutup untuk pengujian portal")


async def publish(hooks, cycle_id: int) -> None:
    """Close, report and publish a cycle."""
    await close(hooks, cycle_id)
    await report_and_publish(cycle_id)


async def report_and_publish(cycle_id: int) -> None:
    """Move a closed cycle to reported, then published, as the reports feature will (audited)."""
    for to in (CycleStatus.reported.value, CycleStatus.published.value):
        async with atomic():
            row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
            await move(
                CYCLE_STATES,
                SYSTEM,
                SurveyCycle,
                row,
                to,
                values={SurveyCycle.updated_at: utcnow()},
            )
