"""JSON API of reports: ask for a cycle's report, follow the job, download its files."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import File
from litestar.status_codes import HTTP_201_CREATED

from core.accounts.policy import Actor
from core.reports import review
from core.reports.artifacts import MEDIA_TYPES
from core.reports.cycle_report import request_cycle_report
from core.reports.exports import cycle_export
from core.reports.jobs import JobOut, artifact_file, get_job
from core.reports.publications import PublicationOut, list_publications
from core.reports.recap_report import request_recap_report
from core.reports.review import ReviewOut
from web.context import CurrentActor, signed_in, token_required
from web.reports.publication_input import PublicationOperation, publication_input


class JobAccepted(msgspec.Struct):
    """The job that will make (or already made) the documents."""

    job: int


@post(
    "/api/v1/cycles/{cycle_id:int}/report",
    status_code=202,
    guards=[token_required],
    tags=["reports"],
    operation_id="requestCycleReport",
)
async def request_report(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> JobAccepted:
    """Queue the Laporan Hasil SKM of a cycle (PDF and XLSX); unchanged data returns the same job."""
    state = request.app.state
    job = await request_cycle_report(signed_in(actor), state.settings, state.hooks, cycle_id)
    return JobAccepted(job=job)


class JobsApi(Controller):
    """Report jobs and their files."""

    path = "/api/v1/jobs"
    tags = ["reports"]
    guards = [token_required]

    @get("/{job_id:int}", operation_id="getJob")
    async def job(self, actor: CurrentActor, job_id: FromPath[int]) -> JobOut:
        """Status (queued, running, done, failed), the failure reason and the files with sha256."""
        return await get_job(signed_in(actor), job_id)

    @get("/{job_id:int}/files/{fmt:str}", operation_id="downloadJobFile")
    async def file(
        self, request: Request, actor: CurrentActor, job_id: FromPath[int], fmt: FromPath[str]
    ) -> File:
        """One file of the job (same bearer token)."""
        path, name = await artifact_file(signed_in(actor), request.app.state.settings, job_id, fmt)
        return File(path=path, filename=name, media_type=MEDIA_TYPES.get(fmt))


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the unit must revise."""

    note: str


class ReviewApi(Controller):
    """The report's review and the publication register of a cycle."""

    path = "/api/v1/cycles/{cycle_id:int}"
    tags = ["reports"]
    guards = [token_required]

    @get("/review", operation_id="getReportReview")
    async def review(self, actor: CurrentActor, cycle_id: FromPath[int]) -> ReviewOut:
        """Where the report is in its review (and what may happen next)."""
        return await review.review_of(signed_in(actor), cycle_id)

    @put("/report-texts", operation_id="saveReportTexts")
    async def texts(
        self, actor: CurrentActor, cycle_id: FromPath[int], data: JSONBody[review.ReportTextsIn]
    ) -> ReviewOut:
        """The unit's latar belakang, kesimpulan, rekomendasi and signature block."""
        await review.save_texts(signed_in(actor), cycle_id, data)
        return await review.review_of(signed_in(actor), cycle_id)

    @post("/submit-report", status_code=200, operation_id="submitReport")
    async def submit(self, actor: CurrentActor, cycle_id: FromPath[int]) -> ReviewOut:
        """The operator submits the closed cycle's report for review."""
        await review.submit_report(signed_in(actor), cycle_id)
        return await review.review_of(signed_in(actor), cycle_id)

    @post("/return", status_code=200, operation_id="returnReport")
    async def give_back(
        self, actor: CurrentActor, cycle_id: FromPath[int], data: JSONBody[NoteIn]
    ) -> ReviewOut:
        """The Bagian Organisasi returns the report with a note."""
        await review.return_report(signed_in(actor), cycle_id, data.note)
        return await review.review_of(signed_in(actor), cycle_id)

    @post("/finalise", status_code=200, operation_id="finaliseReport")
    async def finalise(self, actor: CurrentActor, cycle_id: FromPath[int]) -> ReviewOut:
        """The Bagian Organisasi finalises the report: closed → reported (needs a done report)."""
        await review.finalise_report(signed_in(actor), cycle_id)
        return await review.review_of(signed_in(actor), cycle_id)

    @get("/publications", operation_id="listPublications")
    async def publications(
        self, actor: CurrentActor, cycle_id: FromPath[int]
    ) -> list[PublicationOut]:
        """The publication register of the cycle."""
        return await list_publications(signed_in(actor), cycle_id)

    @post(
        "/publications",
        status_code=HTTP_201_CREATED,
        operation_id="recordPublication",
        operation_class=PublicationOperation,
    )
    async def publish(
        self, request: Request, actor: CurrentActor, cycle_id: FromPath[int]
    ) -> PublicationOut:
        """Record a publication: JSON ``{media, date, url}``, or multipart with the same fields and
        an uploaded ``photo`` (JPEG/PNG, ≤ 5 MB, stored by sha256); the first one makes the cycle
        published."""
        actor = signed_in(actor)
        data, photo = await publication_input(request)
        publication_id = await review.record_publication(
            actor, request.app.state.settings, cycle_id, data, photo
        )
        rows = await list_publications(actor, cycle_id)
        return next(p for p in rows if p.id == publication_id)


@get(
    "/api/v1/cycles/{cycle_id:int}/exports/{name:str}",
    guards=[token_required],
    tags=["reports"],
    operation_id="cycleExport",
)
async def cycle_export_api(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], name: FromPath[str]
) -> Response[bytes]:
    """jawaban.csv / jawaban.xlsx (raw responses, no source keys), hasil.csv / hasil.json."""
    return await export_response(request, signed_in(actor), cycle_id, name)


async def export_response(
    request: Request, actor: Actor, cycle_id: int, name: str
) -> Response[bytes]:
    """A per-cycle export as a download (shared by the API and the report page)."""
    state = request.app.state
    data, filename, fmt = await cycle_export(actor, state.settings, state.hooks, cycle_id, name)
    return Response(
        content=data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@post(
    "/api/v1/recap/report",
    status_code=202,
    guards=[token_required],
    tags=["reports"],
    operation_id="requestRecapReport",
)
async def request_recap(request: Request, actor: CurrentActor, year: FromQuery[int]) -> JobAccepted:
    """Queue the regency recap report of a year (PDF and XLSX)."""
    job = await request_recap_report(signed_in(actor), request.app.state.hooks, year)
    return JobAccepted(job=job)


ROUTES = [request_report, JobsApi, ReviewApi, cycle_export_api, request_recap]
