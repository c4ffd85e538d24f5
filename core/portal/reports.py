"""The infographic and the public report of a published cycle, read through the reports service.

Only the infographic (SVG or PNG) of the newest finished report job of a *published* cycle is
public, and of the report only its public version (``core.reports.public_report``: no saran text
but the saran the unit picked, no per-respondent rows); the staff report is never linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.accounts.policy import Actor
from core.reports.jobs import artifact_file, cycle_jobs
from core.reports.public_report import public_report_job
from core.reports.tables import JobStatus
from core.settings import Settings
from core.surveys.tables import CycleStatus, SurveyCycle

INFOGRAPHIC_FORMATS = ("png", "svg")


@dataclass(frozen=True)
class Infographic:
    """A published cycle's infographic: the job it came from, its formats and checksums."""

    cycle_id: int
    job_id: int
    sha256: dict[str, str]

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats at hand, PNG first (what a shared link shows)."""
        return tuple(f for f in INFOGRAPHIC_FORMATS if f in self.sha256)


async def infographic(cycle_id: int, unit_id: int) -> Infographic | None:
    """The infographic of a unit's published cycle, or None (another unit's, not published, or
    no finished report)."""
    row = (
        await SurveyCycle.select(SurveyCycle.status, SurveyCycle.unit)
        .where(SurveyCycle.id == cycle_id)
        .first()
    )
    if row is None or row["unit"] != unit_id or row["status"] != CycleStatus.published.value:
        return None
    # The public may see a published cycle's infographic; the reports service is asked as the
    # system, since the visitor has no account.
    for job in await cycle_jobs(Actor.system(), cycle_id):
        files = {a.format: a.sha256 for a in job.artifacts if a.format in INFOGRAPHIC_FORMATS}
        if job.status == JobStatus.done.value and files:
            return Infographic(cycle_id, job.id, files)
    return None


async def infographic_file(
    settings: Settings, picture: Infographic, fmt: str
) -> tuple[Path, str] | None:
    """The stored file of an infographic in a format (None for a format it lacks)."""
    if fmt not in picture.formats:
        return None
    return await artifact_file(Actor.system(), settings, picture.job_id, fmt)


@dataclass(frozen=True)
class PublicReport:
    """The public PDF of a published cycle: its job and checksum."""

    cycle_id: int
    job_id: int
    sha256: str


async def public_report(cycle_id: int, unit_id: int) -> PublicReport | None:
    """The public report of a unit's published cycle, or None (not published, not made yet)."""
    row = await SurveyCycle.select(SurveyCycle.unit).where(SurveyCycle.id == cycle_id).first()
    if row is None or row["unit"] != unit_id:
        return None
    found = await public_report_job(cycle_id)
    return PublicReport(cycle_id, *found) if found else None


async def public_reports(unit_id: int, cycle_ids: list[int]) -> dict[int, PublicReport]:
    """The public reports made so far of these published cycles of a unit, by cycle."""
    found = {}
    for cycle_id in cycle_ids:
        report = await public_report(cycle_id, unit_id)
        if report is not None:
            found[cycle_id] = report
    return found


async def public_report_file(settings: Settings, report: PublicReport) -> tuple[Path, str]:
    """The stored public PDF."""
    return await artifact_file(Actor.system(), settings, report.job_id, "pdf")
