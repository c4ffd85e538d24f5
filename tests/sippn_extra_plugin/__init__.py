"""A test plugin adding one more SIPPN format (one JSON line per unit) through the export hook."""

from __future__ import annotations

import json

from core.plugin_api import Dataset, ExportFormat, hookimpl


def render_ndjson(dataset: Dataset) -> bytes:
    """One line per unit record: its code and the konversi core computed."""
    lines = [
        json.dumps({"unit": r["unit"]["code"], "konversi": r["skm"]["score"]["konversi"]})
        for r in dataset.records
    ]
    return ("\n".join(lines) + "\n").encode()


@hookimpl
def suara_export_formats():
    return [
        ExportFormat(
            "sippn-ndjson",
            "SIPPN (NDJSON)",
            "application/x-ndjson",
            "ndjson",
            render_ndjson,
            "sippn",
        )
    ]
