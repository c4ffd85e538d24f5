"""Input and output shapes for stakeholders and forums."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from msgspec import UNSET, UnsetType


class StakeholderIn(msgspec.Struct, forbid_unknown_fields=True):
    """A person or organisation to consult."""

    name: str
    group: str
    organisation: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    consent: bool = False
    vulnerable: list[str] = msgspec.field(default_factory=list)
    units: list[str] = msgspec.field(default_factory=list)


class StakeholderOut(msgspec.Struct):
    """A stakeholder as listed."""

    id: int
    name: str
    organisation: str
    position: str
    group: str
    email: str
    phone: str
    consent: bool
    vulnerable: list[str]
    units: list[str]
    active: bool


class AgendaIn(msgspec.Struct, forbid_unknown_fields=True):
    """One agenda item."""

    title: str
    speaker: str = ""
    duration: int = 0


class ForumIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new forum; start and end are ISO 8601 with an offset."""

    title: str
    purpose: str
    units: list[str]
    format: str
    start: datetime
    end: datetime
    venue: str = ""
    link: str = ""
    cycle: int | None = None
    capacity: int | None = None
    narasumber: str = ""
    moderator: str = ""
    notulis: str = ""
    agenda: list[AgendaIn] = msgspec.field(default_factory=list)


class ForumPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Changes to a forum until it is held; a changed time or place of a scheduled forum needs a
    ``reason`` and notifies every invitee. ``units`` and ``agenda`` replace the whole list."""

    title: str | UnsetType = UNSET
    purpose: str | UnsetType = UNSET
    cycle: int | UnsetType | None = UNSET
    units: list[str] | UnsetType = UNSET
    agenda: list[AgendaIn] | UnsetType = UNSET
    format: str | UnsetType = UNSET
    venue: str | UnsetType = UNSET
    link: str | UnsetType = UNSET
    start: datetime | UnsetType = UNSET
    end: datetime | UnsetType = UNSET
    capacity: int | UnsetType | None = UNSET
    narasumber: str | UnsetType = UNSET
    moderator: str | UnsetType = UNSET
    notulis: str | UnsetType = UNSET
    reason: str | UnsetType = UNSET


class InvitationsIn(msgspec.Struct, forbid_unknown_fields=True):
    """Whom to invite: stakeholder ids, and/or every consenting stakeholder of groups or units."""

    stakeholders: list[int] = msgspec.field(default_factory=list)
    groups: list[str] = msgspec.field(default_factory=list)
    units: list[str] = msgspec.field(default_factory=list)


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    """A check-in: by stakeholder id, by invitation token (QR), or a walk-in."""

    stakeholder: int | None = None
    invitation_token: str | None = None
    walk_in: StakeholderIn | None = None


class AgreementIn(msgspec.Struct, forbid_unknown_fields=True):
    """A kesepakatan with an owner and a due date (required, not before the forum's day)."""

    text: str
    owner_unit: str | None = None
    owner_person: str = ""
    due_date: date | None = None
    cycle: int | None = None


class MinutesIn(msgspec.Struct, forbid_unknown_fields=True):
    """The notulen (plain text with paragraphs, or Markdown; HTML is shown as text) and, when
    nothing was agreed, a statement saying so."""

    notulen: str = ""
    no_agreement_statement: str = ""


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why (for cancelling)."""

    reason: str


class AgreementOut(msgspec.Struct):
    """A numbered agreement."""

    id: int
    number: int
    text: str
    owner_unit: str | None
    owner_person: str
    due_date: date | None
    status: str
    cycle: int | None


class InvitationOut(msgspec.Struct):
    """An invitation and its answer."""

    id: int
    stakeholder: int
    name: str
    organisation: str
    group: str
    rsvp: str
    representative: str
    waitlisted: bool
    token: str | None
    """The secret RSVP token; only for those who manage the forum, None for read-only roles."""
    attended: bool


class ForumOut(msgspec.Struct):
    """A forum with its composition and warnings."""

    id: int
    title: str
    purpose: str
    units: list[str]
    format: str
    venue: str
    link: str
    start: datetime
    end: datetime
    timezone: str
    capacity: int | None
    cycle: int | None
    status: str
    status_reason: str
    narasumber: str
    moderator: str
    notulis: str
    notulen: str
    no_agreement_statement: str
    locked: bool
    agenda: list[AgendaIn]
    groups_invited: list[str]
    groups_attended: list[str]
    invited: int
    attended: int
    warnings: list[str]
    notulen_html: str = ""
    """The notulen rendered as safe HTML."""
