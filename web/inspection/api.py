"""JSON API of the inspectorate: findings, integrity signals of a cycle, the compliance matrix."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.inspection import findings
from core.inspection.reads import get_finding, list_findings
from core.inspection.schemas import FindingIn, FindingOut, NoteIn
from core.inspection.signals import CycleSignals, cycle_signals, review_signal
from web.context import CurrentActor, signed_in, token_required


class FindingsApi(Controller):
    """Temuan: recorded by inspectors, answered by the unit, accepted, returned or closed."""

    path = "/api/v1/findings"
    tags = ["inspection"]
    guards = [token_required]

    @post("/", status_code=HTTP_201_CREATED, operation_id="createFinding")
    async def create(self, actor: CurrentActor, data: JSONBody[FindingIn]) -> FindingOut:
        """Record a finding against a unit (inspectors)."""
        actor = signed_in(actor)
        return await get_finding(actor, await findings.create_finding(actor, data))

    @get("/", operation_id="listFindings")
    async def index(
        self,
        actor: CurrentActor,
        unit: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
    ) -> list[FindingOut]:
        """Findings the caller may read, by unit code and status."""
        return await list_findings(signed_in(actor), unit or None, status or None)

    @get("/{finding_id:int}", operation_id="getFinding")
    async def detail(self, actor: CurrentActor, finding_id: FromPath[int]) -> FindingOut:
        """One finding with its thread."""
        return await get_finding(signed_in(actor), finding_id)

    @post("/{finding_id:int}/responses", status_code=HTTP_201_CREATED, operation_id="respond")
    async def respond(
        self,
        request: Request,
        actor: CurrentActor,
        finding_id: FromPath[int],
        data: JSONBody[NoteIn],
    ) -> FindingOut:
        """The unit's tanggapan (files are sent through the finding page)."""
        actor = signed_in(actor)
        data_dir = request.app.state.settings.data_dir
        await findings.respond(actor, finding_id, data.text, data_dir=data_dir)
        return await get_finding(actor, finding_id)

    @post("/{finding_id:int}/accept", status_code=HTTP_200_OK, operation_id="acceptFinding")
    async def accept(
        self, actor: CurrentActor, finding_id: FromPath[int], data: JSONBody[NoteIn | None] = None
    ) -> FindingOut:
        """Accept the tanggapan and close the finding (inspectors)."""
        actor = signed_in(actor)
        await findings.accept(actor, finding_id, data.text if data else "")
        return await get_finding(actor, finding_id)

    @post("/{finding_id:int}/return", status_code=HTTP_200_OK, operation_id="returnFinding")
    async def return_(
        self, actor: CurrentActor, finding_id: FromPath[int], data: JSONBody[NoteIn]
    ) -> FindingOut:
        """Return the tanggapan to the unit with a note (inspectors)."""
        actor = signed_in(actor)
        await findings.return_finding(actor, finding_id, data.text)
        return await get_finding(actor, finding_id)

    @post("/{finding_id:int}/close", status_code=HTTP_200_OK, operation_id="closeFinding")
    async def close(
        self, actor: CurrentActor, finding_id: FromPath[int], data: JSONBody[NoteIn]
    ) -> FindingOut:
        """Close a finding with the reason (inspectors)."""
        actor = signed_in(actor)
        await findings.close(actor, finding_id, data.text)
        return await get_finding(actor, finding_id)


class ReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    """An inspector's note on a reviewed signal."""

    note: str


@get("/api/v1/cycles/{cycle_id:int}/signals", guards=[token_required], tags=["inspection"])
async def signals(actor: CurrentActor, cycle_id: FromPath[int]) -> CycleSignals:
    """The integrity signals of a cycle (explained; nothing is deleted or blocked)."""
    return await cycle_signals(signed_in(actor), cycle_id)


@post(
    "/api/v1/cycles/{cycle_id:int}/signals/{code:str}/review",
    guards=[token_required],
    tags=["inspection"],
    status_code=HTTP_200_OK,
)
async def review(
    actor: CurrentActor, cycle_id: FromPath[int], code: FromPath[str], data: JSONBody[ReviewIn]
) -> CycleSignals:
    """Mark one signal of a cycle reviewed with a note (inspectors)."""
    actor = signed_in(actor)
    await review_signal(actor, cycle_id, code, data.note)
    return await cycle_signals(actor, cycle_id)


ROUTES = [FindingsApi, signals, review]
