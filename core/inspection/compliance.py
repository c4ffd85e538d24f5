"""The compliance matrix: every unit × one year, scored on indicators 6, 7, 8, 9 and FKP 2 from
the evidence Suara holds, each cell with the links behind its score.

What a cell reads has one function each below. Publications come from the reports room's
register; the improvement plans (plans room) are still being built: until they exist, ``plans_of``
says so and the cells that need them carry no score and a note, never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core.accounts.policy import Action, Actor, require
from core.errors import NotFound, ValidationFailed
from core.forums.labels import GROUP_LABELS
from core.forums.tables import Attendance, Forum, ForumPurpose, ForumStatus, ForumUnit
from core.hooks import Hooks
from core.inspection import rubric
from core.inspection.reads import open_findings_by_unit
from core.inspection.self_assessment import SelfAssessmentOut, latest_by_unit, with_claims
from core.reports.publications import MEDIA_LABELS
from core.reports.tables import JobStatus, Publication, ReportJob
from core.surveys.labels import STATUS_LABELS as CYCLE_STATUS_LABELS
from core.surveys.recap import RecapRow, year_recap
from core.units.tables import Unit

INDICATORS = ("6", "7", "8", "9", "fkp2")
FKP_PURPOSES = (ForumPurpose.standar_pelayanan.value, ForumPurpose.tindak_lanjut_skm.value)
HELD = (ForumStatus.held.value, ForumStatus.minutes_published.value)
REGISTER_PENDING = (
    "Register publikasi hasil SKM belum tersedia di Suara, sehingga media publikasi belum dapat "
    "dibuktikan."
)
PLANS_PENDING = (
    "Rencana tindak lanjut (RTL) belum tersedia di Suara, sehingga realisasi dan kecepatan "
    "tindak lanjut belum dapat dibuktikan."
)
REGISTER_SHORT = "menunggu register publikasi"
PLANS_SHORT = "menunggu RTL"
SORTS = ("unit", "kind", *INDICATORS, "findings")


class Evidence(msgspec.Struct):
    """One thing behind a score: what it is, where to see it, its date and checksum if any."""

    label: str
    href: str
    date: str = ""
    sha256: str = ""
    detail: str = ""


class Cell(msgspec.Struct):
    """One indicator of one unit: the score (None: not computable yet), why, and the evidence."""

    score: int | None
    note: str
    evidence: list[Evidence] = msgspec.field(default_factory=list)


class UnitCompliance(msgspec.Struct):
    """One unit's row."""

    unit: str
    name: str
    kind: str
    indicators: dict[str, Cell]
    surveyed: bool
    forum_held: bool
    forum_groups: list[str]
    open_findings: int
    report_generated: bool | None
    plan_published: bool | None
    self_assessment: SelfAssessmentOut | None = None
    over_claims: int = 0


class Compliance(msgspec.Struct):
    """The matrix of one year."""

    year: int
    units: list[UnitCompliance]
    pending: list[str]


class Publications(msgspec.Struct):
    """What the publication register says of a unit's year: the media, with their evidence."""

    media: frozenset[str]
    evidence: list[Evidence]


class Plans(msgspec.Struct):
    """What the RTL says of a unit's year: items, done, started, a follow-up report, speed."""

    items: int
    done: int
    started: bool
    with_report: bool
    months_to_follow_up: float | None
    evidence: list[Evidence]


async def publications_of(year: int) -> dict[int, Publications] | None:
    """The publication register per unit id: the media its cycles of the year were published in,
    each publication as evidence (indicators 6 and 7)."""
    rows = (
        await Publication.select(
            Publication.cycle,
            Publication.media,
            Publication.published_on,
            Publication.url,
            Publication.cycle.unit.as_alias("unit"),
        )
        .where(Publication.cycle.year == year)
        .order_by(Publication.published_on)
    )
    found: dict[int, Publications] = {}
    for row in rows:
        entry = found.setdefault(row["unit"], Publications(media=frozenset(), evidence=[]))
        entry.media = entry.media | {row["media"]}
        entry.evidence.append(
            Evidence(
                label=f"Publikasi: {MEDIA_LABELS.get(row['media'], row['media'])}",
                href=row["url"] or f"/cycles/{row['cycle']}/laporan",
                date=row["published_on"].isoformat(),
            )
        )
    return found


async def reported_units(year: int) -> set[int]:
    """Units with a Laporan Hasil SKM generated for a cycle of the year."""
    rows = await ReportJob.select(ReportJob.cycle.unit.as_alias("unit")).where(
        (ReportJob.kind == "cycle")
        & (ReportJob.status == JobStatus.done.value)
        & (ReportJob.cycle.year == year)
    )
    return {row["unit"] for row in rows}


async def plans_of(year: int) -> dict[int, Plans] | None:
    """Each unit's RTL progress and follow-up speed — None while Suara has no plans (6, 8, 9)."""
    return None


def survey_cell(row: RecapRow, method: str) -> tuple[bool, bool, list[Evidence], str]:
    """Whether the unit surveyed, whether a cycle is per the rule, the cycles, and why not."""
    evidence = []
    reasons = []
    per_rule = False
    for cell in row.cells:
        if cell.status == "draft":
            continue
        status = CYCLE_STATUS_LABELS.get(cell.status, cell.status)
        konversi = f"{cell.konversi:.2f}".replace(".", ",") if cell.konversi is not None else "—"
        evidence.append(
            Evidence(
                label=f"SKM {cell.period_label}",
                href=f"/cycles/{cell.cycle_id}",
                detail=f"{status}; {cell.collected}/{cell.minimum_sample} responden; "
                f"konversi {konversi}",
            )
        )
        if not cell.final:
            reasons.append(f"{cell.period_label}: siklus belum ditutup")
        elif not cell.meets_minimum:
            reasons.append(f"{cell.period_label}: di bawah sampel minimum")
        elif cell.method != method:
            reasons.append(f"{cell.period_label}: bukan metode PermenPAN-RB 14/2017")
        else:
            per_rule = True
    return bool(evidence), per_rule, evidence, "; ".join(reasons)


async def forums_of(year: int, timezone: str) -> dict[int, list[dict[str, Any]]]:
    """Held forums of the year on a service standard or an SKM follow-up, per organising unit,
    each with the stakeholder groups present."""
    zone = ZoneInfo(timezone)
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    forums = await Forum.select(
        Forum.id, Forum.title, Forum.start_at, Forum.berita_acara_sha256
    ).where(
        Forum.status.is_in(list(HELD))
        & Forum.purpose.is_in(list(FKP_PURPOSES))
        & (Forum.start_at >= start)
        & (Forum.start_at < end)
    )
    if not forums:
        return {}
    ids = [f["id"] for f in forums]
    groups: dict[int, set[str]] = defaultdict(set)
    for row in await Attendance.select(
        Attendance.forum, Attendance.stakeholder.group.as_alias("grp")
    ).where(Attendance.forum.is_in(ids)):
        groups[row["forum"]].add(row["grp"])
    by_id = {f["id"]: {**f, "groups": groups[f["id"]]} for f in forums}
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in await ForumUnit.select(ForumUnit.forum, ForumUnit.unit).where(
        ForumUnit.forum.is_in(ids)
    ):
        found[link["unit"]].append(by_id[link["forum"]])
    return found


def fkp_cell(forums: list[dict[str, Any]], timezone: str) -> tuple[Cell, list[str]]:
    """FKP 2 from the unit's held forums: the distinct groups present, with each forum."""
    groups = sorted({g for f in forums for g in f["groups"]}, key=list(GROUP_LABELS).index)
    evidence = []
    for forum in sorted(forums, key=lambda f: f["start_at"]):
        day = forum["start_at"].astimezone(ZoneInfo(timezone)).date().isoformat()
        names = ", ".join(GROUP_LABELS[g] for g in sorted(forum["groups"])) or "tanpa kehadiran"
        evidence.append(
            Evidence(f"Forum: {forum['title']}", f"/forum/{forum['id']}", day, detail=names)
        )
        evidence.append(Evidence("Daftar hadir", f"/forum/{forum['id']}/daftar-hadir", day))
        if forum["berita_acara_sha256"]:
            evidence.append(
                Evidence(
                    "Berita acara FKP",
                    f"/forum/{forum['id']}/berita-acara",
                    day,
                    sha256=forum["berita_acara_sha256"],
                )
            )
    note = f"{len(groups)} dari 5 unsur masyarakat hadir" if forums else "belum ada forum"
    return Cell(rubric.fkp_2(len(groups)), note, evidence), groups


def _unit_row(
    row: RecapRow,
    unit_id: int,
    method: str,
    forums: list[dict[str, Any]],
    publications: Publications | None,
    plans: Plans | None,
    register_known: bool,
    plans_known: bool,
    open_findings: int,
    timezone: str,
) -> UnitCompliance:
    surveyed, per_rule, cycles, why = survey_cell(row, method)
    media = publications.media if publications else (frozenset() if register_known else None)
    followed = (plans.done > 0) if plans else (False if plans_known else None)
    score6 = rubric.indicator_6(surveyed, per_rule, media, followed)
    if not surveyed:
        note6 = "tidak ada SKM tahun ini"
    elif not per_rule:
        note6 = why
    elif media is None:
        note6 = "sesuai ketentuan; publikasi " + REGISTER_SHORT
    else:
        note6 = "sesuai ketentuan"
    pub_evidence = publications.evidence if publications else []
    plan_evidence = plans.evidence if plans else []
    fkp, groups = fkp_cell(forums, timezone)
    cells = {
        "6": Cell(score6, note6, [*cycles, *pub_evidence]),
        "7": Cell(
            rubric.indicator_7(media),
            REGISTER_SHORT if media is None else f"{len(media)} media",
            pub_evidence,
        ),
        "8": Cell(
            rubric.indicator_8(
                plans.items if plans else (0 if plans_known else None),
                plans.done if plans else 0,
                plans.started if plans else False,
                plans.with_report if plans else False,
            ),
            PLANS_SHORT
            if not plans_known
            else (f"{plans.done}/{plans.items} RTL selesai" if plans else "belum ada RTL"),
            plan_evidence,
        ),
        "9": Cell(
            rubric.indicator_9(plans.months_to_follow_up if plans else None, followed),
            PLANS_SHORT if not plans_known else "",
            plan_evidence,
        ),
        "fkp2": fkp,
    }
    return UnitCompliance(
        unit=row.code,
        name=row.name,
        kind=row.kind,
        indicators=cells,
        surveyed=surveyed,
        forum_held=bool(forums),
        forum_groups=groups,
        open_findings=open_findings,
        report_generated=None,
        plan_published=(plans is not None) if plans_known else None,
    )


def _sort_key(sort: str):
    def key(row: UnitCompliance) -> tuple:
        if sort in INDICATORS:
            score = row.indicators[sort].score
            return (score is None, score if score is not None else 0, row.name)
        if sort == "kind":
            return (row.kind, row.name)
        if sort == "findings":
            return (row.open_findings, row.name)
        return (row.name,)

    return key


async def compliance_matrix(
    actor: Actor,
    hooks: Hooks,
    year: int,
    kind: str | None = None,
    sort: str = "unit",
    timezone: str = "Asia/Jakarta",
) -> Compliance:
    """Every active unit's row for the year (inspectors and administrators); ``sort`` is a column
    name, ``-`` first for descending."""
    require(actor, Action.view_findings)
    descending = sort.startswith("-")
    column = sort.lstrip("-") or "unit"
    if column not in SORTS:
        raise ValidationFailed.single("sort", f"pilihan: {', '.join(SORTS)}")
    recap = await year_recap(actor, hooks, year, kind)
    ids = {u["code"]: u["id"] for u in await Unit.select(Unit.id, Unit.code)}
    forums = await forums_of(year, timezone)
    publications = await publications_of(year)
    reported = await reported_units(year)
    plans = await plans_of(year)
    findings = await open_findings_by_unit()
    claims = await latest_by_unit(year)
    rows = []
    for row in recap.rows:
        unit_id = ids[row.code]
        unit_row = _unit_row(
            row,
            unit_id,
            recap.method,
            forums.get(unit_id, []),
            (publications or {}).get(unit_id),
            (plans or {}).get(unit_id),
            publications is not None,
            plans is not None,
            findings.get(unit_id, 0),
            timezone,
        )
        unit_row.report_generated = unit_id in reported
        if unit_id in claims:
            computed = {code: cell.score for code, cell in unit_row.indicators.items()}
            unit_row.self_assessment = with_claims(claims[unit_id], computed)
            unit_row.over_claims = sum(c.flagged for c in unit_row.self_assessment.claims)
        rows.append(unit_row)
    rows.sort(key=_sort_key(column), reverse=descending)
    pending = [
        text
        for text, known in (
            (REGISTER_PENDING, publications is not None),
            (PLANS_PENDING, plans is not None),
        )
        if not known
    ]
    return Compliance(year=year, units=rows, pending=pending)


async def unit_compliance(
    actor: Actor, hooks: Hooks, year: int, code: str, timezone: str = "Asia/Jakarta"
) -> tuple[UnitCompliance, list[str]]:
    """One unit's row of the matrix and what cannot be evidenced yet (for its audit pack)."""
    unit = await Unit.select(Unit.kind).where(Unit.code == code).first()
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    matrix = await compliance_matrix(actor, hooks, year, unit["kind"], timezone=timezone)
    for row in matrix.units:
        if row.unit == code:
            return row, matrix.pending
    raise NotFound("Unit tidak ditemukan.")
