"""The report as DOCX (python-docx), with the same content as the PDF, for officers to finish in Word."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from html import escape
from typing import Any

from core import charts
from core.formatting import integer, number, percent
from core.reports.content import DIMENSION_LABELS, CycleReportContent
from core.reports.infographic import svg_to_png
from core.reports.narrative import LEGAL_BASIS
from core.reports.render import chart_data, place_of


def add_table(
    doc: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = ""
) -> None:
    """A bordered table, written as one piece of WordprocessingML (python-docx's cell-by-cell API
    takes seconds for a processing table of a few hundred respondents)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    if caption:
        doc.add_paragraph(caption).runs[0].bold = True

    def cell(value: Any, bold: bool = False) -> str:
        text = escape("" if value is None else str(value))
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return f'<w:tc><w:p><w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'

    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="555555"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    head = (
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + "".join(cell(h, True) for h in header) + "</w:tr>"
    )
    body = "".join("<w:tr>" + "".join(cell(v) for v in row) + "</w:tr>" for row in rows)
    grid = "".join("<w:gridCol/>" for _ in header)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
        f"<w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        f"{head}{body}</w:tbl>"
    )
    doc.add_paragraph()._p.addprevious(parse_xml(xml))


def _chart(doc: Any, svg: str, caption: str) -> None:
    from docx.shared import Cm

    png = svg_to_png(svg, 1280)
    if png is None:
        doc.add_paragraph(f"[{caption}: grafik tersedia pada PDF dan halaman laporan]")
        return
    doc.add_picture(io.BytesIO(png), width=Cm(15))
    doc.add_paragraph(caption).runs[0].italic = True


def _cover(doc: Any, c: CycleReportContent) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for text, bold, size in (
        (c.regency.upper(), False, 13),
        (c.unit_name.upper(), True, 13),
        (c.unit_address, False, 9),
        ("", False, 11),
        ("LAPORAN HASIL\nSURVEI KEPUASAN MASYARAKAT", True, 20),
        (c.unit_name, True, 15),
        (f"Periode {c.period_label} Tahun {c.year}", False, 12),
        (f"({c.start_date:%d-%m-%Y} s.d. {c.end_date:%d-%m-%Y})", False, 11),
        (
            f"IKM {number(c.konversi)} · Mutu {c.mutu} ({c.kinerja})"
            if c.konversi is not None
            else "",
            True,
            13,
        ),
        (f"{c.regency}\n{c.year}", True, 12),
    ):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
        from docx.shared import Pt

        run.font.size = Pt(size)
    doc.add_page_break()


def _paragraphs(doc: Any, texts: Sequence[str]) -> None:
    for text in texts:
        doc.add_paragraph(text)


def add_photo(doc: Any, data_uri: str, caption: str, width_cm: float = 12) -> None:
    """A stored photo (a data: URI from the content) with its caption."""
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])), width=Cm(width_cm))
    doc.add_paragraph(caption)


def _chapter(doc: Any, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_page_break()
    heading = doc.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _results(doc: Any, c: CycleReportContent) -> None:
    _chapter(doc, "BAB III\nHASIL PENGOLAHAN DATA SKM")
    doc.add_heading("3.1 Karakteristik Responden", level=2)
    for index, (name, groups) in enumerate(c.profile.items(), start=1):
        add_table(
            doc,
            ("Kelompok", "Jumlah", "Persentase"),
            [(g.label, integer(g.respondents), percent(g.share)) for g in groups],
            f"Tabel 3.{index} Responden menurut {DIMENSION_LABELS[name].lower()}",
        )
    add_table(
        doc,
        ("Jenis layanan", "Jumlah", "Persentase"),
        [(s["name"], integer(s["collected"]), percent(s["share"])) for s in c.services],
        "Responden menurut jenis layanan",
    )
    doc.add_heading("3.2 Indeks Kepuasan Masyarakat per Unsur", level=2)
    if c.konversi is None:
        doc.add_paragraph("Belum ada jawaban yang dapat diolah.")
        return
    rows = [
        (
            u.code,
            u.name,
            number(u.nrr, 3),
            number(u.tertimbang, 3),
            number(u.konversi),
            u.mutu or "—",
        )
        for u in c.unsur
    ]
    rows.append(("", "IKM (Σ NRR tertimbang, skala 1–4)", "", number(c.ikm, 3), "", ""))
    rows.append(
        ("", "IKM unit (konversi 25–100)", "", "", number(c.konversi), f"{c.mutu} ({c.kinerja})")
    )
    add_table(
        doc, ("Kode", "Unsur", "NRR", "NRR tertimbang", "Konversi", "Mutu"), rows, "Nilai per unsur"
    )
    doc.add_heading("3.3 Indeks Kepuasan Masyarakat Unit", level=2)
    _paragraphs(doc, c.narrative.hasil)
    scored = [s for s in c.services if s["konversi"] is not None]
    if len(scored) > 1:
        add_table(
            doc,
            ("Jenis layanan", "Responden", "IKM", "Mutu", "Kinerja"),
            [
                (s["name"], integer(s["collected"]), number(s["konversi"]), s["mutu"], s["kinerja"])
                for s in scored
            ],
            "IKM per jenis layanan",
        )
    unsur, _, legend = chart_data(c)
    _chart(
        doc,
        charts.unsur_bars(
            unsur,
            c.weakest,
            chart_id="docx-unsur",
            legend=legend,
            width=640,
            title="Nilai rata-rata (NRR) per unsur, skala 1–4",
        ),
        "Gambar 3.1 NRR per unsur pelayanan",
    )
    add_table(
        doc,
        ("Interval konversi", "Mutu", "Kinerja unit pelayanan"),
        [(f"{b['low']} – {b['high']}", b["mutu"], b["kinerja"]) for b in legend],
        "Nilai persepsi, interval dan mutu pelayanan",
    )


def _analysis(doc: Any, c: CycleReportContent) -> None:
    _chapter(doc, "BAB IV\nANALISIS HASIL SKM")
    doc.add_heading("4.1 Analisis Unsur", level=2)
    _paragraphs(doc, c.narrative.analisis)
    for code in [*c.weakest, *c.strongest]:
        quotes = c.saran_by_unsur.get(code, [])
        if quotes:
            doc.add_paragraph(f"Saran responden terkait {code}:").runs[0].bold = True
            for quote in quotes:
                doc.add_paragraph(f"“{quote}”", style="List Bullet")
    doc.add_heading("4.2 Rencana Tindak Lanjut", level=2)
    if c.plan is not None:
        doc.add_paragraph(c.plan.summary)
        add_table(doc, c.plan.columns, c.plan.rows, "Tabel 4.1 Rencana Tindak Lanjut")
    else:
        doc.add_paragraph(
            "Rencana tindak lanjut atas unsur prioritas disusun bersama masyarakat dalam Forum "
            "Konsultasi Publik; rencana belum tercatat di sistem untuk periode ini."
        )
    doc.add_heading("4.3 Tren Nilai SKM", level=2)
    _, trend, legend = chart_data(c)
    if any(not p["current"] and p["konversi"] is not None for p in c.trend):
        _chart(
            doc,
            charts.trend_columns(trend, chart_id="docx-tren", legend=legend, width=640),
            f"Gambar 4.1 Tren IKM {c.unit_name}",
        )
    else:
        doc.add_paragraph(
            "Periode ini adalah pengukuran pertama unit di sistem; tren belum dapat digambarkan."
        )


def _closing(doc: Any, c: CycleReportContent) -> None:
    _chapter(doc, "BAB V\nPENUTUP")
    doc.add_heading("5.1 Kesimpulan", level=2)
    _paragraphs(doc, c.narrative.kesimpulan)
    doc.add_heading("5.2 Rekomendasi", level=2)
    for text in c.narrative.rekomendasi:
        doc.add_paragraph(text, style="List Number")
    add_signature(doc, c.signature, place_of(c), f"Kepala {c.unit_name}")


def add_signature(doc: Any, s: dict[str, str], place: str, jabatan: str) -> None:
    """The signature block: place and date, jabatan, space to sign, nama, pangkat, NIP."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = [
        f"{s.get('tempat') or place}, {s.get('tanggal') or '....................'}",
        s.get("jabatan") or jabatan,
        "\n\n\n",
        s.get("nama") or "(........................................)",
        s.get("pangkat", ""),
        f"NIP {s.get('nip') or '....................................'}",
    ]
    for line in lines:
        if line:
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _appendix(doc: Any, c: CycleReportContent) -> None:
    _chapter(doc, "LAMPIRAN")
    doc.add_heading("Lampiran 1. Kuesioner", level=2)
    for q in c.questionnaire:
        doc.add_paragraph(f"{q['code']} · {q['name']}").runs[0].bold = True
        doc.add_paragraph(q["question"])
        doc.add_paragraph(
            "   ".join(f"{'abcd'[i]}. {label}" for i, label in enumerate(q["labels"]))
        )
    doc.add_heading("Lampiran 2. Pengolahan data per responden dan per unsur", level=2)
    t = c.processing
    rows: list[list[Any]] = [[n, *values] for n, values in enumerate(t.rows, start=1)]
    blank = [""] * (len(t.codes) - 1)
    rows += [
        ["Jumlah nilai per unsur", *[integer(v) for v in t.jumlah]],
        ["NRR per unsur", *[number(v, 3) for v in t.nrr]],
        ["NRR tertimbang per unsur", *[number(v, 3) for v in t.tertimbang]],
        ["Σ NRR tertimbang", number(t.sum_tertimbang, 3), *blank],
        ["IKM unit", number(t.ikm_unit), *blank],
    ]
    add_table(doc, ("No", *t.codes), rows)
    doc.add_heading("Lampiran 3. Dokumentasi", level=2)
    for index, photo in enumerate(c.documentation, start=1):
        add_photo(doc, photo, f"Foto dokumentasi {index}")
    if not c.documentation:
        doc.add_paragraph("Belum ada foto dokumentasi yang diunggah.")
    doc.add_heading("Lampiran 4. Bukti Publikasi", level=2)
    if c.publications:
        add_table(
            doc,
            ("Media", "Tanggal", "Tautan"),
            [(p["media"], f"{p['date']:%d-%m-%Y}", p["url"]) for p in c.publications],
        )
        for index, p in enumerate((p for p in c.publications if p["photo"]), start=1):
            add_photo(
                doc, p["photo"], f"Bukti publikasi {index}: {p['media']}, {p['date']:%d-%m-%Y}"
            )
    else:
        doc.add_paragraph("Belum ada publikasi yang tercatat.")
    f = c.previous_follow_up
    if f is not None:
        from core.reports.follow_up_docs import follow_up_sections

        doc.add_page_break()
        doc.add_heading("Lampiran 5. Laporan Hasil Tindak Lanjut Periode Sebelumnya", level=2)
        doc.add_paragraph(
            f"Laporan hasil tindak lanjut atas rencana tindak lanjut SKM {f.unit_name} periode "
            f"{f.period_label} tahun {f.year}."
        )
        follow_up_sections(doc, f, level=3)


def report_docx(c: CycleReportContent) -> bytes:
    """The Laporan Hasil SKM as a Word document."""
    from docx import Document

    doc = Document()
    _cover(doc, c)
    doc.add_heading("BAB I\nPENDAHULUAN", level=1)
    doc.add_heading("1.1 Latar Belakang", level=2)
    _paragraphs(doc, c.narrative.latar_belakang)
    doc.add_heading("1.2 Dasar Hukum", level=2)
    for law in LEGAL_BASIS:
        doc.add_paragraph(law, style="List Number")
    doc.add_heading("1.3 Maksud dan Tujuan", level=2)
    _paragraphs(doc, c.narrative.maksud_tujuan)
    _chapter(doc, "BAB II\nPENGUMPULAN DATA SKM")
    doc.add_heading("2.1 Pelaksana SKM", level=2)
    doc.add_paragraph(f"SKM dilaksanakan secara mandiri oleh {c.unit_name}.")
    doc.add_heading("2.2 Metode Pengumpulan Data", level=2)
    doc.add_paragraph(c.narrative.pengumpulan[0])
    add_table(
        doc,
        ("Metode", "Jumlah", "Persentase"),
        [(g.label, integer(g.respondents), percent(g.share)) for g in c.channels],
    )
    doc.add_heading("2.3 Lokasi dan Waktu Pelaksanaan", level=2)
    doc.add_paragraph(
        f"Lokasi: {c.unit_name}{', ' + c.unit_address if c.unit_address else ''}. Waktu pelaksanaan: "
        f"{c.start_date:%d-%m-%Y} sampai {c.end_date:%d-%m-%Y}."
    )
    doc.add_heading("2.4 Penentuan Jumlah Responden", level=2)
    doc.add_paragraph(c.narrative.pengumpulan[1])
    _results(doc, c)
    _analysis(doc, c)
    _closing(doc, c)
    _appendix(doc, c)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
