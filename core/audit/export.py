"""The audit log as CSV for inspectors: every field, the hashes, and labels as people read them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Actor
from core.audit.actions import action_label, entity_label
from core.audit.service import AuditFilter, all_events
from core.cells import safe_row

HEADER = (
    "id",
    "waktu",
    "pengguna",
    "tindakan",
    "kode_tindakan",
    "jenis_data",
    "kode_jenis_data",
    "id_data",
    "unit_id",
    "sebelum",
    "sesudah",
    "hash_sebelumnya",
    "hash",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """Text for a cell; one a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _local(moment: datetime, zone: str) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def event_row(event: dict[str, Any], zone: str) -> list[str]:
    """One event as CSV cells, its time in ``zone`` with the offset."""
    values = [
        event["id"],
        _local(event["at"], zone),
        event["actor"],
        ": ".join(action_label(event["action"])),
        event["action"],
        entity_label(event["entity"]),
        event["entity"],
        event["entity_id"],
        event["unit_id"],
        event["before"],
        event["after"],
        event["prev_hash"],
        event["hash"],
    ]
    return [_cell(v) for v in values]


def events_csv(actor: Actor, filters: AuditFilter) -> AsyncIterator[bytes]:
    """The matching events oldest first, as UTF-8 CSV with a BOM (so Excel shows the accents).

    Permission and filters are checked here, before the first byte is sent.
    """
    return _csv_chunks(all_events(actor, filters), filters.zone)


async def _csv_chunks(events: AsyncIterator[dict[str, Any]], zone: str) -> AsyncIterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    async for event in events:
        out.seek(0)
        out.truncate()
        writer.writerow(safe_row(event_row(event, zone)))
        yield out.getvalue().encode("utf-8")
