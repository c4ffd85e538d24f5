"""What every staff survey page shares: the app's settings and plugins, labels and formatters."""

from __future__ import annotations

from typing import Any

from litestar import Request

from core.hooks import Hooks
from core.settings import Settings
from core.surveys import labels
from core.surveys.methods import METHOD_LABELS
from web.formatting import integer, number, percent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def deps(request: Request) -> tuple[Settings, Hooks]:
    """The app's settings and plugin hooks."""
    return request.app.state.settings, request.app.state.hooks


def field_name(core_field: str) -> str:
    """Core's field names (answers.U3, profile.usia, service) as the staff forms name them."""
    name = (
        core_field.split(".", 1)[1]
        if core_field.startswith(("answers.", "profile."))
        else core_field
    )
    return "layanan" if name == "service" else name


def survey_context(**context: Any) -> dict[str, Any]:
    """Labels and number formatters every survey page uses, plus the page's own context."""
    return {
        "period_labels": labels.PERIOD_LABELS,
        "short_period_labels": labels.SHORT_PERIOD_LABELS,
        "status_labels": labels.STATUS_LABELS,
        "channel_labels": labels.CHANNEL_LABELS,
        "event_labels": labels.CYCLE_EVENT_LABELS,
        "profile_labels": labels.PROFILE_LABELS,
        "method_labels": METHOD_LABELS,
        "num": number,
        "integer": integer,
        "percent": percent,
        **context,
    }
