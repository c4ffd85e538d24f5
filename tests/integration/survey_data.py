"""Builders for the staff SKM page tests: units with services and staff, cycles through the core,
answers, and exact readers of the rendered figures."""

from __future__ import annotations

import html
import math
import re
from fractions import Fraction

from core.accounts.policy import Actor
from core.surveys import cycles, responses
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.tables import Channel
from tests.factories import make_unit, make_user

STANDARD = [f"U{n}" for n in range(1, 10)]
SYSTEM = Actor.system()


async def survey_world() -> dict[str, Actor]:
    """PKM-A (services UMUM, KIA) and PKM-B (UMUM); an operator of PKM-A, an admin, an inspector."""
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_unit("PKM-B", "puskesmas", services=("UMUM",))
    return {
        "opr": await make_user("opr", "operator", ("PKM-A",)),
        "adm": await make_user("adm", "admin"),
        "insp": await make_user("insp", "inspector"),
    }


async def draft_cycle(
    hooks, unit: str = "PKM-A", period: str = "tw1", population: int = 100
) -> int:
    """A draft cycle made through the core (the form has its own tests)."""
    return await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(
            unit=unit,
            period_type=period,
            year=2026,
            population=population,
            services=["UMUM", "KIA"] if unit == "PKM-A" else ["UMUM"],
        ),
    )


async def opened_cycle(hooks, unit: str = "PKM-A", **kwargs) -> int:
    """An open cycle made through the core."""
    cycle_id = await draft_cycle(hooks, unit, **kwargs)
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


async def answer(cycle_id: int, answers: dict, service: str = "UMUM", **extra) -> None:
    """One paper response, entered as the system."""
    await responses.enter_response(
        SYSTEM,
        cycle_id,
        ResponseIn(answers=answers, service=service, **extra),
        Channel.paper,
    )


def visible_text(page: str) -> str:
    """The page's visible text, tags removed and whitespace squeezed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def half_up(value: Fraction, places: int = 2) -> str:
    """Exact half-up rounding of a fraction, written with a decimal comma."""
    scaled = math.floor(value * 10**places + Fraction(1, 2))
    whole, part = divmod(scaled, 10**places)
    return f"{whole},{part:0{places}d}"
