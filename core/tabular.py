"""Reading uploaded CSV and XLSX files into rows, with clear errors for unusable files.

Reading is streaming (csv's iterator, openpyxl's read-only mode) and stops at the row limit; an
XLSX is checked as an archive first (its unpacked size, and no DTD in any XML part, so neither a
"billion laughs" nor an external entity reaches the parser). ``read_upload`` does all of it in a
worker thread, so one big upload never holds up the requests of everyone else.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable

import anyio.to_thread

from core.errors import FieldError, ValidationFailed

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_INFLATED_BYTES = 64 * 1024 * 1024  # an XLSX's parts once unpacked, all together
MAX_ARCHIVE_MEMBERS = 2_000
MAX_ROWS = 20_000  # data rows (blank rows do not count) per uploaded file
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 64 * 1024


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


def rows_from_records(
    records: Iterable[Iterable[str]], max_rows: int = MAX_ROWS
) -> list[dict[str, str]]:
    """Rows as {header: text}; header row excluded, every data row kept (row i is line i + 2).

    Reading stops with a clear error at the first row past ``max_rows`` non-blank data rows;
    blank rows at the end are dropped.
    """
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
    filled = 0
    kept = 0  # rows up to the last non-blank one
    for cells in iterator:
        values = list(cells)
        rows.append({name: values[i] if i < len(values) else "" for i, name in header})
        if any(str(v).strip() for v in values):
            filled += 1
            kept = len(rows)
            if filled > max_rows:
                raise ValidationFailed(
                    [
                        FieldError(
                            "file", f"maksimal {max_rows} baris data per berkas", row=len(rows) + 1
                        )
                    ]
                )
    return rows[:kept]


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_rows(content: bytes, max_rows: int) -> list[dict[str, str]]:
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
    return rows_from_records(reader, max_rows)


def _formula_errors(header: list[str], number: int, cells: list[str]) -> list[FieldError]:
    """A formula cell has no value of its own to import: name each one (row, column)."""
    return [
        FieldError(
            header[i].strip() if i < len(header) and header[i].strip() else f"kolom {i + 1}",
            "berisi rumus; ganti dengan nilainya (Tempel Khusus → Nilai)",
            row=number,
        )
        for i, text in enumerate(cells)
        if text.startswith("=")
    ]


def _has_dtd(member: zipfile.ZipExtFile) -> bool:
    """Whether an XML part declares a DTD or an entity (read in chunks, UTF-16 parts decoded)."""
    head = member.read(_CHUNK)
    decoder = None
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        decoder = codecs.getincrementaldecoder("utf-16")()
    tail = b""
    chunk = head
    while chunk:
        data = decoder.decode(chunk).encode() if decoder else chunk
        window = tail + data
        if any(marker in window for marker in _DTD_MARKERS):
            return True
        tail = window[-16:]
        chunk = member.read(_CHUNK)
    return False


def check_xlsx_archive(content: bytes) -> None:
    """Refuse an XLSX whose parts unpack past MAX_INFLATED_BYTES or that carries a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationFailed.single("file", "berkas XLSX tidak dapat dibaca") from exc
    with archive:
        unpacked = sum(info.file_size for info in members)
        if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > MAX_INFLATED_BYTES:
            raise ValidationFailed.single(
                "file",
                f"isi berkas XLSX terlalu besar setelah dibuka (maksimal "
                f"{MAX_INFLATED_BYTES // (1024 * 1024)} MB); bagi menjadi beberapa berkas",
            )
        for info in members:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as member:
                    if _has_dtd(member):
                        raise ValidationFailed.single(
                            "file",
                            "berkas XLSX memuat deklarasi DTD/entitas XML yang tidak diterima; "
                            "simpan ulang berkas dari aplikasi lembar kerja",
                        )
            except (zipfile.BadZipFile, OSError, UnicodeDecodeError, NotImplementedError) as exc:
                raise ValidationFailed.single("file", "berkas XLSX tidak dapat dibaca") from exc


def _xlsx_rows(content: bytes, max_rows: int) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    check_xlsx_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed.single("file", "berkas XLSX tidak dapat dibaca") from exc
    formulas: list[FieldError] = []

    def records() -> Iterable[list[str]]:
        header: list[str] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in row]
            if number == 1:
                header = cells
            else:
                formulas.extend(_formula_errors(header, number, cells))
            yield cells

    try:
        sheet = workbook.worksheets[0]
        rows = rows_from_records(records(), max_rows)
    except ValidationFailed:
        raise
    except Exception as exc:  # a damaged sheet found while streaming it
        raise ValidationFailed.single("file", "berkas XLSX tidak dapat dibaca") from exc
    finally:
        workbook.close()
    if formulas:
        raise ValidationFailed(formulas)
    return rows


def read_table(content: bytes, filename: str, max_rows: int = MAX_ROWS) -> list[dict[str, str]]:
    """Data rows of a .csv (UTF-8, ``,`` or ``;``) or .xlsx (first sheet) upload."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed.single("file", "berkas lebih dari 10 MB")
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if suffix == "csv":
        return _csv_rows(content, max_rows)
    if suffix in ("xlsx", "xlsm"):
        return _xlsx_rows(content, max_rows)
    raise ValidationFailed.single(
        "file", f"format berkas tidak didukung: {filename} (.csv atau .xlsx)"
    )


async def read_upload(
    content: bytes, filename: str, max_rows: int = MAX_ROWS
) -> list[dict[str, str]]:
    """``read_table`` in a worker thread: parsing a big file never stalls the event loop."""
    return await anyio.to_thread.run_sync(read_table, content, filename, max_rows)


async def read_csv(content: bytes, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """CSV rows as (spreadsheet row number, {lower-case header: trimmed value}), blank rows skipped.

    Raises ValidationFailed naming the problem when the file cannot be used at all (not UTF-8,
    empty, a required column missing).
    """
    rows = await read_upload(content, "upload.csv")
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
