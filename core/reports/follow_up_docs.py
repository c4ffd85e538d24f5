"""The Laporan Hasil Tindak Lanjut as HTML (printed to PDF by WeasyPrint) and as DOCX."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from core.formatting import integer, number
from core.reports.follow_up import FollowUpContent
from core.reports.render import environment, html_document, regency_place
from core.reports.word import add_photo, add_signature, add_table

CLOSING = (
    "Demikian laporan hasil tindak lanjut ini disusun sebagai pertanggungjawaban pelaksanaan "
    "rencana tindak lanjut hasil Survei Kepuasan Masyarakat dan sebagai bahan evaluasi "
    "penyelenggaraan pelayanan publik."
)


def follow_up_html(f: FollowUpContent) -> str:
    """The whole HTML document with its print stylesheet (for the PDF)."""
    template = environment().get_template("tindak_lanjut.html")
    body = template.render(f=f, place=regency_place(f.regency), closing=CLOSING)
    return html_document(
        f"Laporan Hasil Tindak Lanjut {f.unit_name} {f.period_label} {f.year}", body
    )


def _day(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "—"


def follow_up_sections(doc: Any, f: FollowUpContent, level: int = 2) -> None:
    """Ringkasan, rekapitulasi and the account of every item (also the SKM report's Lampiran 5)."""
    doc.add_heading("1. Ringkasan", level=level)
    months = "belum semua kegiatan selesai"
    if f.months_to_complete is not None:
        months = f"{f.months_to_complete} bulan ({f.indicator_9})"
    elif f.total and f.done == f.total:
        months = "publikasi Laporan Hasil SKM belum tercatat"
    done = f"{f.done}" + (f" ({number(f.percent_done, 1)} %)" if f.percent_done is not None else "")
    add_table(doc, ("Uraian", "Keterangan"), [
        ("Status rencana tindak lanjut", f.plan_status),
        ("Disepakati dalam Forum Konsultasi Publik", f.forum or "—"),
        ("Publikasi Laporan Hasil SKM", _day(f.skm_published_on) if f.skm_published_on
         else "belum tercatat"),
        ("Kegiatan (tanpa yang dibatalkan)", str(f.total)),
        ("Kegiatan selesai", done),
        ("Kegiatan terakhir selesai", _day(f.last_done_on)),
        ("Waktu sejak publikasi hingga semua kegiatan selesai", months),
    ])  # fmt: skip
    doc.add_heading("2. Rekapitulasi Tindak Lanjut", level=level)
    add_table(
        doc,
        ("No", "Prioritas unsur", "Program/Kegiatan", "Waktu", "Penanggung jawab", "Status",
         "Realisasi"),
        [(i.number, i.unsur, i.program, i.waktu or "—", i.penanggung_jawab or "—",
          f"{i.status} ({i.progress} %)", _day(i.realised_on)) for i in f.items],
    )  # fmt: skip
    doc.add_paragraph(f.rollup_rule).runs[0].italic = True
    doc.add_heading("3. Uraian Pelaksanaan per Kegiatan", level=level)
    for i in f.items:
        title = f"{i.number}. {i.program}" + (f" ({i.unsur})" if i.unsur else "")
        doc.add_paragraph(title).runs[0].bold = True
        status = f"{i.status}, progres {i.progress} %"
        if i.realised_on:
            status += f", selesai {_day(i.realised_on)}"
        for label, text in (("Indikator keberhasilan", i.indicator), ("Status", status),
                            ("Hambatan", i.hambatan), ("Alasan dibatalkan", i.drop_reason),
                            ("Kesepakatan forum", "; ".join(i.agreements))):  # fmt: skip
            if text:
                paragraph = doc.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(text)
        if i.evidence:
            add_table(doc, ("Tanggal", "Tahapan / bukti", "Berkas atau tautan"), [
                (_day(e["on"]), e["title"] or "—", e["url"] or
                 f"{e['filename']} ({integer(e['size'])} bita), sha256 {e['sha256']}")
                for e in i.evidence
            ])  # fmt: skip
            for e in (e for e in i.evidence if e["photo"]):
                caption = f"{_day(e['on'])} · {e['title'] or e['filename']}"
                try:
                    add_photo(doc, e["photo"], caption, width_cm=7)
                except Exception:  # a file that passed the type check but is no readable image
                    doc.add_paragraph(f"{caption} [foto tidak dapat ditampilkan; lihat sha256]")
        else:
            doc.add_paragraph("Belum ada bukti pelaksanaan yang diunggah.")


def follow_up_docx(f: FollowUpContent) -> bytes:
    """The Laporan Hasil Tindak Lanjut as a Word document, to finish and sign."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    for text, bold, size in (
        (f.regency.upper(), False, 12),
        (f.unit_name.upper(), True, 12),
        (f.unit_address, False, 9),
        ("LAPORAN HASIL TINDAK LANJUT", True, 15),
        ("Rencana Tindak Lanjut Hasil Survei Kepuasan Masyarakat", False, 11),
        (f"{f.unit_name} · Periode {f.period_label} Tahun {f.year}", False, 11),
    ):
        if text:
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold, run.font.size = bold, Pt(size)
    follow_up_sections(doc, f)
    doc.add_paragraph(CLOSING)
    add_signature(doc, f.signature, regency_place(f.regency), f"Kepala {f.unit_name}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
