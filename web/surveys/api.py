"""JSON API for survey cycles, staff responses, scores, the yearly recap and unit questionnaires."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.errors import ValidationFailed
from core.surveys import cycles, importer, recap, responses
from core.surveys.cycle_scores import cycle_score
from core.surveys.methods import STAFF_METHODS, method_choices, parse_method
from core.surveys.questionnaires import current_items, save_questionnaire
from core.surveys.schemas import (
    CloseIn,
    CycleIn,
    CycleOut,
    ReopenIn,
    ResponseOut,
    StaffResponseIn,
    UnsurItem,
)
from core.units.service import unit_by_code
from web.context import CurrentActor, signed_in, token_required
from web.surveys.common import deps


class ImportResult(msgspec.Struct):
    """Rows imported, or every problem by row and column (then nothing was imported)."""

    imported: int
    errors: list[dict[str, Any]]


class CyclesApi(Controller):
    """Survey cycles of the units the caller may see."""

    path = "/api/v1/cycles"
    tags = ["surveys"]
    guards = [token_required]

    @post("/", status_code=HTTP_201_CREATED, operation_id="createCycle")
    async def create_cycle(
        self, request: Request, actor: CurrentActor, data: JSONBody[CycleIn]
    ) -> CycleOut:
        """Create a draft cycle (unit, period_type, start_date, end_date, population, services)."""
        settings, hooks = deps(request)
        actor = signed_in(actor)
        cycle_id = await cycles.create_cycle(actor, hooks, data)
        return await cycles.get_cycle(actor, settings, hooks, cycle_id)

    @get("/", operation_id="listCycles")
    async def list_cycles(
        self,
        request: Request,
        actor: CurrentActor,
        unit: FromQuery[str | None] = None,
        year: FromQuery[int | None] = None,
    ) -> list[CycleOut]:
        """Cycles, optionally of one unit and/or year."""
        settings, hooks = deps(request)
        return await cycles.list_cycles(signed_in(actor), settings, hooks, unit=unit, year=year)

    @get("/{cycle_id:int}", operation_id="getCycle")
    async def get_cycle(
        self, request: Request, actor: CurrentActor, cycle_id: FromPath[int]
    ) -> CycleOut:
        """A cycle with its minimum sample and collected counts (overall and per service)."""
        settings, hooks = deps(request)
        return await cycles.get_cycle(signed_in(actor), settings, hooks, cycle_id)

    @post("/{cycle_id:int}/open", status_code=200, operation_id="openCycle")
    async def open_cycle(
        self, request: Request, actor: CurrentActor, cycle_id: FromPath[int]
    ) -> CycleOut:
        """Open for answers; the answer carries the public link and its token."""
        settings, hooks = deps(request)
        actor = signed_in(actor)
        await cycles.open_cycle(actor, hooks, cycle_id)
        return await cycles.get_cycle(actor, settings, hooks, cycle_id)

    @post("/{cycle_id:int}/close", status_code=200, operation_id="closeCycle")
    async def close_cycle(
        self,
        request: Request,
        actor: CurrentActor,
        cycle_id: FromPath[int],
        data: JSONBody[CloseIn | None] = None,
    ) -> CycleOut:
        """Stop accepting answers; below the minimum sample the body must give a reason."""
        settings, hooks = deps(request)
        actor = signed_in(actor)
        await cycles.close_cycle(actor, hooks, cycle_id, data.reason if data else "")
        return await cycles.get_cycle(actor, settings, hooks, cycle_id)

    @post("/{cycle_id:int}/reopen", status_code=200, operation_id="reopenCycle")
    async def reopen_cycle(
        self,
        request: Request,
        actor: CurrentActor,
        cycle_id: FromPath[int],
        data: JSONBody[ReopenIn],
    ) -> CycleOut:
        """Reopen a closed cycle (admin, with a reason)."""
        settings, hooks = deps(request)
        actor = signed_in(actor)
        await cycles.reopen_cycle(actor, cycle_id, data.reason)
        return await cycles.get_cycle(actor, settings, hooks, cycle_id)

    @get("/{cycle_id:int}/score", operation_id="getCycleScore")
    async def score(
        self, request: Request, actor: CurrentActor, cycle_id: FromPath[int]
    ) -> dict[str, Any]:
        """The index of the cycle, of each service and of each respondent group."""
        settings, hooks = deps(request)
        return await cycle_score(signed_in(actor), settings, hooks, cycle_id)

    @post("/{cycle_id:int}/responses", status_code=HTTP_201_CREATED, operation_id="enterResponse")
    async def enter(
        self,
        actor: CurrentActor,
        cycle_id: FromPath[int],
        data: JSONBody[StaffResponseIn],
        channel: FromQuery[str] = "paper",
    ) -> ResponseOut:
        """Staff entry of a paper or interview questionnaire (blanks allowed), with its method and time."""
        try:
            chosen = responses.Channel(channel)
        except ValueError as exc:
            raise ValidationFailed.single("channel", "pilihan: paper, interview") from exc
        method = parse_method(data.method) if data.method else None
        if data.method and method is None:
            raise ValidationFailed.single("method", f"pilihan: {method_choices(STAFF_METHODS)}")
        return await responses.enter_response(
            signed_in(actor),
            cycle_id,
            data,
            chosen,
            filled_on=data.filled_on,
            filled_time=data.filled_time,
            method=method,
        )

    @post("/{cycle_id:int}/imports", status_code=200, operation_id="importResponses")
    async def import_file(
        self,
        actor: CurrentActor,
        cycle_id: FromPath[int],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportResult:
        """Import a CSV/XLSX of questionnaires: all rows, or none and 422 naming every bad row."""
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed.single("file", "kirim berkas pada isian 'file'")
        imported, errors = await importer.import_responses(
            signed_in(actor), cycle_id, await upload.read(), upload.filename or "upload.csv"
        )
        if errors:
            raise ValidationFailed(errors, "Tidak ada baris yang diimpor; perbaiki baris berikut.")
        return ImportResult(imported=imported, errors=[e.as_dict() for e in errors])


@get("/api/v1/recap", tags=["surveys"], operation_id="getRecap")
async def recap_year(
    request: Request, actor: CurrentActor, year: FromQuery[int], kind: FromQuery[str | None] = None
) -> dict[str, Any]:
    """Every unit's cycles and index in a year; units without SKM or below the minimum."""
    _, hooks = deps(request)
    result = await recap.year_recap(signed_in(actor), hooks, year, kind)
    return {
        "year": result.year,
        "method": result.method,
        "provisional": result.provisional,
        "regency": {
            "pooled": result.pooled,
            "pooled_final": result.pooled_final,
            "mean_of_units": result.mean_of_units,
            "mean_final": result.mean_final,
            "basis": recap.STANDARD_ONLY_NOTE,
            "other_method_cycles": result.other_method_cycles,
        },
        "units": [
            {
                "code": row.code,
                "name": row.name,
                "kind": row.kind,
                "respondents": row.collected,
                "konversi": row.konversi,
                "mutu": row.mutu,
                "score": row.score,
                "final": row.final,
                "provisional": row.provisional,
                "surveyed": row.surveyed,
                "below_minimum": row.below_minimum,
                "cycles": [
                    {
                        "id": c.cycle_id,
                        "period_type": c.period_type,
                        "status": c.status,
                        "collected": c.collected,
                        "minimum_sample": c.minimum_sample,
                        "konversi": c.konversi,
                        "mutu": c.mutu,
                        "withheld": c.withheld,
                        "provisional": c.provisional,
                    }
                    for c in row.cells
                ],
            }
            for row in result.rows
        ],
        "not_surveyed": [row.code for row in result.not_surveyed],
        "below_minimum": [row.code for row in result.below_minimum],
    }


@get("/api/v1/export-formats", tags=["surveys"], operation_id="listExportFormats")
async def export_formats(request: Request, actor: CurrentActor) -> list[dict[str, str]]:
    """The registered export formats: ``table`` ones for the recap (/rekap/ekspor/{code}),
    ``sippn`` ones for /api/v1/exports/sippn."""
    signed_in(actor)
    return [
        {
            "code": f.code,
            "label": f.label,
            "media_type": f.media_type,
            "extension": f.extension,
            "dataset_kind": f.dataset_kind,
        }
        for f in request.app.state.hooks.export_formats().values()
    ]


@get(
    "/api/v1/units/{code:str}/questionnaire",
    tags=["surveys"],
    guards=[token_required],
    operation_id="getQuestionnaire",
)
async def get_questionnaire(
    request: Request, actor: CurrentActor, code: FromPath[str]
) -> list[UnsurItem]:
    """The questions a new cycle of this unit would ask (its latest version, else the standard)."""
    _, hooks = deps(request)
    unit = await unit_by_code(signed_in(actor), code)
    return await current_items(hooks, unit.id)


@put(
    "/api/v1/units/{code:str}/questionnaire",
    tags=["surveys"],
    guards=[token_required],
    operation_id="saveQuestionnaire",
)
async def put_questionnaire(
    request: Request, actor: CurrentActor, code: FromPath[str], data: JSONBody[list[UnsurItem]]
) -> list[UnsurItem]:
    """Store a new version: U1..U9 reworded as the unit needs, plus its own U10…U20.

    Cycles already open keep the version they opened with.
    """
    _, hooks = deps(request)
    actor = signed_in(actor)
    await save_questionnaire(actor, hooks, code, data)
    return await current_items(hooks, (await unit_by_code(actor, code)).id)


ROUTES = [CyclesApi, recap_year, export_formats, get_questionnaire, put_questionnaire]
