"""What the inspection API takes and gives: findings with their thread and evidence."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class FindingIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new temuan: the unit (code), what was found and what should be done, by when."""

    unit: str
    title: str
    kondisi: str
    kriteria: str
    akibat: str
    rekomendasi: str
    due_date: date
    cycle: int | None = None
    forum: int | None = None
    indicator: str = ""


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """The text of a tanggapan, or the inspector's note on accepting, returning or closing."""

    text: str = ""


class EvidenceOut(msgspec.Struct):
    """A file sent with a tanggapan."""

    id: int
    filename: str
    media_type: str
    sha256: str
    size: int
    uploaded_by: str | None
    uploaded_at: datetime


class EntryOut(msgspec.Struct):
    """One step of the thread: a tanggapan, or an accept/return/close with its note."""

    id: int
    kind: str
    text: str
    author: str | None
    created_at: datetime
    evidence: list[EvidenceOut] = msgspec.field(default_factory=list)


class FindingOut(msgspec.Struct):
    """A finding with its thread (oldest first)."""

    id: int
    unit: str
    unit_name: str
    unit_id: int
    title: str
    kondisi: str
    kriteria: str
    akibat: str
    rekomendasi: str
    due_date: date
    status: str
    overdue: bool
    cycle: int | None
    forum: int | None
    indicator: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    entries: list[EntryOut] = msgspec.field(default_factory=list)


class Evidence(msgspec.Struct):
    """One thing behind a score: what it is, where to see it, its date and checksum if any, and
    the evidence slot (core/inspection/slots.py) it fills, with its medium for publications."""

    label: str
    href: str
    date: str = ""
    sha256: str = ""
    detail: str = ""
    slot: str = ""
    medium: str = ""


class Cell(msgspec.Struct):
    """One indicator of one unit: the score, why, and the evidence."""

    score: int | None
    note: str
    evidence: list[Evidence] = msgspec.field(default_factory=list)
