"""Two years of demo SKM cycles: created, opened and closed through core.surveys.cycles, answers
drawn from one seeded generator and inserted in bulk."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Actor
from core.clock import frozen_at, utcnow
from core.demo.days import at, office_day
from core.demo.survey_plans import (
    BASE_MEANS,
    BATCH_SIZE,
    CHANNEL_MIX,
    DEMO_CLOSE_REASON,
    DEMO_SEED,
    PAPER_OPERATOR_UNITS,
    PEKERJAAN_LAIN,
    PEKERJAAN_WEIGHTS,
    PENDIDIKAN_WEIGHTS,
    PERIODS,
    RESPONSE_COLUMNS,
    SARAN_PENGADUAN,
    SARAN_UMUM,
    SARAN_WAKTU,
    SHARE_FEMALE,
    SURVEY_PLANS,
    SurveyPlan,
)
from core.hooks import Hooks
from core.settings import Settings
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.methods import default_method
from core.surveys.periods import period_dates
from core.surveys.profile import PEKERJAAN, PENDIDIKAN
from core.surveys.questionnaires import scoring_method
from core.surveys.schemas import CycleIn
from core.surveys.tables import Channel, CycleStatus, Response, SurveyCycle
from core.units.tables import Service, Unit


@dataclass
class _Draw:
    """Draws one demo unit's answers and respondents from the shared seeded generator."""

    rng: random.Random
    kind: str
    services: list[int]
    means: dict[str, float]
    operator_id: int | None
    tz: ZoneInfo
    now: datetime

    def answers(self, channel: str) -> dict[str, int | None]:
        person = self.rng.gauss(0, 0.28)  # one respondent's overall mood, shared by every unsur
        values: dict[str, int | None] = {}
        for code, mean in self.means.items():
            latent = mean + person + self.rng.gauss(0, 0.5)
            values[code] = min(4, max(1, int(latent + 0.5)))
        if channel == Channel.paper.value and self.rng.random() < 0.12:
            # Paper forms come back with the odd question skipped (most often fee and complaints).
            skipped = self.rng.choice(("U4", "U9", "U9", "U4", "U2", "U8", "U5"))
            values[skipped] = None
        return values

    def profile(self, channel: str) -> dict[str, Any]:
        rng = self.rng
        blank = channel == Channel.paper.value
        low, high, mode = (27, 60, 41) if self.kind == "sekolah" else (17, 75, 36)
        pekerjaan = rng.choices(PEKERJAAN, [PEKERJAAN_WEIGHTS[p] for p in PEKERJAAN])[0]
        profile = {
            "jenis_kelamin": "P" if rng.random() < SHARE_FEMALE.get(self.kind, 0.46) else "L",
            "usia": round(rng.triangular(low, high, mode)),
            "pendidikan": rng.choices(PENDIDIKAN, [PENDIDIKAN_WEIGHTS[p] for p in PENDIDIKAN])[0],
            "pekerjaan": pekerjaan,
            "pekerjaan_lain": rng.choice(PEKERJAAN_LAIN) if pekerjaan == "Lainnya" else "",
        }
        if blank and rng.random() < 0.05:
            profile["usia"] = None
        if blank and rng.random() < 0.03:
            profile["pendidikan"] = ""
        return profile

    def saran(self, values: dict[str, int | None]) -> str:
        rng = self.rng
        if rng.random() >= 0.30:
            return ""
        if (values["U3"] or 4) <= 2 and rng.random() < 0.7:
            return rng.choice(SARAN_WAKTU)
        if (values["U9"] or 4) <= 2 and rng.random() < 0.7:
            return rng.choice(SARAN_PENGADUAN)
        return rng.choice((*SARAN_UMUM, *SARAN_WAKTU[:1], *SARAN_PENGADUAN[:1]))

    def moment(self, channel: str, first: date, last: date) -> tuple[date, str]:
        """A day in the period (office days unless online) and a time of day."""
        rng = self.rng
        days = (last - first).days + 1
        for _ in range(10):
            day = first + timedelta(days=rng.randrange(days))
            if channel == Channel.online.value or day.weekday() < 5:
                break
        if channel == Channel.online.value:
            minutes = rng.randint(6 * 60, 22 * 60)
        else:
            minutes = rng.randint(7 * 60 + 30, 15 * 60 + 30)
        return day, f"{minutes // 60:02d}:{minutes % 60:02d}"

    def response(
        self, cycle: dict[str, Any], token: str, first: date, last: date
    ) -> tuple[Any, ...]:
        """One response as a row of RESPONSE_COLUMNS."""
        rng = self.rng
        mix = CHANNEL_MIX[self.kind]
        channel = rng.choices((Channel.online, Channel.kiosk, Channel.paper), mix)[0].value
        values = self.answers(channel)
        filled_on, filled_time = self.moment(channel, first, last)
        local = datetime.combine(filled_on, time.fromisoformat(filled_time), self.tz)
        created = local.astimezone(UTC)
        entered_by = None
        if channel == Channel.paper.value:
            created += timedelta(days=rng.randint(1, 6))  # keyed in some days later
            if rng.random() < 0.4:
                filled_time = ""  # the form's time box left empty
            entered_by = self.operator_id
        weights = [len(self.services) - i for i in range(len(self.services))]
        row = {
            "cycle": cycle["id"],
            "service": rng.choices(self.services, weights)[0],
            "questionnaire": cycle["questionnaire"],
            "channel": channel,
            "method": default_method(Channel(channel)).value,
            "entered_by": entered_by,
            "import_batch": None,
            "submission_token": token,
            "source_key": "",
            **{code.lower(): value for code, value in values.items()},
            **self.profile(channel),
            "filled_on": filled_on,
            "filled_time": filled_time,
            "saran": self.saran(values),
            "created_at": min(created, self.now),
            "voided_at": None,
            "voided_by": None,
            "void_reason": "",
            "superseded_by": None,
            "sealed": False,  # counted live until the beat (or a close) seals it
        }
        return tuple(row[column] for column in RESPONSE_COLUMNS)


async def _insert_responses(rows: list[tuple[Any, ...]]) -> None:
    """One multi-row INSERT (building Piccolo objects for tens of thousands of rows is slow)."""
    columns = ", ".join(f'"{column}"' for column in RESPONSE_COLUMNS)
    values = "(" + ", ".join("{}" for _ in RESPONSE_COLUMNS) + ")"
    await Response.raw(
        f"INSERT INTO survey_response ({columns}) VALUES {', '.join([values] * len(rows))}",
        *(value for row in rows for value in row),
    )


def _means(plan: SurveyPlan, past: bool) -> dict[str, float]:
    shift = plan.quality - (0.06 if past else 0.0)  # most units improved a little this year
    means = {code: mean + shift for code, mean in BASE_MEANS.items()}
    for code, target in plan.weak:
        means[code] = target - (0.10 if past else 0.0)
    return means


def _cycle_slots(plan: SurveyPlan, today: date) -> list[tuple[int, str, str]]:
    """(year, period type, status) of each cycle of the plan up to today."""
    slots: list[tuple[int, str, str]] = []
    for year, scheme in ((today.year - 1, plan.past), (today.year, plan.current)):
        if scheme is None:
            continue
        for period in PERIODS[scheme]:
            first, last = period_dates(period, year)
            if first > today:
                continue
            status = CycleStatus.open.value if last >= today else CycleStatus.closed.value
            slots.append((year, period, status))
    return slots


async def seed_surveys(hooks: Hooks, today: date, operator_id: int | None = None) -> int:
    """Two years of SKM cycles for the demo units; returns the number of responses stored.

    Cycles are created, opened and closed through core.surveys.cycles (so the audit log and
    events are the real ones); answers are drawn from one seeded generator and inserted in bulk.
    Call inside the atomic() block that created the units.
    """
    rng = random.Random(DEMO_SEED)
    system = Actor.system()
    method = scoring_method(hooks)
    tz = ZoneInfo(Settings.from_env().timezone)
    now = utcnow()
    units = await Unit.select(Unit.id, Unit.code, Unit.kind)
    kinds = {r["code"]: r["kind"] for r in units}
    unit_ids = {r["code"]: r["id"] for r in units}
    services: dict[int, list[tuple[int, str]]] = {}
    for row in await Service.select(Service.id, Service.unit, Service.code).order_by(Service.id):
        services.setdefault(row["unit"], []).append((row["id"], row["code"]))
    slots = sorted(
        (
            (period_dates(period, year)[0], plan_index, year, period, status)
            for plan_index, plan in enumerate(SURVEY_PLANS)
            for year, period, status in _cycle_slots(plan, today)
        ),
    )
    stored = 0
    for first, plan_index, year, period, status in slots:
        plan = SURVEY_PLANS[plan_index]
        kind = kinds[plan.unit]
        unit_services = services[unit_ids[plan.unit]]
        mix = CHANNEL_MIX[kind]
        channels = [
            c.value
            for c, share in zip((Channel.online, Channel.kiosk, Channel.paper), mix, strict=True)
            if share
        ]
        periods = len(PERIODS[plan.past if year < today.year else plan.current or "tahunan"])
        population = max(30, round(plan.recipients / periods * rng.uniform(0.85, 1.15)))
        opened = min(at(first, 7, 30, tz), now)
        closed = min(
            at(office_day(period_dates(period, year)[1] + timedelta(days=1)), 10, 0, tz), now
        )
        with frozen_at(min(opened - timedelta(days=7), now)):
            cycle_id = await create_cycle(
                system,
                hooks,
                CycleIn(
                    unit=plan.unit,
                    period_type=period,
                    population=population,
                    year=year,
                    services=[code for _, code in unit_services],
                    channels=channels,
                ),
            )
        with frozen_at(opened):
            await open_cycle(system, hooks, cycle_id)
        cycle = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
        minimum = method.minimum_sample(population)
        last = min(cycle["end_date"], today)
        if plan.under_sampled and year == today.year:
            count = round(minimum * rng.uniform(0.42, 0.62))
        else:
            count = max(minimum, round(minimum * plan.coverage * rng.uniform(0.97, 1.06)))
        if status == CycleStatus.open.value:
            # Collection still running: proportional to the time elapsed, full after 60 %.
            elapsed = ((last - first).days + 1) / ((cycle["end_date"] - first).days + 1)
            count = round(count * min(1.0, elapsed / 0.6))
        draw = _Draw(
            rng=rng,
            kind=kind,
            services=[service_id for service_id, _ in unit_services],
            means=_means(plan, past=year < today.year),
            operator_id=operator_id if plan.unit in PAPER_OPERATOR_UNITS else None,
            tz=tz,
            now=closed if status == CycleStatus.closed.value else now,
        )
        rows = [
            draw.response(
                cycle, f"demo-{plan.unit.lower()}-{year}-{period}-{number:04d}", first, last
            )
            for number in range(1, count + 1)
        ]
        for start in range(0, len(rows), BATCH_SIZE):
            await _insert_responses(rows[start : start + BATCH_SIZE])
        stored += len(rows)
        if status == CycleStatus.closed.value:
            reason = DEMO_CLOSE_REASON if count < minimum else ""
            with frozen_at(closed):
                await close_cycle(system, hooks, cycle_id, reason)
    return stored


@dataclass(frozen=True)
class SurveySummary:
    """What the survey part of the demo holds."""

    units: int
    cycles: int
    open_cycles: int
    responses: int


async def survey_summary() -> SurveySummary:
    """Count the cycles and responses in the database (for the ``suara demo`` message)."""
    rows = await SurveyCycle.raw(
        "SELECT COUNT(DISTINCT unit) AS units, COUNT(*) AS cycles,"
        " SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_cycles FROM survey_cycle"
    )
    return SurveySummary(
        units=int(rows[0]["units"] or 0),
        cycles=int(rows[0]["cycles"] or 0),
        open_cycles=int(rows[0]["open_cycles"] or 0),
        responses=await Response.count(),
    )
