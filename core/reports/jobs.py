"""Report jobs: asked for through the outbox, rendered by a worker, idempotent on their inputs.

A request computes the fingerprint of everything the documents would show; a finished job with the
same fingerprint is returned instead of a new one. The worker claims the job inside the outbox
transaction and renders after that commits (a long render never holds the database's write lock);
files are written to temporary names and renamed, so a killed worker leaves no half file. While it
renders, the worker renews the job's lease; a job still "running" after its lease ran out lost its
worker, and the periodic relay queues it again by itself (``requeue_abandoned``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor, require
from core.clock import utcnow
from core.db import atomic, on_commit
from core.errors import NotFound
from core.hooks import Hooks
from core.jobs.lease import heartbeat, lease_end
from core.jobs.outbox import enqueue
from core.reports import artifacts
from core.reports.tables import JobStatus, ReportArtifact, ReportJob
from core.settings import Settings

log = logging.getLogger(__name__)

JOB_KIND = "report.render"
Renderer = Callable[
    [Settings, Hooks, dict[str, Any]], Awaitable[tuple[str, list[tuple[str, str, bytes]], str]]
]
"""Builds a job's files: returns (inputs hash, [(format, file name, bytes)], error or "")."""


class ArtifactOut(msgspec.Struct):
    """One file of a job, downloadable with the same credentials."""

    format: str
    url: str
    sha256: str
    bytes: int


class JobOut(msgspec.Struct):
    """A report job as the API shows it."""

    id: int
    kind: str
    cycle: int | None
    year: int | None
    status: str
    error: str | None
    inputs_hash: str
    requested_by: str | None
    created_at: datetime
    finished_at: datetime | None
    artifacts: list[ArtifactOut]


def _stale(row: dict[str, Any]) -> bool:
    """A running job whose worker stopped renewing its lease."""
    lease = row["lease_until"]
    return row["status"] == JobStatus.running.value and (lease is None or lease < utcnow())


async def requeue_abandoned() -> int:
    """Queue again every running job whose lease ran out (its worker was killed mid-render)."""
    abandoned = (ReportJob.status == JobStatus.running.value) & (
        ReportJob.lease_until.is_null() | (ReportJob.lease_until < utcnow())
    )
    if not await ReportJob.exists().where(abandoned):  # the usual case: no write transaction
        return 0
    async with atomic():
        rows = await ReportJob.select(ReportJob.id).where(abandoned)
        for row in rows:
            log.warning("report job %s lost its worker; queued again", row["id"])
            await ReportJob.update(
                {ReportJob.status: JobStatus.queued.value, ReportJob.lease_until: None}
            ).where(ReportJob.id == row["id"])
            await enqueue(JOB_KIND, {"job": row["id"]})
    return len(rows)


async def request_job(
    actor: Actor, kind: str, inputs_hash: str, *, cycle: int | None = None, year: int | None = None
) -> int:
    """The job for these inputs: an existing finished or running one, else a new queued one.

    A failed job, or one whose worker died, is queued again rather than duplicated.
    """
    async with atomic():
        where = (ReportJob.kind == kind) & (ReportJob.inputs_hash == inputs_hash)
        where &= ReportJob.cycle == cycle if cycle is not None else ReportJob.year == year
        existing = (
            await ReportJob.select().where(where).order_by(ReportJob.id, ascending=False).first()
        )
        if existing is not None and existing["status"] in {
            JobStatus.done.value,
            JobStatus.queued.value,
        }:
            return int(existing["id"])
        if (
            existing is not None
            and existing["status"] == JobStatus.running.value
            and not _stale(existing)
        ):
            return int(existing["id"])
        if existing is not None:  # failed, or its worker died mid-render: run it again
            await ReportJob.update(
                {ReportJob.status: JobStatus.queued.value, ReportJob.error: ""}
            ).where(ReportJob.id == existing["id"])
            job_id = int(existing["id"])
        else:
            rows = await ReportJob.insert(
                ReportJob(
                    kind=kind,
                    cycle=cycle,
                    year=year,
                    status=JobStatus.queued.value,
                    inputs_hash=inputs_hash,
                    requested_by=actor.user_id,
                    created_at=utcnow(),
                )
            ).returning(ReportJob.id)
            job_id = int(rows[0]["id"])
        await enqueue(JOB_KIND, {"job": job_id})
    return job_id


async def _artifacts(job_id: int) -> list[ArtifactOut]:
    rows = (
        await ReportArtifact.select()
        .where(ReportArtifact.job == job_id)
        .order_by(ReportArtifact.id)
    )
    return [
        ArtifactOut(
            format=r["format"],
            url=f"/api/v1/jobs/{job_id}/files/{r['format']}",
            sha256=r["sha256"],
            bytes=r["size"],
        )
        for r in rows
    ]


async def _job_row(actor: Actor, job_id: int) -> dict[str, Any]:
    from core.surveys.cycles import cycle_row

    row = (
        await ReportJob.select(
            ReportJob.all_columns(), ReportJob.requested_by.username.as_alias("who")
        )
        .where(ReportJob.id == job_id)
        .first()
    )
    if row is None:
        raise NotFound(f"Pekerjaan laporan {job_id} tidak ditemukan.")
    if row["cycle"] is not None:
        try:
            await cycle_row(actor, row["cycle"])
        except NotFound:
            raise NotFound(f"Pekerjaan laporan {job_id} tidak ditemukan.") from None
    else:
        require(actor, Action.view_recap)
    return row


async def get_job(actor: Actor, job_id: int) -> JobOut:
    """A job the actor may see, with its files."""
    row = await _job_row(actor, job_id)
    return JobOut(
        id=row["id"],
        kind=row["kind"],
        cycle=row["cycle"],
        year=row["year"],
        status=row["status"],
        error=row["error"] or None,
        inputs_hash=row["inputs_hash"],
        requested_by=row["who"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        artifacts=await _artifacts(row["id"]),
    )


async def cycle_jobs(actor: Actor, cycle_id: int, kind: str = "cycle") -> list[JobOut]:
    """A cycle's jobs of one kind (the SKM report's unless told), newest first (its history)."""
    from core.surveys.cycles import cycle_row

    await cycle_row(actor, cycle_id)
    ids = (
        await ReportJob.select(ReportJob.id)
        .where((ReportJob.cycle == cycle_id) & (ReportJob.kind == kind))
        .order_by(ReportJob.id, ascending=False)
    )
    return [await get_job(actor, r["id"]) for r in ids]


async def artifact_file(
    actor: Actor, settings: Settings, job_id: int, fmt: str
) -> tuple[Path, str]:
    """The stored file of a job in a format, and the name to download it as."""
    await _job_row(actor, job_id)
    row = (
        await ReportArtifact.select()
        .where((ReportArtifact.job == job_id) & (ReportArtifact.format == fmt))
        .first()
    )
    if row is None:
        raise NotFound(f"Berkas {fmt} pekerjaan laporan {job_id} tidak ada.")
    path = artifacts.resolve(settings.data_dir, row["path"])
    if not path.is_file():
        raise NotFound(f"Berkas {fmt} pekerjaan laporan {job_id} tidak ada.")
    return path, path.name


async def _finish(
    job_id: int, inputs_hash: str, written: list[artifacts.WrittenFile], error: str
) -> None:
    async with atomic():
        await ReportArtifact.delete().where(ReportArtifact.job == job_id)
        for file in written:
            await ReportArtifact.insert(
                ReportArtifact(
                    job=job_id,
                    format=file.format,
                    path=file.path,
                    sha256=file.sha256,
                    size=file.size,
                )
            )
        await ReportJob.update(
            {
                ReportJob.status: JobStatus.failed.value if error else JobStatus.done.value,
                ReportJob.error: error,
                ReportJob.inputs_hash: inputs_hash,
                ReportJob.finished_at: utcnow(),
            }
        ).where(ReportJob.id == job_id)


async def render_job(settings: Settings, hooks: Hooks, job_id: int, renderer: Renderer) -> None:
    """Build and store a claimed job's files, then mark it done (or failed with the reason).

    The job's lease is renewed meanwhile, so only a dead worker's job is taken over.
    """
    row = await ReportJob.select().where(ReportJob.id == job_id).first()
    if row is None:
        return
    artifacts.clear_partial(settings.data_dir, job_id)

    async def renew(until: datetime) -> None:
        await ReportJob.update({ReportJob.lease_until: until}).where(
            (ReportJob.id == job_id) & (ReportJob.status == JobStatus.running.value)
        )

    try:
        async with heartbeat(renew, _lease(settings)):
            inputs_hash, files, error = await renderer(settings, hooks, row)
            written = [
                artifacts.write_atomically(settings.data_dir, job_id, name, fmt, content)
                for fmt, name, content in files
            ]
    except Exception as exc:
        log.exception("report job %s failed", job_id)
        await _finish(job_id, row["inputs_hash"], [], f"{type(exc).__name__}: {exc}"[:2000])
        return
    await _finish(job_id, inputs_hash, written, error)


def _lease(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.job_lease_seconds)


def report_handlers(
    hooks: Hooks, settings: Settings | None, renderers: dict[str, Renderer]
) -> dict[str, Callable[[dict[str, Any]], Awaitable[None]]]:
    """The outbox handler of report jobs: claim in the outbox transaction, render after commit."""

    async def claim(payload: dict[str, Any]) -> None:
        current = settings or Settings.from_env()
        job_id = int(payload["job"])
        row = await ReportJob.select().where(ReportJob.id == job_id).first()
        if row is None or row["status"] == JobStatus.done.value:
            return
        if row["status"] == JobStatus.running.value and not _stale(row):
            return
        await ReportJob.update(
            {
                ReportJob.status: JobStatus.running.value,
                ReportJob.started_at: utcnow(),
                ReportJob.lease_until: lease_end(_lease(current)),
                ReportJob.attempts: row["attempts"] + 1,
            }
        ).where(ReportJob.id == job_id)
        renderer = renderers[row["kind"]]

        async def render() -> None:
            await render_job(current, hooks, job_id, renderer)

        on_commit(render)

    return {JOB_KIND: claim}
