"""The report's prose, written from the cycle's numbers (the unit may replace three parts of it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.formatting import integer, number, percent

if TYPE_CHECKING:
    from core.reports.content import CycleReportContent

LEGAL_BASIS = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun "
    "2009 tentang Pelayanan Publik;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 "
    "tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik.",
)
PURPOSE = (
    "Maksud survei ini adalah mengukur tingkat kepuasan masyarakat sebagai pengguna layanan "
    "terhadap penyelenggaraan pelayanan publik di {unit}.",
    "Tujuannya: mengetahui kelemahan dan kekuatan pada setiap unsur pelayanan, menilai kinerja "
    "pelayanan secara berkala, dan menjadi dasar penetapan kebijakan serta rencana tindak lanjut "
    "perbaikan pelayanan.",
)


@dataclass
class Narrative:
    """Paragraphs of the report; ``edited`` names the parts the unit wrote itself."""

    latar_belakang: list[str] = field(default_factory=list)
    maksud_tujuan: list[str] = field(default_factory=list)
    pengumpulan: list[str] = field(default_factory=list)
    hasil: list[str] = field(default_factory=list)
    analisis: list[str] = field(default_factory=list)
    kesimpulan: list[str] = field(default_factory=list)
    rekomendasi: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """A text typed by the unit, as paragraphs (blank lines separate them)."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def _names(content: CycleReportContent, codes: list[str]) -> str:
    by_code = {u.code: u for u in content.unsur}
    parts = [
        f"{code} {by_code[code].name} (NRR {number(by_code[code].nrr, 3)})"
        for code in codes
        if code in by_code and by_code[code].nrr is not None
    ]
    return ", ".join(parts)


def _period(content: CycleReportContent) -> str:
    return (
        f"{content.period_label} {content.year}"
        if content.period_label != "Tahunan"
        else (f"tahun {content.year}")
    )


def _sample_sentence(content: CycleReportContent) -> str:
    met = content.collected >= content.minimum_sample
    verdict = (
        "sehingga jumlah sampel telah memenuhi ketentuan"
        if met
        else f"sehingga masih kurang {integer(content.minimum_sample - content.collected)} "
        "responden dari jumlah minimal; hasil survei perlu dibaca dengan kehati-hatian"
    )
    return (
        f"Dengan populasi penerima layanan {integer(content.population)} orang pada periode ini, "
        f"jumlah responden minimal menurut tabel Krejcie dan Morgan adalah "
        f"{integer(content.minimum_sample)}; terkumpul {integer(content.collected)} kuesioner, "
        f"{verdict}."
    )


def _results(content: CycleReportContent) -> list[str]:
    if content.withheld:
        return [f"IKM periode ini tidak dinyatakan: {content.withheld}."]
    if content.konversi is None:
        return [
            "Belum ada jawaban yang dapat diolah pada periode ini, sehingga IKM belum dihitung."
        ]
    text = [
        f"Nilai IKM {content.unit_name} periode {_period(content)} adalah "
        f"{number(content.ikm, 4)} pada skala 1–4 atau {number(content.konversi)} setelah "
        f"dikonversi ke skala 25–100, dengan mutu pelayanan {content.mutu} "
        f"(kinerja unit pelayanan «{content.kinerja}»)."
    ]
    scored = [s for s in content.services if s["konversi"] is not None]
    if len(scored) > 1:
        best = max(scored, key=lambda s: s["konversi"])
        worst = min(scored, key=lambda s: s["konversi"])
        text.append(
            f"Per jenis layanan, nilai tertinggi pada {best['name']} ({number(best['konversi'])}, "
            f"mutu {best['mutu']}) dan terendah pada {worst['name']} "
            f"({number(worst['konversi'])}, mutu {worst['mutu']})."
        )
    return text


def _analysis(content: CycleReportContent) -> list[str]:
    if content.konversi is None:
        return []
    text = [
        f"Unsur dengan nilai terendah, yang menjadi prioritas perbaikan, adalah "
        f"{_names(content, content.weakest)}."
    ]
    below_b = [
        u.code for u in content.unsur if u.mutu in {"C", "D"} and u.code not in content.weakest
    ]
    if below_b:
        text.append(f"Unsur lain yang bermutu di bawah B: {_names(content, below_b)}.")
    if content.strongest:
        text.append(
            f"Unsur dengan nilai tertinggi, yang perlu dipertahankan, adalah "
            f"{_names(content, content.strongest)}."
        )
    earlier = [p for p in content.trend if not p["current"] and p["konversi"] is not None]
    if earlier:
        last = earlier[-1]
        change = content.konversi - last["konversi"]
        direction = "naik" if change > 0 else "turun" if change < 0 else "tetap"
        text.append(
            f"Dibandingkan periode sebelumnya ({last['label']} {last['year']}: "
            f"{number(last['konversi'])}), nilai IKM {direction}"
            + (f" {number(abs(change))} poin." if change else ".")
        )
    else:
        text.append("Belum ada periode sebelumnya sebagai pembanding.")
    if content.public:
        text.append(
            "Versi publik laporan ini tidak memuat isi saran responden, karena saran dapat menyebut"
            " nama petugas atau pengguna layanan"
            + (
                "; saran yang dipilih unit untuk dipublikasikan dikutip di bawah."
                if content.published_saran
                else "."
            )
        )
    elif content.saran:
        text.append(
            f"Sebanyak {integer(len(content.saran))} responden "
            f"({percent(len(content.saran) / content.collected if content.collected else 0)}) "
            "menuliskan saran atau masukan; saran yang menyinggung unsur prioritas dikutip di bawah."
        )
    return text


def _conclusion(content: CycleReportContent) -> list[str]:
    if content.konversi is None:
        return ["Survei periode ini belum menghasilkan jawaban yang dapat diolah."]
    return [
        f"Secara umum kinerja pelayanan {content.unit_name} periode {_period(content)} berada "
        f"pada kategori «{content.kinerja}» (mutu {content.mutu}, IKM {number(content.konversi)}) "
        f"berdasarkan {integer(content.collected)} responden.",
        f"Unsur yang paling perlu diperbaiki: {_names(content, content.weakest)}.",
    ]


def _recommendation(content: CycleReportContent) -> list[str]:
    if content.konversi is None:
        return ["Melanjutkan pengumpulan data hingga memenuhi jumlah responden minimal."]
    text = [
        f"Menyusun rencana tindak lanjut untuk unsur {_names(content, content.weakest)} "
        "dan membahasnya bersama masyarakat dalam Forum Konsultasi Publik.",
        "Mempublikasikan hasil survei ini melalui media yang mudah dijangkau masyarakat.",
    ]
    if content.collected < content.minimum_sample:
        text.append(
            "Menambah jumlah responden pada periode berikutnya hingga memenuhi jumlah minimal."
        )
    return text


def write_narrative(content: CycleReportContent, texts: dict[str, Any]) -> Narrative:
    """The prose of the report; the unit's own latar belakang, kesimpulan, rekomendasi win."""
    channels = ", ".join(
        f"{g.label.lower()} {integer(g.respondents)} ({percent(g.share)})" for g in content.channels
    )
    narrative = Narrative(
        latar_belakang=[
            f"Survei Kepuasan Masyarakat (SKM) merupakan kewajiban setiap unit penyelenggara "
            f"pelayanan publik untuk mengukur kepuasan pengguna layanan secara berkala. "
            f"{content.unit_name} melaksanakan SKM periode {_period(content)} sebagai bahan "
            "evaluasi dan perbaikan kualitas pelayanan.",
        ],
        maksud_tujuan=[p.format(unit=content.unit_name) for p in PURPOSE],
        pengumpulan=[
            f"Survei dilaksanakan oleh {content.unit_name} pada {content.start_date:%d-%m-%Y} "
            f"sampai {content.end_date:%d-%m-%Y}. Pengumpulan data dilakukan melalui {channels}."
            if channels
            else f"Survei dilaksanakan oleh {content.unit_name} pada {content.start_date:%d-%m-%Y} "
            f"sampai {content.end_date:%d-%m-%Y}; belum ada kuesioner yang terkumpul.",
            _sample_sentence(content),
        ],
        hasil=_results(content),
        analisis=_analysis(content),
        kesimpulan=_conclusion(content),
        rekomendasi=_recommendation(content),
    )
    for part in ("latar_belakang", "kesimpulan", "rekomendasi"):
        own = paragraphs(str(texts.get(part) or ""))
        if own:
            setattr(narrative, part, own)
            narrative.edited.append(part)
    return narrative
