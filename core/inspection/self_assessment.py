"""The unit's self-assessment (as national form F-01 asks): kept beside the computed score, and
every claim above what the evidence shows flagged for the inspector."""

from __future__ import annotations

import json
from datetime import datetime

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import FieldError, NotFound, ValidationFailed
from core.inspection import rubric
from core.inspection.tables import SelfAssessment
from core.inspection.windows import UNIT_EDIT, require_phase
from core.plans import kpi
from core.reports.publications import MEDIA_LABELS
from core.units.tables import Unit


class SelfAssessmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the unit claims for a year."""

    year: int
    surveys_held: int
    media: list[str] = msgspec.field(default_factory=list)
    last_ikm: float | None = None
    rtl_done_percent: int | None = None
    follow_up_months: int | None = None


class Claim(msgspec.Struct):
    """One indicator as the unit claims it next to what Suara computed."""

    indicator: str
    claimed: int | None
    computed: int | None
    flagged: bool
    note: str


class SelfAssessmentOut(msgspec.Struct):
    """The unit's latest self-assessment for the year, with the claims compared."""

    year: int
    surveys_held: int
    media: list[str]
    last_ikm: float | None
    rtl_done_percent: int | None
    follow_up_months: int | None
    submitted_by: str | None
    submitted_at: datetime
    claims: list[Claim] = msgspec.field(default_factory=list)


def _check(data: SelfAssessmentIn) -> list[FieldError]:
    errors = []
    if not 2000 <= data.year <= 2100:
        errors.append(FieldError("year", "tahun empat angka, mis. 2026"))
    if not 0 <= data.surveys_held <= 12:
        errors.append(FieldError("surveys_held", "0 sampai 12 kali"))
    unknown = [m for m in data.media if m not in MEDIA_LABELS]
    if unknown:
        errors.append(FieldError("media", f"media tidak dikenal: {', '.join(unknown)}"))
    if data.last_ikm is not None and not 25 <= data.last_ikm <= 100:
        errors.append(FieldError("last_ikm", "nilai konversi IKM 25 sampai 100"))
    if data.rtl_done_percent is not None and not 0 <= data.rtl_done_percent <= 100:
        errors.append(FieldError("rtl_done_percent", "0 sampai 100 persen"))
    if data.follow_up_months is not None and not 0 <= data.follow_up_months <= 36:
        errors.append(FieldError("follow_up_months", "0 sampai 36 bulan"))
    return errors


async def save_self_assessment(actor: Actor, unit_code: str, data: SelfAssessmentIn) -> int:
    """Record the unit's claim for a year (its own units only, in the filling phase); earlier
    ones are kept."""
    unit = await Unit.select(Unit.id).where(Unit.code == unit_code).first()
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    require(actor, Action.self_assess, unit["id"])
    errors = _check(data)
    if errors:
        raise ValidationFailed(errors)
    await require_phase(UNIT_EDIT, unit["id"], data.year)
    values = msgspec.to_builtins(data)
    values["media"] = sorted(set(data.media))
    async with atomic():
        rows = await SelfAssessment.insert(
            SelfAssessment(
                unit=unit["id"],
                year=data.year,
                surveys_held=data.surveys_held,
                last_ikm=data.last_ikm,
                media=json.dumps(values["media"]),
                rtl_done_percent=data.rtl_done_percent,
                follow_up_months=data.follow_up_months,
                submitted_by=actor.user_id,
                submitted_at=utcnow(),
            )
        ).returning(SelfAssessment.id)
        await record(
            actor, "self_assessment.submitted", "unit", unit_code, after=values, unit_id=unit["id"]
        )
    return int(rows[0]["id"])


def claimed_scores(row: dict) -> dict[str, int | None]:
    """The scores the unit's claims would earn by the same rubric."""
    media = frozenset(row["media"])
    held = row["surveys_held"] > 0
    pct = row["rtl_done_percent"]
    months = row["follow_up_months"]
    return {
        "6": rubric.indicator_6(held, held, media, bool(pct)),
        "7": rubric.indicator_7(media),
        "8": None if pct is None else rubric.indicator_8(kpi.indicator_8(100, pct, pct > 0, False)),
        "9": None if months is None else rubric.indicator_9(kpi.indicator_9(months)),
    }


def compare(row: dict, computed: dict[str, int | None]) -> list[Claim]:
    """Each claimed indicator beside the computed one; a claim above the evidence is flagged."""
    claims = []
    for code, claimed in claimed_scores(row).items():
        score = computed.get(code)
        if claimed is None:
            claims.append(Claim(code, None, score, False, "tidak diklaim"))
        elif score is None:
            claims.append(Claim(code, claimed, None, True, "klaim belum dapat dibuktikan"))
        elif claimed > score:
            claims.append(Claim(code, claimed, score, True, "klaim melebihi bukti"))
        else:
            claims.append(Claim(code, claimed, score, False, "sesuai bukti"))
    return claims


def _media(value: object) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def latest_by_unit(year: int) -> dict[int, SelfAssessmentOut]:
    """The latest self-assessment of each unit for the year (claims not yet compared)."""
    rows = (
        await SelfAssessment.select(
            SelfAssessment.all_columns(),
            SelfAssessment.submitted_by.username.as_alias("username"),
        )
        .where(SelfAssessment.year == year)
        .order_by(SelfAssessment.id)
    )
    found: dict[int, SelfAssessmentOut] = {}
    for r in rows:
        found[r["unit"]] = SelfAssessmentOut(
            year=r["year"],
            surveys_held=r["surveys_held"],
            media=_media(r["media"]),
            last_ikm=r["last_ikm"],
            rtl_done_percent=r["rtl_done_percent"],
            follow_up_months=r["follow_up_months"],
            submitted_by=r["username"],
            submitted_at=r["submitted_at"],
        )
    return found


def with_claims(found: SelfAssessmentOut, computed: dict[str, int | None]) -> SelfAssessmentOut:
    """The self-assessment with its claims compared to the computed scores."""
    row = {
        "media": found.media,
        "surveys_held": found.surveys_held,
        "rtl_done_percent": found.rtl_done_percent,
        "follow_up_months": found.follow_up_months,
    }
    return msgspec.structs.replace(found, claims=compare(row, computed))
