"""Reading uploaded CSV files into rows, with clear errors for unreadable input."""

from __future__ import annotations

import csv
import io

from core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def read_csv(content: bytes, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {lower-case header: trimmed value}); header is row 1.

    Accepts comma or semicolon separators and a UTF-8 byte-order mark. Entirely empty rows are
    skipped. Raises ValidationFailed naming the problem when the file cannot be used at all.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed.single("file", "berkas lebih dari 10 MB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.single(
            "file", "berkas bukan teks UTF-8 (simpan sebagai CSV UTF-8)"
        ) from exc
    if not text.strip():
        raise ValidationFailed.single("file", "berkas kosong")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [name for name in required if name not in header]
    if missing:
        raise ValidationFailed.single(
            "file", f"kolom wajib tidak ada di baris judul: {', '.join(missing)}"
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise ValidationFailed.single("file", f"baris {number}: lebih banyak kolom dari judul")
        padded = values + [""] * (len(header) - len(values))
        rows.append((number, {h: v.strip() for h, v in zip(header, padded, strict=True)}))
    return rows
