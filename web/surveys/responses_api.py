"""JSON API for a cycle's responses: list, one with its versions, void, correct."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.errors import ValidationFailed
from core.surveys.corrections import CorrectionIn, VoidIn, correct_response, void_response
from core.surveys.response_list import (
    STATUS_LABELS,
    ResponseFilter,
    ResponsePage,
    ResponseRow,
    cycle_of_response,
    list_responses,
    response_versions,
)
from core.surveys.schemas import ResponseOut
from web.context import CurrentActor, signed_in, token_required


class ResponsesApi(Controller):
    """Reviewing the responses of a cycle the caller may see."""

    path = "/api/v1/responses"
    tags = ["surveys"]
    guards = [token_required]

    @get("/", operation_id="listResponses")
    async def list(
        self,
        request: Request,
        actor: CurrentActor,
        cycle: FromQuery[int],
        channel: FromQuery[str | None] = None,
        entered_by: FromQuery[int | None] = None,
        entered_from: FromQuery[date | None] = None,
        entered_to: FromQuery[date | None] = None,
        status: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
    ) -> ResponsePage:
        """A cycle's responses, newest first, 50 a page.

        Days are local days of entry; status is counted, voided or superseded.
        """
        if status and status not in STATUS_LABELS:
            raise ValidationFailed.single("status", f"pilihan: {', '.join(STATUS_LABELS)}")
        filters = ResponseFilter(channel, entered_by, entered_from, entered_to, status, page)
        timezone = request.app.state.settings.timezone
        return await list_responses(signed_in(actor), timezone, cycle, filters)

    @get("/{response_id:int}", operation_id="getResponse")
    async def versions(self, actor: CurrentActor, response_id: FromPath[int]) -> list[ResponseRow]:
        """The response and every version of it, newest first."""
        actor = signed_in(actor)
        cycle_id = await cycle_of_response(response_id)
        return await response_versions(actor, cycle_id, response_id)

    @post("/{response_id:int}/void", status_code=200, operation_id="voidResponse")
    async def void(
        self,
        actor: CurrentActor,
        response_id: FromPath[int],
        data: JSONBody[VoidIn],
    ) -> list[ResponseRow]:
        """Void with a reason (kept, excluded from every score and count, audited)."""
        actor = signed_in(actor)
        cycle_id = await cycle_of_response(response_id)
        await void_response(actor, cycle_id, response_id, data)
        return await response_versions(actor, cycle_id, response_id)

    @post(
        "/{response_id:int}/correction",
        status_code=HTTP_201_CREATED,
        operation_id="correctResponse",
    )
    async def correct(
        self,
        actor: CurrentActor,
        response_id: FromPath[int],
        data: JSONBody[CorrectionIn],
    ) -> ResponseOut:
        """Store a corrected version of a keyed or imported response; the earlier one is kept."""
        actor = signed_in(actor)
        cycle_id = await cycle_of_response(response_id)
        return await correct_response(actor, cycle_id, response_id, data)


ROUTES = [ResponsesApi]
