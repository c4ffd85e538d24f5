"""A minimal, complete Suara plugin that implements every hook.

The tests copy this folder into a temporary directory as the package ``suara_example_plugin`` with
its own ``.dist-info`` and load it through the ``suara`` entry-point group, exactly as an installed
third-party package would be loaded. It records what it receives so the tests can check it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import click
from litestar import Request, get
from litestar.response import Template

from core.plugin_api import (
    CandidateActivity,
    Dataset,
    ExportFormat,
    InterpretationBand,
    NotificationChannel,
    OutgoingMessage,
    PlanVocabulary,
    PluginContext,
    ScoreResult,
    ScoringMethod,
    Tally,
    UnsurResult,
    hookimpl,
)

TEMPLATES = Path(__file__).parent / "templates"

# What the plugin received, for the tests to inspect.
EVENTS: list[tuple[str, dict[str, Any]]] = []
SENT: list[OutgoingMessage] = []
CONTEXTS: list[PluginContext] = []


METHOD = "puas-4"
SATISFIED = (3, 4)
BANDS: tuple[InterpretationBand, ...] = (
    InterpretationBand("TP", "Tidak puas", "0,00", "49,99"),
    InterpretationBand("CP", "Cukup puas", "50,00", "69,99"),
    InterpretationBand("P", "Puas", "70,00", "84,99"),
    InterpretationBand("SP", "Sangat puas", "85,00", "100,00"),
)


def _band(percent: float) -> InterpretationBand:
    floors = (0.0, 50.0, 70.0, 85.0)
    return next(
        b for b, low in zip(reversed(BANDS), reversed(floors), strict=True) if percent >= low
    )


def satisfied_share(tally: Tally, respondents: int) -> ScoreResult:
    """A second method: the share (0–100) of answers 3 or 4, averaged over the questions."""
    rows: list[UnsurResult] = []
    for code in sorted(tally, key=lambda c: int(c[1:])):
        answered = sum(tally[code].values())
        if not answered:
            rows.append(UnsurResult(code=code, name=code, answered=0))
            continue
        share = 100 * sum(tally[code].get(v, 0) for v in SATISFIED) / answered
        band = _band(share)
        rows.append(
            UnsurResult(
                code=code,
                name=code,
                answered=answered,
                nrr=share,
                weighted=share / len(tally),
                konversi=share,
                mutu=band.mutu,
                kinerja=band.kinerja,
            )
        )
    silent = [row.code for row in rows if not row.answered]
    if respondents < 1 or silent:
        reason = f"pertanyaan tanpa jawaban: {', '.join(silent)}" if silent else "tanpa responden"
        return ScoreResult.withhold(METHOD, respondents, rows, reason)
    index = sum(row.weighted or 0 for row in rows)
    band = _band(index)
    return ScoreResult(METHOD, respondents, tuple(rows), index, index, band.mutu, band.kinerja)


def everyone(population: int) -> int:
    """No sampling: every member of the population is asked."""
    return population


def render_csv(dataset: Dataset) -> bytes:
    """A dataset's columns, rows and summary lines as UTF-8 CSV (semicolons)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(dataset.columns)
    writer.writerows(dataset.rows)
    writer.writerows(dataset.summary)
    return out.getvalue().encode("utf-8")


def remember(message: OutgoingMessage) -> None:
    """A channel that only keeps the message (a real one would send it and raise on failure)."""
    SENT.append(message)


@get("/contoh-plugin", name="contoh_plugin", include_in_schema=False)
async def contoh_page(request: Request) -> Template:
    """A page added by the plugin, rendered with its own template and the shared context."""
    from web.context import page  # the web layer is only needed in the web process

    return page(request, "contoh_plugin.html", events=len(EVENTS))


@click.command("contoh")
def contoh() -> None:
    """Say hello from the example plugin."""
    click.echo("halo dari plugin contoh")


@hookimpl
def suara_event(name: str, payload: dict[str, Any]) -> None:
    EVENTS.append((name, dict(payload)))


@hookimpl
def suara_scoring_methods(context: PluginContext) -> list[ScoringMethod]:
    CONTEXTS.append(context)
    return [
        ScoringMethod(
            code=METHOD,
            label="Persentase puas (contoh)",
            score=satisfied_share,
            minimum_sample=everyone,
            interpretation=BANDS,
            index_label="Persentase puas",
            konversi_label="Persentase puas (0–100)",
        )
    ]


@hookimpl
def suara_export_formats(context: PluginContext) -> list[ExportFormat]:
    return [
        ExportFormat(
            code="contoh-csv",
            label="CSV (contoh)",
            media_type="text/csv",
            extension="csv",
            render=render_csv,
        )
    ]


@hookimpl
def suara_notification_channels(context: PluginContext) -> list[NotificationChannel]:
    CONTEXTS.append(context)
    return [NotificationChannel(code="contoh", label="Kanal contoh", send=remember)]


@hookimpl
def suara_register_routes(context: PluginContext) -> list[Any]:
    return [contoh_page]


@hookimpl
def suara_template_dirs(context: PluginContext) -> list[Path]:
    return [TEMPLATES]


@hookimpl
def suara_register_commands(context: PluginContext) -> list[Any]:
    return [contoh]


@hookimpl
def suara_plan_vocabularies(context: PluginContext) -> list[PlanVocabulary]:
    """A unit's own words and activity: PKM-A's saran about its lift are about sarana (U8)."""
    return [
        PlanVocabulary(
            code="contoh-pkm-a",
            version="1",
            lexicon={"U8": ("lift",)},
            activities=(
                CandidateActivity("U8", "Memperbaiki lift pasien", "I", "Pengurus Barang"),
            ),
            unit="PKM-A",
        )
    ]
