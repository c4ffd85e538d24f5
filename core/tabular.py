"""Reading uploaded CSV and XLSX files into rows, with clear errors for unusable files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from core.errors import FieldError, ValidationFailed

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def cell_text(value: object) -> str:
    """A spreadsheet cell as text; whole-number floats become "4", not "4.0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def rows_from_records(records: Iterable[Iterable[str]]) -> list[dict[str, str]]:
    """Rows as {header: text}; header row excluded, every data row kept (row i is line i + 2)."""
    iterator = iter(records)
    header_cells = next(iterator, None)
    if header_cells is None:
        return []
    header: list[tuple[int, str]] = []
    seen: set[str] = set()
    errors: list[FieldError] = []
    for index, raw in enumerate(header_cells):
        name = raw.strip()
        if not name:
            continue  # a column without a header carries nothing we can use
        if name.casefold() in seen:
            errors.append(FieldError(name, f"kolom '{name}' muncul lebih dari sekali", row=1))
            continue
        seen.add(name.casefold())
        header.append((index, name))
    if errors:
        raise ValidationFailed(errors)
    rows: list[dict[str, str]] = []
    for cells in iterator:
        values = list(cells)
        rows.append({name: values[i] if i < len(values) else "" for i, name in header})
    return rows


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.single(
            "file", "berkas CSV harus berenkode UTF-8 (simpan sebagai CSV UTF-8)"
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ValidationFailed([FieldError("file", "berisi karakter NUL", row=line)])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    return rows_from_records(reader)


def _refuse_formulas(records: list[list[str]]) -> None:
    """A formula cell has no value of its own to import: name each one (row, column)."""
    header = records[0] if records else []
    errors = [
        FieldError(
            header[i].strip() if i < len(header) and header[i].strip() else f"kolom {i + 1}",
            "berisi rumus; ganti dengan nilainya (Tempel Khusus → Nilai)",
            row=number,
        )
        for number, cells in enumerate(records[1:], start=2)
        for i, text in enumerate(cells)
        if text.startswith("=")
    ]
    if errors:
        raise ValidationFailed(errors)


def _xlsx_rows(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed.single("file", "berkas XLSX tidak dapat dibaca") from exc
    try:
        sheet = workbook.worksheets[0]
        records = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    _refuse_formulas(records)
    return rows_from_records(records)


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """Data rows of a .csv (UTF-8, ``,`` or ``;``) or .xlsx (first sheet) upload."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed.single("file", "berkas lebih dari 10 MB")
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if suffix == "csv":
        return _csv_rows(content)
    if suffix in ("xlsx", "xlsm"):
        return _xlsx_rows(content)
    raise ValidationFailed.single(
        "file", f"format berkas tidak didukung: {filename} (.csv atau .xlsx)"
    )


def read_csv(content: bytes, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """CSV rows as (spreadsheet row number, {lower-case header: trimmed value}), blank rows skipped.

    Raises ValidationFailed naming the problem when the file cannot be used at all (not UTF-8,
    empty, a required column missing).
    """
    rows = read_table(content, "upload.csv")
    if not rows and not content.strip():
        raise ValidationFailed.single("file", "berkas kosong")
    header = {name.lower() for row in rows[:1] for name in row}
    if not header:
        first = content.decode("utf-8-sig", errors="replace").splitlines()[:1]
        header = {h.strip().lower() for line in first for h in line.replace(";", ",").split(",")}
    missing = [name for name in required if name not in header]
    if missing:
        raise ValidationFailed.single(
            "file", f"kolom wajib tidak ada di baris judul: {', '.join(missing)}"
        )
    numbered = []
    for number, row in enumerate(rows, start=2):
        if any(v.strip() for v in row.values()):
            numbered.append((number, {k.lower(): v.strip() for k, v in row.items()}))
    return numbered
