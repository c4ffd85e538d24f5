"""Offline scoring of a respondent file (.csv or .xlsx) with one row per questionnaire.

Row 1 is the header; columns U1..U9 are required, U10, U11… optional (matched case-insensitively,
trimmed); other columns (profile, saran…) are ignored. An empty cell is a blank: not counted.
Every bad cell is reported, with its spreadsheet row number, before anything is scored.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.plugin_api import ValidationFailed, cell_text, read_table, rows_from_records
from plugins.skm.questionnaire import STANDARD_CODES
from plugins.skm.scoring import ANSWER_VALUES, SkmScore, round_half_up, score_tallies

_UNSUR_HEADER_RE = re.compile(r"[Uu]([1-9][0-9]*)")
_NUMBER_RE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_QUICK = {str(v): v for v in ANSWER_VALUES}  # a plain "1".."4" needs no parsing
MAX_ROWS = 10_000_000
"""Rows a file may have: a year of a province's responses, scored in well under a minute."""
MAX_ERRORS = 1000
"""Problems listed one by one; beyond this only their number is given."""


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
    skipped and not counted as respondents. Every bad cell is reported (up to MAX_ERRORS, then
    their number); if ``errors`` is not empty the caller must not score.
    """
    rows = list(rows)
    if not rows:
        return {}, 0, [RowError(0, "", "tidak ada data responden")]
    headers: dict[str, None] = {}
    for row in rows:
        headers.update(dict.fromkeys(row))
    names = list(headers)
    records = ([cell_text(row.get(name)) for name in names] for row in rows)
    return tally_records(names, records)


def tally_records(
    header: list[str], records: Iterable[list[str]]
) -> tuple[dict[str, dict[int, int]], int, list[RowError]]:
    """Tally a header and its data records (lists of cell text, the first is spreadsheet row 2)
    in one pass, keeping nothing of a row once counted: a file of any length fits in memory.

    Same rules as :func:`tally_rows`; columns without a header are ignored.
    """
    errors = _Errors()
    columns: dict[str, int] = {}  # unsur code → its column
    for index, key in enumerate(header):
        match = _UNSUR_HEADER_RE.fullmatch(key.strip())
        if match:
            columns.setdefault(f"U{match.group(1)}", index)
    for code in STANDARD_CODES:
        if code not in columns:
            errors.add(RowError(1, code, f"kolom {code} wajib ada"))
    codes = sorted(columns, key=lambda c: int(c[1:]))
    unsur = [(code, columns[code], [0] * 5) for code in codes]
    named = [i for i, key in enumerate(header) if key.strip()]
    respondents = 0
    for row_number, record in enumerate(records, start=2):
        if row_number > MAX_ROWS + 1:
            errors.add(RowError(row_number, "", f"lebih dari {MAX_ROWS:,} baris data"))
            break
        width = len(record)
        answered = False
        for code, index, counts in unsur:
            text = record[index] if index < width else ""
            value = _QUICK.get(text)
            if value is None:
                text = text.strip()
                if not text:
                    continue
                parsed = _parse_answer(text)
                if isinstance(parsed, str):
                    errors.add(RowError(row_number, code, parsed))
                    answered = True
                    continue
                value = parsed
            counts[value] += 1
            answered = True
        if answered or any(record[i].strip() for i in named if i < width):
            respondents += 1
    if respondents == 0:
        errors.add(RowError(0, "", "tidak ada data responden"))
    else:
        for code, _, counts in unsur:
            if not any(counts):
                errors.add(RowError(0, code, "tidak ada satu jawaban pun"))
    tally = {code: {v: n for v, n in enumerate(counts) if n} for code, _, counts in unsur}
    return tally, respondents, errors.listed()


class _Errors:
    """The first MAX_ERRORS problems, then only their number."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.more = 0

    def add(self, error: RowError) -> None:
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(error)
        else:
            self.more += 1

    def listed(self) -> list[RowError]:
        more = [RowError(0, "", f"dan {self.more:,} kesalahan lain")] if self.more else []
        return [*self.kept, *more]


def _csv_records(path: Path) -> Iterator[list[str]]:
    """The records of a CSV file read line by line (UTF-8 with or without BOM; ``,`` or ``;``,
    whichever the first non-blank line uses more); a bad byte or a NUL is a TabularError."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            head: list[str] = []
            for line in handle:
                head.append(line)
                if line.strip():
                    break
            delimiter = ";" if head and head[-1].count(";") > head[-1].count(",") else ","
            lines = _checked_lines(itertools.chain(head, handle))
            yield from csv.reader(lines, delimiter=delimiter)
        except UnicodeDecodeError as exc:
            message = "berkas CSV harus berenkode UTF-8 (simpan sebagai CSV UTF-8)"
            raise TabularError([RowError(0, "", message)]) from exc


def _checked_lines(lines: Iterable[str]) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise TabularError([RowError(number, "", "berisi karakter NUL")])
        yield line


def _score_csv(path: Path, weight_mode: str) -> SkmScore:
    records = _csv_records(path)
    header = next(records, [])
    try:
        rows_from_records([header])  # the header's own checks (a column named twice)
    except ValidationFailed as exc:
        raise TabularError([RowError(e.row or 0, e.field, e.message) for e in exc.errors]) from exc
    tally, respondents, errors = tally_records([h.strip() for h in header], records)
    if errors:
        raise TabularError(errors)
    return score_tallies(tally, respondents, weight_mode=weight_mode)


def score_file(path: Path, weight_mode: str = "exact") -> SkmScore:
    """Read, check and score a respondent file; raise TabularError listing every bad cell.

    A CSV file is read as a stream (any number of rows up to MAX_ROWS, in little memory); an
    XLSX file through core's reader, whole (up to its upload size).
    """
    path = Path(path)
    if path.suffix.casefold() == ".csv":
        return _score_csv(path, weight_mode)
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
