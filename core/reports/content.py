"""The content of a cycle's Laporan Hasil SKM, read from core's data (scores via the scoring service).

One ``CycleReportContent`` feeds every format (the on-screen page, PDF, XLSX, DOCX), so the
documents cannot disagree. It holds plain data only; the narrative is written from it in
:mod:`core.reports.narrative`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec

from core.accounts.policy import Actor
from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.reports.narrative import Narrative, write_narrative
from core.reports.photos import documentation_photos
from core.reports.publications import publication_entries
from core.reports.respondents import ANSWERS_AT, Respondent, cycle_responses
from core.reports.tables import CycleReport
from core.settings import Settings
from core.surveys import insights, labels
from core.surveys.methods import METHOD_LABELS
from core.surveys.periods import PERIOD_LABELS
from core.surveys.schemas import UnsurItem
from core.surveys.tables import COUNTED_SQL, Response
from core.units.tables import Unit, UnitKind

if TYPE_CHECKING:
    from core.reports.follow_up import FollowUpContent, PlanSection

# Bump when the documents change shape, so an unchanged cycle still gets the new layout.
LAYOUT_VERSION = 2
DIMENSION_LABELS = {**labels.DIMENSION_LABELS, "layanan": "Jenis layanan"}
SIGNATURE_FIELDS = ("tempat", "tanggal", "jabatan", "nama", "pangkat", "nip")
# Dataclasses, dates and tuples natively; dict keys sorted, so equal content gives equal bytes.
_ENCODER = msgspec.json.Encoder(enc_hook=str, order="deterministic")


@dataclass
class UnsurRow:
    """One unsur of the cycle with its NRR, weighted NRR, konversi and mutu."""

    code: str
    name: str
    answered: int
    total: int
    nrr: float | None
    tertimbang: float | None
    konversi: float | None
    mutu: str | None


@dataclass
class GroupRow:
    """One group of a respondent characteristic: how many and what share."""

    label: str
    respondents: int
    share: float
    konversi: float | None = None
    mutu: str | None = None


@dataclass
class ProcessingTable:
    """The lampiran table: one row per respondent, U1..Un, and the official footer rows."""

    codes: list[str]
    rows: list[tuple[int | None, ...]]
    jumlah: list[int]
    nrr: list[float | None]
    tertimbang: list[float | None]
    sum_tertimbang: float | None
    ikm_unit: float | None


@dataclass
class CycleReportContent:
    """Everything the Laporan Hasil SKM of one cycle says."""

    cycle_id: int
    regency: str
    unit_code: str
    unit_name: str
    unit_address: str
    unit_contact: str
    period_label: str
    year: int
    start_date: date
    end_date: date
    population: int
    minimum_sample: int
    collected: int
    channels: list[GroupRow]
    services: list[dict[str, Any]]
    profile: dict[str, list[GroupRow]]
    unsur: list[UnsurRow]
    weight: float | None
    ikm: float | None
    konversi: float | None
    mutu: str | None
    kinerja: str | None
    withheld: str | None
    """Why the index is not stated (a standard unsur nobody answered …), or None."""
    weakest: list[str]
    strongest: list[str]
    saran: list[str]
    saran_by_unsur: dict[str, list[str]]
    trend: list[dict[str, Any]]
    legend: list[dict[str, str]]
    questionnaire: list[dict[str, Any]]
    processing: ProcessingTable
    responses: list[Respondent]
    """Every counted response, oldest first (Data mentah, jawaban.csv); empty in the public version."""
    publications: list[dict[str, Any]]
    documentation: list[str]
    signature: dict[str, str]
    plan: PlanSection | None
    """The RTL table of BAB IV, when the cycle has a plan."""
    previous_follow_up: FollowUpContent | None
    """The Laporan Hasil Tindak Lanjut of the previous period (Lampiran 5), once one was made."""
    narrative: Narrative = field(default_factory=Narrative)
    public: bool = False  # the public version: only picked saran, no per-respondent rows
    published_saran: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        """sha256 of everything the documents show: equal content, equal documents."""
        data = _ENCODER.encode({"layout": LAYOUT_VERSION, "content": self})
        return hashlib.sha256(data).hexdigest()


async def regency_name(unit_id: int) -> str:
    """The name of the regency a unit belongs to (the pemda at the root of its hierarchy)."""
    current = (
        await Unit.select(Unit.id, Unit.parent, Unit.kind, Unit.name)
        .where(Unit.id == unit_id)
        .first()
    )
    seen: set[int] = set()
    while current is not None and current["parent"] and current["id"] not in seen:
        seen.add(current["id"])
        current = (
            await Unit.select(Unit.id, Unit.parent, Unit.kind, Unit.name)
            .where(Unit.id == current["parent"])
            .first()
        )
    if current is not None and current["kind"] == UnitKind.pemda.value:
        return str(current["name"])
    root = await Unit.select(Unit.name).where(Unit.kind == UnitKind.pemda.value).first()
    return str(root["name"]) if root else ""


def _unsur_rows(
    score: ScoreResult | None, items: list[UnsurItem]
) -> tuple[list[UnsurRow], float | None]:
    """Per-unsur rows in questionnaire order; the weight is what the method used (IKM / Σ NRR)."""
    by_code = {u.code: u for u in (score.unsur if score else ())}
    answered_nrr = [u.nrr for u in by_code.values() if u.nrr is not None]
    weight = (
        score.index / sum(answered_nrr)
        if score and score.index is not None and answered_nrr
        else None
    )
    total = score.respondents if score else 0
    rows = []
    for item in items:
        unsur = by_code.get(item.code)
        nrr = unsur.nrr if unsur else None
        rows.append(
            UnsurRow(
                code=item.code,
                name=unsur.name if unsur and unsur.name not in ("", item.code) else item.name,
                answered=unsur.answered if unsur else 0,
                total=total,
                nrr=nrr,
                tertimbang=nrr * weight if nrr is not None and weight is not None else None,
                konversi=unsur.konversi if unsur else None,
                mutu=unsur.mutu if unsur else None,
            )
        )
    return rows, weight


def _processing(
    responses: list[Respondent], codes: list[str], unsur: list[UnsurRow], score: ScoreResult | None
) -> ProcessingTable:
    """Answers of every respondent (oldest first) and the footer rows from the scoring service."""
    end = ANSWERS_AT + len(codes)
    rows = [response[ANSWERS_AT:end] for response in responses]
    return ProcessingTable(
        codes=codes,
        rows=rows,
        jumlah=[sum(filter(None, column)) for column in zip(*rows, strict=True)]
        if rows
        else [0] * len(codes),
        nrr=[u.nrr for u in unsur],
        tertimbang=[u.tertimbang for u in unsur],
        sum_tertimbang=score.index if score else None,
        ikm_unit=score.konversi if score else None,
    )


def _groups(rows: list[dict[str, Any]], names: dict[str, str] | None = None) -> list[GroupRow]:
    return [
        GroupRow(
            label=(names or {}).get(r["group"], r["group"] or "Tidak diisi"),
            respondents=r["respondents"],
            share=r["share"],
            konversi=r["score"].konversi if r.get("score") else None,
            mutu=r["score"].mutu if r.get("score") else None,
        )
        for r in rows
    ]


async def _methods(cycle_id: int, total: int) -> list[GroupRow]:
    """Respondents per collection method (tatap muka, mandiri, elektronik, FGD …)."""
    rows = await Response.raw(
        f"SELECT r.method AS method, COUNT(*) AS n FROM survey_response r WHERE r.cycle = {{}}"
        f" AND {COUNTED_SQL} GROUP BY r.method ORDER BY r.method",
        cycle_id,
    )
    return [
        GroupRow(
            label=METHOD_LABELS.get(r["method"], r["method"]),
            respondents=int(r["n"]),
            share=int(r["n"]) / total if total else 0.0,
        )
        for r in rows
    ]


def _saran(responses: list[Respondent]) -> list[str]:
    """The respondents' saran, oldest first (blank ones left out)."""
    return [text for text in (response[-1].strip() for response in responses) if text]


def _saran_about(saran: list[str], unsur: list[UnsurRow], codes: list[str]) -> dict[str, list[str]]:
    """The saran that mention each chosen unsur by a word of its name (at most five each)."""
    stop = {"dan", "yang", "di", "ke", "dari", "atau", "pelayanan", "jenis", "unsur", "terkait"}
    found: dict[str, list[str]] = {}
    said = [(s, set(s.lower().replace(",", " ").split())) for s in saran] if codes else []
    for row in unsur:
        if row.code not in codes:
            continue
        words = {
            w.strip(",./()").lower()
            for w in row.name.replace("/", " ").split()
            if len(w) > 3 and w.lower() not in stop
        }
        found[row.code] = [s for s, mentioned in said if words & mentioned][:5]
    return found


def _until(trend: list[insights.TrendPoint], cycle_id: int) -> list[insights.TrendPoint]:
    """The unit's trend up to this cycle (later periods are not part of this period's report)."""
    ids = [p.cycle_id for p in trend]
    return trend[: ids.index(cycle_id) + 1] if cycle_id in ids else trend


async def unit_texts(cycle_id: int) -> dict[str, Any]:
    """The unit's own texts for the report (empty when it wrote none)."""
    row = await CycleReport.select().where(CycleReport.cycle == cycle_id).first()
    if row is None:
        return {"latar_belakang": "", "kesimpulan": "", "rekomendasi": "", "signature": {}}
    signature = row["signature"]
    if isinstance(signature, str):
        signature = json.loads(signature or "{}")
    return {
        "latar_belakang": row["latar_belakang"],
        "kesimpulan": row["kesimpulan"],
        "rekomendasi": row["rekomendasi"],
        "signature": signature,
    }


async def cycle_report_content(
    actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int
) -> CycleReportContent:
    """The report of a cycle the actor may see, from its scores, responses and the unit's texts."""
    from core.reports.follow_up import plan_section, previous_follow_up
    from core.surveys.cycles import cycle_row

    row = await cycle_row(actor, cycle_id)
    unit = await Unit.select().where(Unit.id == row["unit"]).first()
    board = await insights.unit_dashboard(actor, settings, hooks, unit["code"], cycle_id)
    cycle = board.cycle
    assert cycle is not None
    score = board.score
    items = await insights.cycle_items(hooks, row)
    unsur, weight = _unsur_rows(score, items)
    answered = [u for u in unsur if u.nrr is not None]
    strongest: list[str] = []
    if answered:
        highest = max(u.nrr for u in answered if u.nrr is not None)
        strongest = [u.code for u in answered if u.nrr == highest and u.code not in board.weakest]
    codes = [i.code for i in items]
    responses = await cycle_responses(cycle_id, codes)
    saran = _saran(responses)
    layanan = [
        {
            "code": s.code,
            "name": s.name or "Tanpa jenis layanan",
            "collected": s.collected,
            "minimum": s.minimum_sample,
            "share": s.collected / cycle.collected if cycle.collected else 0.0,
            "konversi": s.score.konversi if s.score else None,
            "mutu": s.score.mutu if s.score else None,
            "kinerja": s.score.kinerja if s.score else None,
        }
        for s in board.services
    ]
    profile = {
        name: _groups(rows, labels.PROFILE_LABELS.get(name))
        for name, rows in board.breakdowns.items()
    }
    texts = await unit_texts(cycle_id)
    contact = " · ".join(x for x in (unit["phone"], unit["email"]) if x)
    content = CycleReportContent(
        cycle_id=cycle_id,
        regency=await regency_name(unit["id"]),
        unit_code=unit["code"],
        unit_name=unit["name"],
        unit_address=unit["address"],
        unit_contact=contact,
        period_label=PERIOD_LABELS.get(cycle.period_type, cycle.period_type),
        year=cycle.year,
        start_date=cycle.start_date,
        end_date=cycle.end_date,
        population=cycle.population,
        minimum_sample=cycle.minimum_sample,
        collected=cycle.collected,
        channels=await _methods(cycle_id, cycle.collected),
        services=layanan,
        profile=profile,
        unsur=unsur,
        weight=weight,
        ikm=score.index if score else None,
        konversi=score.konversi if score else None,
        mutu=score.mutu if score else None,
        kinerja=score.kinerja if score else None,
        withheld=score.withheld if score else None,
        weakest=list(board.weakest),
        strongest=strongest,
        saran=saran,
        saran_by_unsur=_saran_about(saran, unsur, [*board.weakest, *strongest]),
        trend=[
            {
                "label": p.label,
                "year": p.year,
                "konversi": p.konversi,
                "mutu": p.mutu,
                "respondents": p.respondents,
                "current": p.cycle_id == cycle_id,
            }
            for p in _until(board.trend, cycle_id)
        ],
        legend=board.legend,
        questionnaire=[
            {"code": i.code, "name": i.name, "question": i.question, "labels": list(i.labels)}
            for i in items
        ],
        processing=_processing(responses, codes, unsur, score),
        responses=responses,
        publications=await publication_entries(settings.data_dir, cycle_id),
        documentation=documentation_photos(settings.data_dir, cycle_id),
        signature={k: str(texts["signature"].get(k, "")) for k in SIGNATURE_FIELDS},
        plan=await plan_section(cycle_id),
        previous_follow_up=await previous_follow_up(cycle_id, settings.data_dir),
    )
    content.narrative = write_narrative(content, texts)
    return content
