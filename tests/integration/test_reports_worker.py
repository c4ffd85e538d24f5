"""A real worker killed in the middle of a report leaves no half file, its children die with it,
and the job runs again by itself once the worker is back (exactly one file per format)."""

from __future__ import annotations

import os
import shutil
import signal
import time

import anyio
import pytest

from core import pdf
from core.clock import utcnow
from core.reports.artifacts import job_dir
from core.reports.tables import ReportArtifact, ReportJob
from core.surveys.tables import Response, SurveyCycle
from tests.integration.test_reports import answer, open_cycle, setup
from tests.integration.test_worker import start_worker, stop_worker

__all__ = ["setup"]  # the shared fixture
RESPONSES = 300  # enough that rendering the PDF takes several seconds
LEASE_SECONDS = 3  # the worker's lease on a running job: a dead worker's job is free after it
RENDER_SECONDS = (
    300  # a loaded two-core machine renders slowly; the wait ends as soon as it is done
)


async def wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + RENDER_SECONDS
    while time.monotonic() < deadline:
        if await predicate():
            return
        await anyio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def _bulk_answers(cycle_id: int) -> None:
    cycle = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    now = utcnow()
    rows = [
        Response(
            cycle=cycle_id,
            questionnaire=cycle["questionnaire"],
            channel="paper",
            submission_token=f"bulk-{i}",
            created_at=now,
            jenis_kelamin="LP"[i % 2],
            **{f"u{n}": 1 + (i * n) % 4 for n in range(1, 10)},
        )
        for i in range(RESPONSES)
    ]
    for start in range(0, len(rows), 500):
        await Response.insert(*rows[start : start + 500])


async def _job(job_id: int) -> dict:
    return await ReportJob.select().where(ReportJob.id == job_id).first()


async def test_killed_worker_leaves_no_half_file_and_the_job_reruns_by_itself(
    client, setup, settings, tmp_path
):
    if not pdf.pdf_available():
        pytest.skip("WeasyPrint (and Pango) not installed: the PDF render is what gets killed")
    for leftover in (settings.broker_dir / "queue").glob("*"):
        leftover.unlink()
    # SQLite reuses the ids of deleted rows: files an earlier test's job 1 left are not this job's
    shutil.rmtree(settings.data_dir / "reports", ignore_errors=True)
    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 1)
    await _bulk_answers(cycle["id"])
    env = {"SUARA_JOB_LEASE_SECONDS": str(LEASE_SECONDS)}

    worker = start_worker(env, beat=True, log=tmp_path / "worker.log")
    try:
        job_id = (
            await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
        ).json()["job"]

        async def running() -> bool:
            return (await _job(job_id))["status"] == "running"

        await wait_for(running, "the worker to start rendering")
        children = _children_of(worker.pid)  # the pool child that renders, and the beat
        assert len(children) >= 2
        os.kill(worker.pid, signal.SIGKILL)  # the worker only: its children must follow it
        worker.wait(timeout=10)

        async def orphans_gone() -> bool:
            return not any(_alive(pid) for pid in children)

        await wait_for(orphans_gone, "the pool child and the beat to die with their worker")
    finally:
        stop_worker(worker) if worker.poll() is None else None

    folder = job_dir(settings.data_dir, job_id)
    finished = (
        [p for p in folder.glob("*") if not p.name.endswith(".part")] if folder.exists() else []
    )
    for path in finished:  # whatever carries a final name is whole; temporary files are not results
        assert _complete(path), f"{path.name} is a half-written file"
    status = (await client.get(f"/api/v1/jobs/{job_id}", headers=headers)).json()
    assert status["status"] == "running" and status["artifacts"] == []

    # Nobody asks again: the restarted worker's relay finds the lease run out and reruns the job.
    worker = start_worker(env, beat=True, log=tmp_path / "worker.log")
    try:

        async def done() -> bool:
            return (await _job(job_id))["status"] == "done"

        await wait_for(done, "the rerun to finish")
    finally:
        stop_worker(worker)
    row = await _job(job_id)
    assert row["attempts"] == 2
    assert await ReportJob.count().where(ReportJob.cycle == cycle["id"]) == 1
    stored = await ReportArtifact.select().where(ReportArtifact.job == job_id)
    formats = [r["format"] for r in stored]
    assert len(formats) == len(set(formats)) and set(formats) >= {"pdf", "xlsx", "docx", "svg"}
    assert sorted(p.name for p in folder.glob("*")) == sorted(
        r["path"].rsplit("/", 1)[1] for r in stored
    )  # exactly one file per artifact, no temporary one left
    for path in folder.glob("*"):
        assert _complete(path)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _complete(path) -> bool:
    """Whether a report file is whole: zip archives open, a PDF ends with %%EOF, a PNG with IEND."""
    import zipfile

    data = path.read_bytes()
    if path.suffix in {".xlsx", ".docx"}:
        return zipfile.is_zipfile(path) and zipfile.ZipFile(path).testzip() is None
    if path.suffix == ".pdf":
        return data.rstrip().endswith(b"%%EOF")
    if path.suffix == ".png":
        return data.endswith(b"IEND\xaeB`\x82")
    return data.rstrip().endswith(b"</svg>")


def _children_of(pid: int) -> list[int]:
    """Processes whose parent was the killed worker (its prefork pool), found through /proc."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry))
    return children
