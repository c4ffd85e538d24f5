"""Piccolo tables for findings, their thread and evidence files, and reviewed integrity signals."""

from enum import StrEnum

from piccolo.columns import (
    JSON,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from core.accounts.tables import User
from core.forums.tables import Forum
from core.surveys.tables import SurveyCycle
from core.units.tables import Unit


class FindingStatus(StrEnum):
    """Where a finding stands: open → responded → closed, or returned → responded again."""

    open = "open"
    responded = "responded"
    returned = "returned"
    closed = "closed"


class Finding(Table, tablename="inspection_finding"):
    """A temuan an inspector records against a unit (optionally a cycle, forum and indicator)."""

    unit = ForeignKey(Unit, null=False, index=True)
    cycle = ForeignKey(SurveyCycle, null=True, index=True)
    forum = ForeignKey(Forum, null=True, index=True)
    indicator = Varchar(length=8, default="")
    title = Varchar(length=250)
    kondisi = Text()
    kriteria = Text()
    akibat = Text()
    rekomendasi = Text()
    due_date = Date()
    status = Varchar(length=12, choices=FindingStatus, index=True)
    created_by = ForeignKey(User, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FindingEntry(Table, tablename="inspection_finding_entry"):
    """One step of a finding's thread: the unit's tanggapan, or the inspector's accept/return/close."""

    finding = ForeignKey(Finding, null=False, index=True)
    kind = Varchar(length=12)
    text = Text()
    author = ForeignKey(User, null=True)
    created_at = Timestamptz()


class FindingEvidence(Table, tablename="inspection_finding_evidence"):
    """A file sent with a tanggapan, stored under the data directory with its sha256."""

    finding = ForeignKey(Finding, null=False, index=True)
    entry = ForeignKey(FindingEntry, null=False, index=True)
    filename = Varchar(length=255)
    media_type = Varchar(length=100)
    path = Varchar(length=500)
    sha256 = Varchar(length=64)
    size = Integer()
    uploaded_by = ForeignKey(User, null=True)
    uploaded_at = Timestamptz()


class SignalReview(Table, tablename="inspection_signal_review"):
    """An inspector marking one integrity signal of a cycle reviewed, with a note (a log)."""

    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    signal = Varchar(length=30)
    note = Text()
    reviewed_by = ForeignKey(User, null=True)
    reviewed_at = Timestamptz()


class SelfAssessment(Table, tablename="inspection_self_assessment"):
    """A unit's own claim for a year (as form F-01 asks); the latest one counts, earlier ones stay."""

    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    surveys_held = Integer()
    last_ikm = DoublePrecision(null=True, default=None)
    media = JSON(default="[]")
    rtl_done_percent = Integer(null=True, default=None)
    follow_up_months = Integer(null=True, default=None)
    submitted_by = ForeignKey(User, null=True)
    submitted_at = Timestamptz()
