"""What the plan API and pages exchange."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

QUARTERS = ("I", "II", "III", "IV")


class EvidenceOut(msgspec.Struct):
    """A dated milestone with its proof (a stored file with its sha256, or a link)."""

    id: int
    milestone_on: date
    title: str
    url: str
    filename: str
    media_type: str
    sha256: str
    size: int


class PlanItemOut(msgspec.Struct):
    """One item of a plan as the API gives it."""

    id: int
    parent: int | None
    position: int
    unsur: str
    unsur_name: str
    nrr: float | None
    konversi: float | None
    mutu: str
    saran: list[str]
    program: str
    waktu: str
    quarter: str
    due_date: date | None
    penanggung_jawab: dict[str, Any]
    indicator: str
    status: str
    progress: int
    realised_on: date | None
    hambatan: str
    drop_reason: str
    agreements: list[int] = []
    evidence: list[EvidenceOut] = []


class PlanOut(msgspec.Struct):
    """A plan with its items (sub-items follow their item)."""

    id: int
    cycle: int
    unit: str
    status: str
    forum: int | None
    source: dict[str, Any]
    unmatched_saran: list[str]
    items: list[PlanItemOut]
    rollup_rule: str
    published_at: datetime | None = None


class ItemPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Fields of an item to change; those left out stay as they are."""

    program: str | msgspec.UnsetType = msgspec.UNSET
    quarter: str | msgspec.UnsetType = msgspec.UNSET
    due_date: date | msgspec.UnsetType | None = msgspec.UNSET
    pj_name: str | msgspec.UnsetType = msgspec.UNSET
    pj_position: str | msgspec.UnsetType = msgspec.UNSET
    pj_user: str | msgspec.UnsetType | None = msgspec.UNSET
    pj_email: str | msgspec.UnsetType = msgspec.UNSET
    indicator: str | msgspec.UnsetType = msgspec.UNSET
    status: str | msgspec.UnsetType = msgspec.UNSET
    progress: int | msgspec.UnsetType = msgspec.UNSET
    realised_on: date | msgspec.UnsetType | None = msgspec.UNSET
    hambatan: str | msgspec.UnsetType = msgspec.UNSET
    drop_reason: str | msgspec.UnsetType = msgspec.UNSET

    def given(self) -> dict[str, Any]:
        """The fields present in the request."""
        return {
            f: getattr(self, f)
            for f in self.__struct_fields__
            if getattr(self, f) is not msgspec.UNSET
        }


PLAN_FIELDS = ("program", "quarter", "due_date", "pj_name", "pj_position", "pj_user", "pj_email",
               "indicator")  # fmt: skip
"""Fields only the unit's operators change; a penanggung jawab updates the rest of their items."""


class DiscussIn(msgspec.Struct, forbid_unknown_fields=True):
    """The FKP forum where the plan was agreed."""

    forum: int


class LinkIn(msgspec.Struct, forbid_unknown_fields=True):
    """A forum agreement an item carries out."""

    agreement: int


class EvidenceUrlIn(msgspec.Struct, forbid_unknown_fields=True):
    """A link as evidence of a milestone."""

    url: str
    milestone_on: date | None = None
    title: str = ""


class FollowUpOut(msgspec.Struct):
    """A unit's follow-up in one year, as PEKPPP indicators 8 and 9 count it."""

    unit: str
    year: int
    items: int
    done: int
    percent_done: float | None
    months_to_complete: int | None
    indicator_8: str
    indicator_9: str
    started: bool = False
    """Whether any item has begun (indicator 8's «not started» band)."""
    with_report: bool = False
    """Every item done or dropped and a finished Laporan Hasil Tindak Lanjut."""
    published_on: date | None = None
    """The SKM report's first recorded publication (where indicator 9 counts from)."""
