"""JSON API of the saran a unit picks for the public: list them with the published text, replace
the selection (a published cycle's public report is then made again)."""

from __future__ import annotations

import msgspec
from litestar import Request, get, put
from litestar.params import FromPath, JSONBody

from core.reports.public_report import curate_saran
from core.reports.saran_picks import SaranCandidate, SaranPick, candidates
from web.context import CurrentActor, signed_in, token_required

PATH = "/api/v1/cycles/{cycle_id:int}/published-saran"


class PicksIn(msgspec.Struct, forbid_unknown_fields=True):
    """The whole selection: each saran to publish with the text to show."""

    picks: list[SaranPick]


class PicksSaved(msgspec.Struct):
    """How many saran the selection now holds."""

    count: int


@get(PATH, guards=[token_required], tags=["reports"], operation_id="listPublishedSaran")
async def list_saran(actor: CurrentActor, cycle_id: FromPath[int]) -> list[SaranCandidate]:
    """Every counted saran of the cycle; ``published`` is the text shown, or null if not picked."""
    return await candidates(signed_in(actor), cycle_id)


@put(PATH, guards=[token_required], tags=["reports"], operation_id="savePublishedSaran")
async def save_saran(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], data: JSONBody[PicksIn]
) -> PicksSaved:
    """Replace the selection; errors name ``picks[i].response`` / ``picks[i].text``."""
    state = request.app.state
    count = await curate_saran(signed_in(actor), state.settings, state.hooks, cycle_id, data.picks)
    return PicksSaved(count=count)


ROUTES = [list_saran, save_saran]
