"""JSON API of reports: ask for a cycle's report, follow the job, download its files."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import File

from core.reports.artifacts import MEDIA_TYPES
from core.reports.cycle_report import request_cycle_report
from core.reports.jobs import JobOut, artifact_file, get_job
from web.context import CurrentActor, signed_in
from web.controllers.api import token_required


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


ROUTES = [request_report, JobsApi]
