"""Input and output shapes for survey cycles and responses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec


class CycleIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new survey cycle for a unit."""

    unit: str
    period_type: str
    population: int
    start_date: date | None = None
    end_date: date | None = None
    year: int | None = None
    services: list[str] = msgspec.field(default_factory=list)
    service_populations: dict[str, int] = msgspec.field(default_factory=dict)
    channels: list[str] = msgspec.field(
        default_factory=lambda: ["online", "kiosk", "paper", "interview", "import"]
    )
    scoring_method: str | None = None
    """A registered scoring method's code; None: the standard one (SKM 14/2017)."""


class ServiceCount(msgspec.Struct):
    """Collected responses for one service of a cycle, against its own minimum when known."""

    code: str
    name: str
    collected: int
    population: int | None
    minimum_sample: int | None


class CycleOut(msgspec.Struct):
    """A survey cycle with its collection progress."""

    id: int
    unit: str
    unit_name: str
    year: int
    period_type: str
    period_label: str
    start_date: date
    end_date: date
    population: int
    minimum_sample: int
    collected: int
    below_minimum: bool
    """Fewer responses than the minimum sample: closing then needs a reason."""
    services: list[ServiceCount]
    channels: list[str]
    status: str
    collecting: bool
    """Open, so its public link, kiosk, QR codes and posters take answers."""
    scoring_method: str
    scoring_method_label: str
    public_url: str | None
    token: str | None
    kiosk_url: str | None
    opened_at: datetime | None
    closed_at: datetime | None


class CloseIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a cycle is closed below its minimum sample (not needed otherwise)."""

    reason: str = ""


class ReopenIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a closed cycle is opened again."""

    reason: str


class ResponseIn(msgspec.Struct, forbid_unknown_fields=True):
    """One filled questionnaire as sent by the public form, the API or staff entry."""

    answers: dict[str, Any]
    service: str | None = None
    profile: dict[str, Any] = msgspec.field(default_factory=dict)
    saran: str = ""
    submission_token: str | None = None


class StaffResponseIn(ResponseIn, forbid_unknown_fields=True):
    """A keyed paper or interview questionnaire: also how (method) and when it was filled in."""

    method: str | None = None
    filled_on: date | None = None
    filled_time: str = ""


class ResponseOut(msgspec.Struct):
    """What the submitter gets back."""

    id: int
    cycle: int
    duplicate: bool = False


class UnsurItem(msgspec.Struct):
    """One question of a questionnaire version."""

    code: str
    name: str
    question: str
    labels: list[str]


class PublicSurvey(msgspec.Struct):
    """What a survey client needs to show the questionnaire of an open cycle."""

    unit: str
    unit_name: str
    period_label: str
    services: list[dict[str, str]]
    questions: list[UnsurItem]


class KioskIn(msgspec.Struct, forbid_unknown_fields=True):
    """A counter device to enrol, named so the staff know which one it is."""

    name: str


class KioskOut(msgspec.Struct):
    """An enrolled kiosk device (its token is never shown again)."""

    id: int
    unit: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


class KioskEnrolledOut(msgspec.Struct):
    """A device just enrolled: the one answer that holds its token and kiosk address."""

    device: KioskOut
    token: str
    kiosk_url: str
