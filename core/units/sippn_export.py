"""The SIPPN export: for one unit (or every unit) and a period, the data SIPPN publishes.

Core gathers what only it can compute — the unit profile, its active services with their Standar
Pelayanan, and the SKM result through core's one scoring service (the year recap) — into a
``Dataset`` of kind ``"sippn"`` (one record per unit, shape in docs/sippn.md). The layout, the
validation and the file are the business of the export formats registered for that kind
(``plugins.sippn`` gives CSV, XLSX and JSON; another plugin may add more). Only closed cycles
count: a figure still moving is never sent to the national register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.accounts.policy import Action, Actor, require
from core.errors import FieldError, NotFound, ValidationFailed
from core.forums.tables import Forum
from core.hooks import Hooks
from core.plugin_api import Dataset, ExportFormat
from core.reports.tables import Publication
from core.surveys.periods import PERIOD_LABELS
from core.surveys.recap import RecapRow, year_recap
from core.surveys.tables import SurveyCycle
from core.units.service import list_units, unit_by_code
from core.units.standards import CODES, standards_by_service
from core.units.tables import Service
from core.units.validation import KIND_LABELS

SIPPN = "sippn"
PERIODS: tuple[str, ...] = ("tahunan", "s1", "s2", "tw1", "tw2", "tw3", "tw4")
"""Period codes an export can ask for (a cycle's period type); none means the whole year."""
YEAR = "tahun"
"""The period of a whole-year result: every closed cycle of the year, pooled."""


@dataclass(frozen=True)
class SippnFile:
    """A rendered export: bytes, media type, file name, and the units left out with the reason."""

    content: bytes
    media_type: str
    filename: str
    skipped: tuple[tuple[str, str], ...]


def sippn_formats(hooks: Hooks) -> dict[str, ExportFormat]:
    """The formats for a SIPPN dataset by the name the export is asked for: the code without
    its ``sippn-`` prefix (``sippn-json`` → ``json``)."""
    formats = hooks.export_formats(SIPPN)
    return {code.removeprefix(f"{SIPPN}-"): fmt for code, fmt in sorted(formats.items())}


def _check_period(period: str | None) -> None:
    if period is not None and period not in PERIODS:
        raise ValidationFailed.single(
            "period", f"periode tidak dikenal (pilihan: {', '.join(PERIODS)})"
        )


async def _cycle_dates(ids: list[int]) -> dict[int, tuple[date, date]]:
    if not ids:
        return {}
    rows = await SurveyCycle.select(
        SurveyCycle.id, SurveyCycle.start_date, SurveyCycle.end_date
    ).where(SurveyCycle.id.is_in(ids))
    return {row["id"]: (row["start_date"], row["end_date"]) for row in rows}


async def _report_url(cycle_ids: list[int]) -> str | None:
    """The link of the latest recorded publication (with a link) of these cycles, if any."""
    row = (
        await Publication.select(Publication.url)
        .where(Publication.cycle.is_in(cycle_ids) & (Publication.url != ""))
        .order_by(Publication.published_on, ascending=False)
        .order_by(Publication.id, ascending=False)
        .first()
    )
    return row["url"] if row else None


async def _skm(row: RecapRow | None, year: int, period: str | None) -> tuple[dict | None, str]:
    """The unit's final SKM result of the period as plain data, or None and the reason."""
    label = PERIOD_LABELS[period] if period else "tahun"
    if row is None or not row.surveyed:
        return None, f"tidak ada siklus SKM {label} {year}"
    cells = [
        c for c in row.cells if c.status != "draft" and (period is None or c.period_type == period)
    ]
    if not cells:
        return None, f"tidak ada siklus SKM {label} {year}"
    final = [c for c in cells if c.final]
    if not final:
        return None, f"siklus SKM {label} {year} masih dibuka (hanya siklus yang ditutup diekspor)"
    score = row.final if period is None else final[0].score
    if score is None:
        return None, f"siklus SKM {label} {year} belum punya jawaban"
    dates = await _cycle_dates([c.cycle_id for c in final])
    return {
        "year": year,
        "period": period or YEAR,
        "period_label": PERIOD_LABELS[period] if period else "Setahun (siklus yang ditutup)",
        "start": min(d[0] for d in dates.values()).isoformat(),
        "end": max(d[1] for d in dates.values()).isoformat(),
        "cycles": len(final),
        "open_cycles_excluded": len(cells) - len(final),
        "score": score.to_dict(),
        "report_url": await _report_url([c.cycle_id for c in final]),
    }, ""


async def _services(unit_id: int) -> list[dict[str, Any]]:
    rows = (
        await Service.select()
        .where((Service.unit == unit_id) & Service.active.eq(True))
        .order_by(Service.code)
    )
    stored = await standards_by_service([r["id"] for r in rows])
    forum_ids = sorted({s["forum"] for s in stored.values() if s["forum"]})
    forums = {}
    if forum_ids:
        for f in await Forum.select(Forum.id, Forum.title, Forum.start_at).where(
            Forum.id.is_in(forum_ids)
        ):
            forums[f["id"]] = {
                "id": f["id"],
                "title": f["title"],
                "date": f["start_at"].date().isoformat(),
            }
    services = []
    for row in rows:
        standard = stored.get(row["id"]) or {}
        services.append(
            {
                "code": row["code"],
                "name": row["name"],
                "standard": {code: standard.get(code, "") or "" for code in CODES},
                "set_on": standard["set_on"].isoformat() if standard.get("set_on") else None,
                "forum": forums.get(standard.get("forum")),
            }
        )
    return services


async def sippn_dataset(
    actor: Actor, hooks: Hooks, *, unit: str | None, year: int, period: str | None = None
) -> Dataset:
    """One record per unit with a final SKM result in the period (``unit=None``: every unit).

    A single unit without one is refused (422, naming it); with every unit, those without are
    left out and named in the summary lines (``("tidak diekspor", code, reason)``).
    """
    _check_period(period)
    if unit is None:
        require(actor, Action.view_recap)
        units = [u for u in await list_units(actor, include_inactive=False) if u.kind != "pemda"]
    else:
        units = [await unit_by_code(actor, unit)]
    recap = await year_recap(Actor.system(), hooks, year)
    rows = {row.code: row for row in recap.rows}
    records: list[dict[str, Any]] = []
    skipped: list[tuple[str, str, str]] = []
    for profile in units:
        skm, reason = await _skm(rows.get(profile.code), year, period)
        if skm is None:
            if unit is not None:
                raise ValidationFailed(
                    [FieldError(f"{profile.code}.skm", reason)],
                    f"Unit {profile.code} tidak dapat diekspor ke SIPPN",
                )
            skipped.append(("tidak diekspor", profile.code, reason))
            continue
        records.append(
            {
                "unit": {
                    "code": profile.code,
                    "name": profile.name,
                    "kind": profile.kind,
                    "kind_label": KIND_LABELS.get(profile.kind, profile.kind),
                    "parent": profile.parent,
                    "address": profile.address,
                    "phone": profile.phone,
                    "email": profile.email,
                },
                "services": await _services(profile.id),
                "skm": skm,
            }
        )
    if not records:
        raise ValidationFailed(
            [FieldError(f"{code}.skm", reason) for _, code, reason in skipped]
            or [FieldError("unit", "tidak ada unit aktif")],
            "Tidak ada unit dengan hasil SKM final untuk diekspor ke SIPPN",
        )
    name = f"sippn-{year}" + (f"-{period}" if period else "") + (f"-{unit}" if unit else "")
    return Dataset(
        name=name,
        title=f"Ekspor SIPPN {year}" + (f" {PERIOD_LABELS[period]}" if period else ""),
        columns=(),
        rows=(),
        summary=tuple(skipped),
        kind=SIPPN,
        records=tuple(records),
    )


async def export_sippn(
    actor: Actor,
    hooks: Hooks,
    *,
    unit: str | None,
    year: int,
    fmt: str,
    period: str | None = None,
) -> SippnFile:
    """The SIPPN file in the format named ``fmt`` (see :func:`sippn_formats`); the format
    validates before it writes, so a refusal (422, every unit and field named) leaves nothing."""
    formats = sippn_formats(hooks)
    if fmt not in formats:
        raise NotFound(f"Format ekspor SIPPN {fmt!r} tidak ada (tersedia: {', '.join(formats)}).")
    dataset = await sippn_dataset(actor, hooks, unit=unit, year=year, period=period)
    chosen = formats[fmt]
    return SippnFile(
        content=chosen.render(dataset),
        media_type=chosen.media_type,
        filename=f"{dataset.name}.{chosen.extension}",
        skipped=tuple((code, reason) for _, code, reason in dataset.summary),
    )
