"""SIPPN export: the unit profile, its services with their Standar Pelayanan and the SKM result,
as CSV, XLSX and JSON in the layout of docs/sippn.md, checked before anything is written.

The formats render datasets of kind ``"sippn"`` that the core builds (``suara export sippn``,
``GET /api/v1/exports/sippn``, the buttons on the unit and recap pages). Delivering the file to a
national endpoint is a separate adapter (``suara sippn kirim``), off unless configured.
"""

from __future__ import annotations

from typing import Any

from core.plugin_api import ExportFormat, PluginContext, hookimpl
from plugins.sippn.delivery import send_command
from plugins.sippn.formats import XLSX, render_csv, render_json, render_xlsx

KIND = "sippn"


@hookimpl
def suara_export_formats(context: PluginContext) -> list[ExportFormat]:
    """SIPPN as CSV, XLSX and JSON."""
    return [
        ExportFormat(
            "sippn-csv", "SIPPN (CSV)", "text/csv; charset=utf-8", "csv", render_csv, KIND
        ),
        ExportFormat("sippn-xlsx", "SIPPN (Excel)", XLSX, "xlsx", render_xlsx, KIND),
        ExportFormat("sippn-json", "SIPPN (JSON)", "application/json", "json", render_json, KIND),
    ]


@hookimpl
def suara_register_commands(context: PluginContext) -> list[Any]:
    """``suara sippn kirim FILE``: the delivery adapter (refuses unless an endpoint is set)."""
    return [send_command(context.settings)]
