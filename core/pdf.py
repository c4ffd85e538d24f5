"""PDF from HTML through WeasyPrint, which needs the Pango system library.

The app starts without Pango: every document also has a print page, and asking for a PDF where
WeasyPrint cannot load raises ``PdfUnavailable`` with what to install.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

# WeasyPrint logs every rendering step ("Step 5 - Creating layout - Page 12") at INFO; the worker
# log is read by people at INFO, so only its warnings (a missing image, a bad CSS rule) stay.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf_missing(page: str) -> str:
    """The message for a missing Pango, pointing at the print page of the document (``page``)."""
    return (
        "PDF belum tersedia di server ini: pasang pustaka Pango (apt install libpango-1.0-0 "
        "libpangoft2-1.0-0) dan paket Python weasyprint; sementara itu gunakan Cetak → Simpan "
        f"sebagai PDF dari halaman {page}."
    )


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the Pango library under it cannot be loaded on this machine."""

    def __init__(self, page: str = "dokumen") -> None:
        super().__init__(pdf_missing(page))


def pdf_available() -> bool:
    """Whether WeasyPrint (and the Pango library under it) can be loaded here."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def html_to_pdf(html: str, stylesheets: Sequence[Path] = (), page: str = "dokumen") -> bytes:
    """PDF bytes of a whole HTML document; ``PdfUnavailable`` without WeasyPrint or Pango."""
    try:
        from weasyprint import CSS, HTML  # needs Pango: imported only when a PDF is asked for
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(page) from exc
    try:
        return HTML(string=html).write_pdf(
            stylesheets=[CSS(filename=str(path)) for path in stylesheets]
        )
    except OSError as exc:  # a library under WeasyPrint missing at render time
        raise PdfUnavailable(page) from exc
