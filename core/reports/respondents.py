"""The counted responses of one cycle, read once for every per-respondent part of its report.

The processing table (Lampiran 2), the saran list and the raw rows (Data mentah, jawaban.csv)
are the same responses; one query reads them as tuples, oldest first.
"""

from __future__ import annotations

from typing import Any

from core.db import fetch_rows
from core.surveys.tables import COUNTED_SQL
from core.surveys.tallies import STANDARD

RAW_COLUMNS = (
    "no",
    "layanan",
    "metode",
    "tanggal",
    "jam",
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
    "pekerjaan_lain",
)
PROFILE_SQL = (
    "COALESCE(s.code, ''), r.method, r.filled_on, r.filled_time, r.jenis_kelamin, r.usia,"
    " r.pendidikan, r.pekerjaan, r.pekerjaan_lain"
)
ANSWERS_AT = len(RAW_COLUMNS) - 1
"""Where a response's answers start: after the profile columns (RAW_COLUMNS without "no")."""

Respondent = tuple[Any, ...]
"""One counted response: the profile (RAW_COLUMNS without "no"), the answers U1..Un, the saran.

Nothing that could trace a respondent (submission token, source key, who keyed it) is read."""


async def cycle_responses(cycle_id: int, codes: list[str]) -> list[Respondent]:
    """Every counted response of a cycle, oldest first, answers in the order of ``codes``."""
    standard = [code for code in codes if code in STANDARD]
    answers = "".join(f", r.{code.lower()}" for code in standard)
    rows = await fetch_rows(
        f"SELECT r.id, {PROFILE_SQL}{answers}, r.saran FROM survey_response r"
        " LEFT JOIN unit_service s ON s.id = r.service"
        f" WHERE r.cycle = {{}} AND {COUNTED_SQL} ORDER BY r.id",
        cycle_id,
    )
    if len(standard) == len(codes):  # the usual questionnaire: the rows as they come
        return [tuple(row[1:]) for row in rows]
    extra: dict[int, dict[str, int]] = {}
    for response, code, value in await fetch_rows(
        "SELECT e.response, e.code, e.value FROM survey_extra_answer e"
        " JOIN survey_response r ON r.id = e.response"
        f" WHERE r.cycle = {{}} AND {COUNTED_SQL}",
        cycle_id,
    ):
        extra.setdefault(response, {})[code] = value
    place = {code: ANSWERS_AT + 1 + index for index, code in enumerate(standard)}
    out = []
    for row in rows:
        mine = extra.get(row[0], {})
        profile = tuple(row[1 : ANSWERS_AT + 1])
        values = tuple(row[place[code]] if code in place else mine.get(code) for code in codes)
        out.append((*profile, *values, row[-1]))
    return out
