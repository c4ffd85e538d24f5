"""Piccolo tables for report jobs and their files, the report review and the publication register."""

from enum import StrEnum

from piccolo.columns import JSON, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from core.accounts.tables import User
from core.surveys.tables import Response, SurveyCycle


class JobStatus(StrEnum):
    """Where a report job is."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class ReportJob(Table, tablename="report_job"):
    """One request for the documents of a cycle (kind "cycle") or of a regency year ("recap")."""

    kind = Varchar(length=12)
    cycle = ForeignKey(SurveyCycle, null=True, index=True)
    year = Integer(null=True, default=None)
    status = Varchar(length=12, choices=JobStatus, index=True)
    error = Text(default="")
    inputs_hash = Varchar(length=64, index=True)
    requested_by = ForeignKey(User, null=True)
    attempts = Integer(default=0)
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    # Renewed by the rendering worker's heartbeat; a running job past it is queued again.
    lease_until = Timestamptz(null=True, default=None)


class ReportArtifact(Table, tablename="report_artifact"):
    """One file a job wrote, under the data directory, with its checksum."""

    job = ForeignKey(ReportJob, null=False, index=True)
    format = Varchar(length=8)
    path = Varchar(length=255)
    sha256 = Varchar(length=64)
    size = Integer()


class CycleReport(Table, tablename="cycle_report"):
    """The unit's texts for a cycle's report and where the report is in its review."""

    cycle = ForeignKey(SurveyCycle, null=False, unique=True)
    status = Varchar(length=12)
    latar_belakang = Text(default="")
    kesimpulan = Text(default="")
    rekomendasi = Text(default="")
    signature = JSON(default="{}")
    note = Text(default="")
    updated_at = Timestamptz()


class Publication(Table, tablename="report_publication"):
    """One place a cycle's result was published (the register the inspectorate counts)."""

    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    media = Varchar(length=20)
    published_on = Date()
    url = Varchar(length=500, default="")
    photo = Varchar(length=255, default="")
    recorded_by = ForeignKey(User, null=True)
    created_at = Timestamptz()


class PublishedSaran(Table, tablename="report_published_saran"):
    """A saran the unit chose to publish (its text as curated by staff: names taken out)."""

    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    response = ForeignKey(Response, null=False)
    position = Integer()
    text = Text()
    picked_by = ForeignKey(User, null=True)
    picked_at = Timestamptz()
