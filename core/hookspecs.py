"""Every hook a Suara plugin can implement: the contract plugins are written against.

Hooks receive ids and plain data, never ORM rows or the request, so the same hook runs in the web
process and in a background worker. The list hooks receive a :class:`PluginContext` (the
installation's settings), so a plugin never reads the environment itself. Each hook returns plain
values the core then validates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pluggy

from core.plugin_api import (
    PROJECT_NAME,
    ExportFormat,
    NotificationChannel,
    PlanVocabulary,
    PluginContext,
    ScoringMethod,
)

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def suara_event(name: str, payload: dict[str, Any]) -> None:
    """React to a committed domain event such as ``unit.created`` (runs in the worker)."""


@hookspec
def suara_scoring_methods(context: PluginContext) -> list[ScoringMethod]:
    """Return the survey scoring methods this plugin provides (e.g. PermenPAN-RB 14/2017 SKM)."""


@hookspec
def suara_export_formats(context: PluginContext) -> list[ExportFormat]:
    """Return the export formats this plugin provides (e.g. the SIPPN upload file)."""


@hookspec
def suara_notification_channels(context: PluginContext) -> list[NotificationChannel]:
    """Return the notification channels this plugin provides (e-mail, in-app, webhook …)."""


@hookspec
def suara_register_routes(context: PluginContext) -> list[Any]:
    """Return Litestar route handlers, controllers or routers to mount in the web app."""


@hookspec
def suara_template_dirs(context: PluginContext) -> list[Path]:
    """Return template folders searched before the built-in ones (to add or override pages)."""


@hookspec
def suara_register_commands(context: PluginContext) -> list[Any]:
    """Return click commands to add to the ``suara`` command line (e.g. ``suara skm``)."""


@hookspec
def suara_plan_vocabularies(context: PluginContext) -> list[PlanVocabulary]:
    """Return saran ↔ unsur lexicons and candidate activities for drafting improvement plans."""
