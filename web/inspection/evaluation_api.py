"""JSON API of the evaluation: a unit's year (scores, review states, slots), the inspector's
verdict, and the administrator's window."""

from __future__ import annotations

import msgspec
from litestar import Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.inspection.dossier import dossier
from core.inspection.review import (
    IndicatorState,
    ReviewIn,
    ReviewOut,
    review_indicator,
    review_states,
)
from core.inspection.schemas import Cell
from core.inspection.slots import SlotView
from core.inspection.windows import WindowIn, WindowOut, get_window, save_window, unit_id_of
from web.context import CurrentActor, signed_in, token_required
from web.inspection.compliance import parse_year


class UnitEvaluation(msgspec.Struct):
    """A unit's evaluation year."""

    unit: str
    year: int
    submitted: bool
    window: WindowOut | None
    indicators: dict[str, Cell]
    reviews: dict[str, IndicatorState]
    slots: list[SlotView]


@get(
    "/api/v1/units/{code:str}/evaluation",
    guards=[token_required],
    tags=["inspection"],
    operation_id="getUnitEvaluation",
)
async def unit_evaluation_api(
    request: Request, actor: CurrentActor, code: FromPath[str], year: FromQuery[str | None] = None
) -> UnitEvaluation:
    """Scores with their evidence, each indicator's review state and the evidence slots."""
    actor = signed_in(actor)
    chosen = parse_year(year)
    found = await dossier(
        actor, request.app.state.hooks, code, chosen, request.app.state.settings.timezone
    )
    files = [f for slot in found.slots for f in slot.files]
    states = await review_states(found.row, await unit_id_of(code), chosen, files)
    return UnitEvaluation(
        unit=code,
        year=chosen,
        submitted=found.row.submitted,
        window=await get_window(chosen),
        indicators=found.row.indicators,
        reviews=states,
        slots=found.slots,
    )


@post(
    "/api/v1/units/{code:str}/reviews",
    guards=[token_required],
    tags=["inspection"],
    status_code=HTTP_201_CREATED,
    operation_id="reviewIndicator",
)
async def review_api(
    request: Request, actor: CurrentActor, code: FromPath[str], data: JSONBody[ReviewIn]
) -> ReviewOut:
    """An inspector's verdict on one indicator of the unit's year, with a note."""
    return await review_indicator(
        signed_in(actor), request.app.state.hooks, code, data, request.app.state.settings.timezone
    )


@put(
    "/api/v1/evaluations/{year:int}",
    guards=[token_required],
    tags=["inspection"],
    operation_id="saveEvaluationWindow",
)
async def window_api(
    actor: CurrentActor, year: FromPath[int], data: JSONBody[WindowIn]
) -> WindowOut:
    """Set the evaluation year's dates (administrators)."""
    return await save_window(signed_in(actor), year, data)


ROUTES = [unit_evaluation_api, review_api, window_api]
