"""Piccolo tables for stakeholders, forums, invitations, attendance, agreements and documents."""

from enum import StrEnum

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from core.accounts.tables import User
from core.surveys.tables import SurveyCycle
from core.units.tables import Unit


class StakeholderGroup(StrEnum):
    """The five unsur masyarakat a forum should hear."""

    pengguna_layanan = "pengguna_layanan"
    akademisi = "akademisi"
    instansi_terkait = "instansi_terkait"
    organisasi_masyarakat = "organisasi_masyarakat"
    media = "media"


class ForumPurpose(StrEnum):
    """Why a forum is held."""

    standar_pelayanan = "standar_pelayanan"
    maklumat = "maklumat"
    tindak_lanjut_skm = "tindak_lanjut_skm"
    kebijakan = "kebijakan"
    lainnya = "lainnya"


class ForumFormat(StrEnum):
    """Where a forum happens."""

    tatap_muka = "tatap_muka"
    daring = "daring"
    hybrid = "hybrid"


class ForumStatus(StrEnum):
    """The life of a forum."""

    draft = "draft"
    scheduled = "scheduled"
    held = "held"
    minutes_published = "minutes_published"
    cancelled = "cancelled"


class Rsvp(StrEnum):
    """An invitee's answer."""

    pending = "pending"
    hadir = "hadir"
    tidak_hadir = "tidak_hadir"
    diwakilkan = "diwakilkan"


class Stakeholder(Table, tablename="stakeholder"):
    """A person or organisation the regency consults."""

    name = Varchar(length=200)
    organisation = Varchar(length=200, default="")
    position = Varchar(length=200, default="")
    group = Varchar(length=30, choices=StakeholderGroup, index=True)
    vulnerable = JSON(default="[]")
    email = Varchar(length=200, default="", index=True)
    phone = Varchar(length=40, default="", index=True)
    consent = Boolean(default=False)
    consent_at = Timestamptz(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class StakeholderUnit(Table, tablename="stakeholder_unit"):
    """A unit a stakeholder relates to (none: regency-wide)."""

    stakeholder = ForeignKey(Stakeholder, null=False, index=True)
    unit = ForeignKey(Unit, null=False, index=True)


class Forum(Table, tablename="forum"):
    """One consultation forum; times are stored in UTC."""

    title = Varchar(length=250)
    purpose = Varchar(length=30, choices=ForumPurpose)
    cycle = ForeignKey(SurveyCycle, null=True, index=True)
    format = Varchar(length=20, choices=ForumFormat)
    venue = Varchar(length=250, default="")
    link = Varchar(length=500, default="")
    start_at = Timestamptz(index=True)
    end_at = Timestamptz()
    timezone = Varchar(length=40, default="Asia/Jakarta")
    capacity = Integer(null=True, default=None)
    status = Varchar(length=20, choices=ForumStatus, index=True)
    status_reason = Text(default="")
    narasumber = Text(default="")
    moderator = Varchar(length=200, default="")
    notulis = Varchar(length=200, default="")
    notulen = Text(default="")
    no_agreement_statement = Text(default="")
    locked = Boolean(default=False)
    berita_acara_sha256 = Varchar(length=64, default="")
    created_by = ForeignKey(User, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ForumUnit(Table, tablename="forum_unit"):
    """An organising unit of a forum."""

    forum = ForeignKey(Forum, null=False, index=True)
    unit = ForeignKey(Unit, null=False, index=True)


class AgendaItem(Table, tablename="forum_agenda_item"):
    """One agenda item."""

    forum = ForeignKey(Forum, null=False, index=True)
    position = Integer()
    title = Varchar(length=250)
    speaker = Varchar(length=200, default="")
    duration_minutes = Integer(default=0)


class Invitation(Table, tablename="forum_invitation"):
    """A stakeholder invited to a forum, with a personal link to answer."""

    forum = ForeignKey(Forum, null=False, index=True)
    stakeholder = ForeignKey(Stakeholder, null=False, index=True)
    token = Varchar(length=48, unique=True)
    rsvp = Varchar(length=20, choices=Rsvp, default=Rsvp.pending.value)
    representative = Varchar(length=200, default="")
    waitlisted = Boolean(default=False)
    answered_at = Timestamptz(null=True, default=None)
    reminded_3d_at = Timestamptz(null=True, default=None)
    reminded_1d_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class Attendance(Table, tablename="forum_attendance"):
    """Someone present at a forum, checked in by QR, by tapping their name, or as a walk-in."""

    forum = ForeignKey(Forum, null=False, index=True)
    stakeholder = ForeignKey(Stakeholder, null=False, index=True)
    invitation = ForeignKey(Invitation, null=True)
    method = Varchar(length=10)
    checked_in_at = Timestamptz()
    checked_in_by = ForeignKey(User, null=True)


class Agreement(Table, tablename="forum_agreement"):
    """A numbered kesepakatan with an owner, a due date and a status."""

    forum = ForeignKey(Forum, null=False, index=True)
    number = Integer()
    text = Text()
    owner_unit = ForeignKey(Unit, null=True)
    owner_person = Varchar(length=200, default="")
    due_date = Date(null=True, default=None)
    status = Varchar(length=20, default="open")
    cycle = ForeignKey(SurveyCycle, null=True)
    created_at = Timestamptz()


class ForumDocument(Table, tablename="forum_document"):
    """A file belonging to a forum: material, photo, or the signed berita acara."""

    forum = ForeignKey(Forum, null=False, index=True)
    kind = Varchar(length=20)
    filename = Varchar(length=255)
    media_type = Varchar(length=100)
    path = Varchar(length=500)
    sha256 = Varchar(length=64)
    size = Integer()
    uploaded_by = ForeignKey(User, null=True)
    uploaded_at = Timestamptz()
