"""A minimal, complete Suara plugin that implements every hook.

The tests copy this folder into a temporary directory as the package ``suara_example_plugin`` with
its own ``.dist-info`` and load it through the ``suara`` entry-point group, exactly as an installed
third-party package would be loaded. It records what it receives so the tests can check it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from litestar import Request, get
from litestar.response import Template

from core.plugin_types import (
    ExportFormat,
    NotificationChannel,
    OutgoingMessage,
    ScoringMethod,
    Tally,
)
from core.plugins import hookimpl

TEMPLATES = Path(__file__).parent / "templates"

# What the plugin received, for the tests to inspect.
EVENTS: list[tuple[str, dict[str, Any]]] = []
SENT: list[OutgoingMessage] = []


def mean_score(tally: Tally, respondents: int) -> float:
    """The mean of every answer value, weighted by how often it was given."""
    total = sum(value * count for answers in tally.values() for value, count in answers.items())
    answered = sum(count for answers in tally.values() for count in answers.values())
    return total / answered if answered else 0.0


def everyone(population: int) -> int:
    """No sampling: every member of the population is asked."""
    return population


def render_csv(dataset: Mapping[str, Any]) -> bytes:
    """A dataset with ``columns`` and ``rows`` as UTF-8 CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(dataset["columns"])
    writer.writerows(dataset["rows"])
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
def suara_scoring_methods() -> list[ScoringMethod]:
    return [
        ScoringMethod(
            code="mean",
            label="Rata-rata jawaban",
            score=mean_score,
            minimum_sample=everyone,
            questionnaire=(),
        )
    ]


@hookimpl
def suara_export_formats() -> list[ExportFormat]:
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
def suara_notification_channels() -> list[NotificationChannel]:
    return [NotificationChannel(code="contoh", label="Kanal contoh", send=remember)]


@hookimpl
def suara_register_routes() -> list[Any]:
    return [contoh_page]


@hookimpl
def suara_template_dirs() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def suara_register_commands() -> list[Any]:
    return [contoh]
