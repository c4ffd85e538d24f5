"""The compliance matrix: every unit × one year, scored on indicators 6, 7, 8, 9 and FKP 2 from
the evidence Suara holds, each cell with the links behind its score.

What a cell reads has one function each below. Publications come from the reports room's
register; the improvement plans from the plans room (``follow_through.plans_of``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core.accounts.policy import Action, Actor, require
from core.errors import NotFound, ValidationFailed
from core.hooks import Hooks
from core.i18n import translate
from core.inspection import rubric
from core.inspection.fkp import fkp_cell, forums_of
from core.inspection.follow_through import Plans, plans_of
from core.inspection.reads import open_findings_by_unit
from core.inspection.schemas import Cell, Evidence
from core.inspection.self_assessment import SelfAssessmentOut, latest_by_unit, with_claims
from core.inspection.tables import EvidenceFile
from core.inspection.windows import missed_filling
from core.plans.kpi import FOLLOW_UP_KIND, indicator_9
from core.reports.publications import MEDIA_LABELS
from core.reports.tables import JobStatus, Publication, ReportArtifact
from core.surveys.labels import STATUS_LABELS as CYCLE_STATUS_LABELS
from core.surveys.periods import PERIOD_LABELS
from core.surveys.recap import RecapRow, year_recap
from core.units.tables import Unit

INDICATORS = ("6", "7", "8", "9", "fkp2")
NO_PLAN = "belum ada RTL yang diumumkan"
NOTHING_SENT = "unit tidak mengirim penilaian mandiri maupun bukti sampai batas pengisian"
SORTS = ("unit", "kind", *INDICATORS, "findings")


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
    report_generated: bool
    plan_published: bool
    self_assessment: SelfAssessmentOut | None = None
    over_claims: int = 0
    submitted: bool = True


class Compliance(msgspec.Struct):
    """The matrix of one year."""

    year: int
    units: list[UnitCompliance]


class Publications(msgspec.Struct):
    """What the publication register says of a unit's year: the media, with their evidence."""

    media: frozenset[str]
    evidence: list[Evidence]


async def publications_of(year: int) -> dict[int, Publications]:
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
                slot="publikasi",
                medium=row["media"],
            )
        )
    return found


async def reports_of(year: int, timezone: str) -> dict[int, list[Evidence]]:
    """Per unit, each Laporan Hasil SKM and Laporan Hasil Tindak Lanjut generated for a cycle of
    the year (its PDF, sha256), in their evidence slots."""
    zone = ZoneInfo(timezone)
    rows = (
        await ReportArtifact.select(
            ReportArtifact.job,
            ReportArtifact.job.kind.as_alias("kind"),
            ReportArtifact.sha256,
            ReportArtifact.job.finished_at.as_alias("finished"),
            ReportArtifact.job.cycle.as_alias("cycle"),
            ReportArtifact.job.cycle.unit.as_alias("unit"),
            ReportArtifact.job.cycle.period_type.as_alias("period"),
        )
        .where(
            ReportArtifact.job.kind.is_in(["cycle", FOLLOW_UP_KIND])
            & (ReportArtifact.job.status == JobStatus.done.value)
            & (ReportArtifact.job.cycle.year == year)
            & (ReportArtifact.format == "pdf")
        )
        .order_by(ReportArtifact.job)
    )
    found: dict[int, list[Evidence]] = defaultdict(list)
    for row in rows:
        finished = row["finished"]
        follow_up = row["kind"] == FOLLOW_UP_KIND
        title = "Laporan hasil tindak lanjut" if follow_up else "Laporan hasil SKM"
        found[row["unit"]].append(
            Evidence(
                label=f"{title} {PERIOD_LABELS.get(row['period'], row['period'])}",
                href=f"/laporan/berkas/{row['job']}/pdf",
                date=finished.astimezone(zone).date().isoformat() if finished else "",
                sha256=row["sha256"],
                slot="laporan_tindak_lanjut" if follow_up else "laporan_skm",
            )
        )
    return found


def survey_cell(
    row: RecapRow, method: str, lang: str = "id"
) -> tuple[bool, bool, list[Evidence], str]:
    """Whether the unit surveyed, whether a cycle is per the rule, the cycles, and why not (in
    ``lang``)."""
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
        period = translate(lang, cell.period_label)
        if not cell.final:
            reasons.append(translate(lang, "{period}: siklus belum ditutup", period=period))
        elif not cell.meets_minimum:
            reasons.append(translate(lang, "{period}: di bawah sampel minimum", period=period))
        elif cell.method != method:
            reasons.append(
                translate(lang, "{period}: bukan metode PermenPAN-RB 14/2017", period=period)
            )
        else:
            per_rule = True
    return bool(evidence), per_rule, evidence, "; ".join(reasons)


def plan_cells(plans: Plans | None, lang: str = "id") -> tuple[Cell, Cell]:
    """Indicators 8 and 9 from the unit's published plans (none: both score 0), noted in
    ``lang``."""
    if plans is None:
        return Cell(0, translate(lang, NO_PLAN)), Cell(0, translate(lang, NO_PLAN))
    follow = plans.follow
    months = follow.months_to_complete
    done = translate(lang, "{done}/{items} kegiatan RTL selesai — {band}", done=follow.done,
                     items=follow.items, band=translate(lang, follow.indicator_8))  # fmt: skip
    band = indicator_9(months, lang)
    if months is None and follow.items and follow.done == follow.items:
        speed = translate(lang, "{band}: tanggal pengumuman hasil SKM belum tercatat", band=band)
    elif months is None:
        speed = translate(lang, "{band}: belum semua kegiatan RTL selesai", band=band)
    else:
        speed = translate(
            lang, "{months} bulan sejak hasil SKM diumumkan — {band}", months=months, band=band
        )
    return (
        Cell(rubric.indicator_8(follow.indicator_8), done, plans.evidence),
        Cell(rubric.indicator_9(follow.indicator_9), speed, plans.evidence),
    )


def _unit_row(
    row: RecapRow,
    method: str,
    forums: list[dict[str, Any]],
    publications: Publications | None,
    plans: Plans | None,
    open_findings: int,
    reports: list[Evidence],
    timezone: str,
    lang: str,
) -> UnitCompliance:
    surveyed, per_rule, cycles, why = survey_cell(row, method, lang)
    media = publications.media if publications else frozenset()
    followed = plans is not None and plans.follow.done > 0
    score6 = rubric.indicator_6(surveyed, per_rule, media, followed)
    if not surveyed:
        note6 = translate(lang, "tidak ada SKM tahun ini")
    elif not per_rule:
        note6 = why
    elif followed:
        note6 = translate(lang, "sesuai ketentuan; RTL yang diumumkan sudah ada kegiatan selesai")
    else:
        note6 = translate(lang, "sesuai ketentuan")
    pub_evidence = publications.evidence if publications else []
    plan_evidence = plans.evidence if plans else []
    fkp, groups = fkp_cell(forums, timezone, lang)
    rtl_done, rtl_speed = plan_cells(plans, lang)
    follow_reports = [e for e in reports if e.slot == "laporan_tindak_lanjut"]
    reports = [e for e in reports if e.slot == "laporan_skm"]
    rtl_done.evidence = [*rtl_done.evidence, *follow_reports]
    rtl_speed.evidence = [*rtl_speed.evidence, *follow_reports]
    cells = {
        "6": Cell(score6, note6, [*cycles, *reports, *pub_evidence, *plan_evidence]),
        "7": Cell(
            rubric.indicator_7(media), translate(lang, "{n} media", n=len(media)), pub_evidence
        ),
        "8": rtl_done,
        "9": rtl_speed,
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
        report_generated=bool(reports),
        plan_published=plans is not None,
    )


def nothing_sent(row: UnitCompliance, lang: str = "id") -> None:
    """A unit that sent nothing by the end of the filling phase scores an explicit 0 on every
    indicator; what the evidence alone would give stays in the note."""
    row.submitted = False
    for cell in row.indicators.values():
        cell.note = translate(lang, "{why}: nilai 0 (dari bukti saja: {score})",
                              why=translate(lang, NOTHING_SENT), score=cell.score)  # fmt: skip
        cell.score = 0


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
    lang: str = "id",
) -> Compliance:
    """Every active unit's row for the year (inspectors and administrators); ``sort`` is a column
    name, ``-`` first for descending; the cells' notes in ``lang``."""
    require(actor, Action.view_findings)
    descending = sort.startswith("-")
    column = sort.lstrip("-") or "unit"
    if column not in SORTS:
        raise ValidationFailed.single("sort", f"pilihan: {', '.join(SORTS)}")
    recap = await year_recap(actor, hooks, year, kind)
    ids = {u["code"]: u["id"] for u in await Unit.select(Unit.id, Unit.code)}
    forums = await forums_of(year, timezone)
    publications = await publications_of(year)
    reports = await reports_of(year, timezone)
    plans = await plans_of(actor, year, {ids[r.code]: r.code for r in recap.rows}, timezone)
    findings = await open_findings_by_unit()
    claims = await latest_by_unit(year)
    zero = await missed_filling(year)
    sent = {r["unit"] for r in await EvidenceFile.select(EvidenceFile.unit).where(
        EvidenceFile.year == year)}  # fmt: skip
    rows = []
    for row in recap.rows:
        unit_id = ids[row.code]
        unit_row = _unit_row(
            row,
            recap.method,
            forums.get(unit_id, []),
            publications.get(unit_id),
            plans.get(unit_id),
            findings.get(unit_id, 0),
            reports.get(unit_id, []),
            timezone,
            lang,
        )
        if unit_id in claims:
            computed = {code: cell.score for code, cell in unit_row.indicators.items()}
            unit_row.self_assessment = with_claims(claims[unit_id], computed)
            unit_row.over_claims = sum(c.flagged for c in unit_row.self_assessment.claims)
        elif zero and unit_id not in sent:
            nothing_sent(unit_row, lang)
        rows.append(unit_row)
    rows.sort(key=_sort_key(column), reverse=descending)
    return Compliance(year=year, units=rows)


async def unit_compliance(
    actor: Actor,
    hooks: Hooks,
    year: int,
    code: str,
    timezone: str = "Asia/Jakarta",
    lang: str = "id",
) -> UnitCompliance:
    """One unit's row of the matrix, for whoever may see the unit's findings (the inspectorate,
    administrators, the unit's own operators), its notes in ``lang``."""
    unit = await Unit.select(Unit.id, Unit.kind).where(Unit.code == code).first()
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    require(actor, Action.view_findings, unit["id"])
    matrix = await compliance_matrix(
        Actor.system(), hooks, year, unit["kind"], timezone=timezone, lang=lang
    )
    for row in matrix.units:
        if row.unit == code:
            return row
    raise NotFound("Unit tidak ditemukan.")
