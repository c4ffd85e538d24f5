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


class ReviewVerdict(StrEnum):
    """An inspector's verdict on one indicator of a unit's year."""

    approved = "approved"
    rejected = "rejected"


class IndicatorReview(Table, tablename="inspection_indicator_review"):
    """A verdict with its note — a permanent log (the latest counts), with the score and the
    fingerprint of the evidence the inspector saw, so a later change asks for re-review."""

    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    indicator = Varchar(length=8)
    verdict = Varchar(length=12, choices=ReviewVerdict)
    note = Text()
    score = Integer(null=True, default=None)
    evidence_digest = Varchar(length=64)
    reviewed_by = ForeignKey(User, null=True)
    reviewed_at = Timestamptz()


class ClarificationStatus(StrEnum):
    """open (waiting for the unit) → answered (waiting for the inspector) → resolved."""

    open = "open"
    answered = "answered"
    resolved = "resolved"


class Clarification(Table, tablename="inspection_clarification"):
    """A thread on one indicator: an inspector's question, or a unit's objection (sanggahan)."""

    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    indicator = Varchar(length=8)
    kind = Varchar(length=12)
    subject = Varchar(length=250)
    status = Varchar(length=12, choices=ClarificationStatus, index=True)
    created_by = ForeignKey(User, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ClarificationEntry(Table, tablename="inspection_clarification_entry"):
    """One message of a thread: question, answer, objection, resolution."""

    clarification = ForeignKey(Clarification, null=False, index=True)
    kind = Varchar(length=12)
    text = Text()
    author = ForeignKey(User, null=True)
    created_at = Timestamptz()


class EvidenceFile(Table, tablename="inspection_evidence_file"):
    """A unit's file in one evidence slot of a year; a new upload to the slot (and medium) is
    the next version, the earlier ones stay. The original is private; a blacked-out copy (when
    made) is what the dossier shares."""

    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    slot = Varchar(length=30)
    medium = Varchar(length=20, default="")
    version = Integer()
    filename = Varchar(length=255)
    media_type = Varchar(length=100)
    path = Varchar(length=500)
    sha256 = Varchar(length=64)
    size = Integer()
    uploaded_by = ForeignKey(User, null=True)
    uploaded_at = Timestamptz()
    redacted_path = Varchar(length=500, default="")
    redacted_sha256 = Varchar(length=64, default="")
    redacted_by = ForeignKey(User, null=True)
    redacted_at = Timestamptz(null=True, default=None)


class DossierLink(Table, tablename="inspection_dossier_link"):
    """A shareable read-only link to a unit's evidence dossier of a year (signed; revocable)."""

    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer()
    nonce = Varchar(length=32, unique=True)
    created_by = ForeignKey(User, null=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = ForeignKey(User, null=True)


class EvaluationWindow(Table, tablename="inspection_evaluation_window"):
    """The dates of an evaluation year: units fill from ``opens_on`` to ``fill_until``,
    inspectors evaluate until ``evaluate_until``, units may object until ``object_until``;
    after that the results are final."""

    year = Integer(unique=True)
    opens_on = Date()
    fill_until = Date()
    evaluate_until = Date()
    object_until = Date()
    updated_by = ForeignKey(User, null=True)
    updated_at = Timestamptz()


class EvaluationOverride(Table, tablename="inspection_evaluation_override"):
    """An administrator reopening a unit's editing past a locked phase, until a date."""

    year = Integer(index=True)
    unit = ForeignKey(Unit, null=False, index=True)
    until = Date()
    reason = Text()
    granted_by = ForeignKey(User, null=True)
    granted_at = Timestamptz()


class EvaluationReminder(Table, tablename="inspection_evaluation_reminder"):
    """A reminder already sent: ``key`` is year, deadline, days before and user, so each goes
    once however often the beat runs."""

    key = Varchar(length=120, unique=True)
    sent_at = Timestamptz()
