"""Offline scoring of a respondent file (.csv or .xlsx) with one row per questionnaire.

Row 1 is the header; columns U1..U9 are required, U10, U11… optional (matched case-insensitively,
trimmed); other columns (profile, saran…) are ignored. An empty cell is a blank: not counted.
Every bad cell is reported, with its spreadsheet row number, before anything is scored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.plugin_api import ValidationFailed, cell_text, read_table
from plugins.skm.questionnaire import STANDARD_CODES
from plugins.skm.scoring import ANSWER_VALUES, SkmScore, round_half_up, score_tallies

_UNSUR_HEADER_RE = re.compile(r"[Uu]([1-9][0-9]*)")
_NUMBER_RE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


@dataclass
class RowError:
    """A problem in the file; ``row`` is the 1-based spreadsheet row (header 1, 0 = whole file)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row > 0:
            where.append(f"baris {self.row}")
        if self.column:
            where.append(f"kolom {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class TabularError(ValueError):
    """The file cannot be scored; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def _read(path: Path) -> list[dict[str, str]]:
    try:
        return read_table(path.read_bytes(), path.name)
    except ValidationFailed as exc:
        raise TabularError(
            [
                RowError(e.row or 0, e.field if e.field != "file" else "", e.message)
                for e in exc.errors
            ]
        ) from exc


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read the data rows of a .csv or .xlsx file as {header: cell text}, header row excluded.

    CSV is read as UTF-8 (with or without BOM), delimiter ``,`` or ``;`` (whichever the header uses
    more). XLSX: first sheet, header in row 1; whole-number floats become "4", not "4.0".
    Every data row is kept (empty ones too), so ``rows[i]`` is spreadsheet row ``i + 2``.
    Raises TabularError for duplicate header names, ValueError for other file types.
    """
    path = Path(path)
    if path.suffix.casefold() not in (".csv", ".xlsx", ".xlsm"):
        raise ValueError(f"format berkas tidak didukung: {path.name} (gunakan .csv atau .xlsx)")
    return _read(path)


def _parse_answer(text: str) -> int | str:
    """Return the answer value, or an Indonesian error message."""
    if not _NUMBER_RE.fullmatch(text):
        return f"bukan angka: {text!r}"
    number = Decimal(text.replace(",", "."))
    if number != number.to_integral_value():
        return f"bukan bilangan bulat: {text!r}"
    value = int(number)
    if value not in ANSWER_VALUES:
        return f"nilai {value} di luar 1–4"
    return value


def tally_rows(
    rows: Iterable[Mapping[str, str | None]],
) -> tuple[dict[str, dict[int, int]], int, list[RowError]]:
    """Tally answer rows (as from :func:`read_rows`; ``rows[i]`` is spreadsheet row ``i + 2``).

    Returns (tally, respondents, errors). Unsur columns are U1..U9 (required) and U10+ (optional),
    matched case-insensitively after trimming. Empty cells are blanks; entirely empty rows are
    skipped and not counted as respondents. Every bad cell is reported; if ``errors`` is not empty
    the caller must not score.
    """
    rows = list(rows)
    errors: list[RowError] = []
    if not rows:
        return {}, 0, [RowError(0, "", "tidak ada data responden")]

    headers: dict[str, None] = {}
    for row in rows:
        headers.update(dict.fromkeys(row))
    columns: dict[str, str] = {}  # unsur code → header key as written in the file
    for key in headers:
        match = _UNSUR_HEADER_RE.fullmatch(key.strip())
        if match:
            columns.setdefault(f"U{match.group(1)}", key)
    for code in STANDARD_CODES:
        if code not in columns:
            errors.append(RowError(1, code, f"kolom {code} wajib ada"))
    codes = sorted(columns, key=lambda c: int(c[1:]))

    tally: dict[str, dict[int, int]] = {code: {} for code in codes}
    filled: dict[str, bool] = dict.fromkeys(codes, False)
    respondents = 0
    for index, row in enumerate(rows):
        if not any(cell_text(v).strip() for v in row.values()):
            continue
        respondents += 1
        row_number = index + 2
        for code in codes:
            text = cell_text(row.get(columns[code])).strip()
            if not text:
                continue
            filled[code] = True
            parsed = _parse_answer(text)
            if isinstance(parsed, str):
                errors.append(RowError(row_number, code, parsed))
            else:
                tally[code][parsed] = tally[code].get(parsed, 0) + 1

    if respondents == 0:
        errors.append(RowError(0, "", "tidak ada data responden"))
    else:
        for code in codes:
            if not filled[code]:
                errors.append(RowError(0, code, "tidak ada satu jawaban pun"))
    return tally, respondents, errors


def score_file(path: Path, weight_mode: str = "exact") -> SkmScore:
    """Read, check and score a respondent file; raise TabularError listing every bad cell."""
    tally, respondents, errors = tally_rows(read_rows(path))
    if errors:
        raise TabularError(errors)
    return score_tallies(tally, respondents, weight_mode=weight_mode)


def _id_number(value: float, places: int) -> str:
    """Half-up rounded number with the Indonesian decimal comma: 82.345 → '82,35'."""
    return f"{round_half_up(value, places):f}".replace(".", ",")


def format_table(score: SkmScore) -> str:
    """Plain-text table of an SkmScore for terminals and logs (Indonesian decimal comma)."""
    head = ("Kode", "Unsur", "Jawaban", "NRR", "Konversi", "Mutu")
    body = [
        (
            u.code,
            u.name,
            str(u.answered),
            _id_number(u.nrr, 3),
            _id_number(u.konversi, 2),
            u.mutu,
        )
        for u in score.unsur
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    right = (False, False, True, True, True, False)

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    lines = [line(head), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in body]
    lines.append("")
    lines.append(f"Responden: {score.respondents}")
    if score.weight_mode != "exact":
        lines.append(f"Penimbang: mode {score.weight_mode} (kompatibilitas lembar kerja lama)")
    lines.append(f"IKM (1–4): {_id_number(score.ikm, 4)}")
    lines.append(f"Nilai konversi (25–100): {_id_number(score.konversi, 2)}")
    lines.append(f"Mutu: {score.mutu}")
    lines.append(f"Kinerja: {score.kinerja}")
    return "\n".join(lines)
