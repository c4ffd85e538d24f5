"""Piccolo tables for improvement plans (RTL), their items, history, evidence, comments and links."""

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
from core.forums.tables import Agreement, Forum
from core.surveys.tables import SurveyCycle
from core.units.tables import Unit


class PlanStatus(StrEnum):
    """The life of a plan."""

    draft = "draft"
    discussed = "discussed"
    published = "published"
    closed = "closed"


class ItemStatus(StrEnum):
    """The life of one plan item."""

    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Plan(Table, tablename="plan"):
    """The RTL of one closed survey cycle (one plan per cycle)."""

    unit = ForeignKey(Unit, null=False, index=True)
    cycle = ForeignKey(SurveyCycle, null=False, unique=True)
    status = Varchar(length=12, choices=PlanStatus, index=True)
    forum = ForeignKey(Forum, null=True)
    source = JSON(default="{}")
    unmatched_saran = JSON(default="[]")
    drafted_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PlanItem(Table, tablename="plan_item"):
    """One action of a plan (or a sub-item of one, when ``parent`` is set)."""

    plan = ForeignKey(Plan, null=False, index=True)
    parent = ForeignKey("self", null=True, index=True)
    position = Integer()
    unsur_code = Varchar(length=8)
    unsur_name = Varchar(length=200, default="")
    nrr = DoublePrecision(null=True, default=None)
    konversi = DoublePrecision(null=True, default=None)
    mutu = Varchar(length=4, default="")
    saran = JSON(default="[]")
    program = Text(default="")
    quarter = Varchar(length=4, default="")
    due_date = Date(null=True, default=None)
    pj_name = Varchar(length=200, default="")
    pj_position = Varchar(length=200, default="")
    pj_user = ForeignKey(User, null=True, index=True)
    pj_email = Varchar(length=254, default="")  # a PJ without an account is reminded here
    indicator = Text(default="")
    status = Varchar(length=12, choices=ItemStatus, index=True)
    progress = Integer(default=0)
    realised_on = Date(null=True, default=None)
    hambatan = Text(default="")
    drop_reason = Text(default="")
    edited = JSON(default="[]")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PlanItemChange(Table, tablename="plan_item_change"):
    """One change of an item, kept as its history (the audit log keeps it too)."""

    item = ForeignKey(PlanItem, null=False, index=True)
    at = Timestamptz()
    actor = Varchar(length=60)
    changes = JSON()


class PlanEvidence(Table, tablename="plan_evidence"):
    """A dated milestone of an item with its proof: a stored file (sha256) or a link."""

    item = ForeignKey(PlanItem, null=False, index=True)
    milestone_on = Date()
    title = Varchar(length=250, default="")
    url = Varchar(length=500, default="")
    filename = Varchar(length=255, default="")
    media_type = Varchar(length=100, default="")
    path = Varchar(length=500, default="")
    sha256 = Varchar(length=64, default="")
    size = Integer(default=0)
    added_by = ForeignKey(User, null=True)
    added_at = Timestamptz()


class PlanComment(Table, tablename="plan_comment"):
    """A comment on an item."""

    item = ForeignKey(PlanItem, null=False, index=True)
    author = Varchar(length=60)
    text = Text()
    at = Timestamptz()


class PlanItemAgreement(Table, tablename="plan_item_agreement"):
    """A forum agreement (kesepakatan) that an item carries out."""

    item = ForeignKey(PlanItem, null=False, index=True)
    agreement = ForeignKey(Agreement, null=False, index=True)


class PlanReminder(Table, tablename="plan_reminder"):
    """A reminder already sent: one per item or agreement, threshold and due day (the beat sends
    each once; a moved due day may be reminded again)."""

    kind = Varchar(length=12)
    target = Integer()
    threshold = Varchar(length=12)
    due_on = Date()
    sent_at = Timestamptz()
