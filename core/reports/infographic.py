"""The infographic units post (website, Instagram, notice board): one SVG image, also as PNG."""

from __future__ import annotations

from html import escape

from core.charts import MUTU_FILL
from core.formatting import integer, number, percent
from core.reports.content import CycleReportContent

WIDTH, HEIGHT = 1080, 1350
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
GREEN = "#0b5d3b"
PNG_MISSING = (
    "PNG belum tersedia di server ini: pasang pustaka Cairo (apt install libcairo2) dan paket "
    "Python cairosvg; versi SVG tetap tersedia."
)


def svg_to_png(svg: str, width: int | None = None) -> bytes | None:
    """An SVG image as PNG (CairoSVG), or None where the Cairo library cannot be loaded."""
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)


def _text(
    x: float,
    y: float,
    text: str,
    size: int,
    *,
    weight: str = "400",
    fill: str = "#1b1f23",
    anchor: str = "middle",
) -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" font-weight="{weight}" fill="{fill}"'
        f' text-anchor="{anchor}">{escape(text)}</text>'
    )


def _bars(
    title: str, rows: list[tuple[str, int, float]], top: int, left: int, width: int
) -> list[str]:
    parts = [_text(left, top, title, 30, weight="700", anchor="start")]
    for index, (label, count, share) in enumerate(rows):
        y = top + 24 + index * 46
        parts.append(_text(left, y + 26, label, 24, anchor="start"))
        bar_left = left + 280
        span = width - 280 - 190
        parts.append(
            f'<rect x="{bar_left}" y="{y + 6}" width="{span}" height="26" fill="#e5ebe8" rx="4"/>'
        )
        parts.append(
            f'<rect x="{bar_left}" y="{y + 6}" width="{max(span * share, 2):.0f}" height="26"'
            f' fill="{GREEN}" rx="4"/>'
        )
        parts.append(
            _text(left + width, y + 28, f"{integer(count)} ({percent(share)})", 24, anchor="end")
        )
    return parts


def infographic_svg(c: CycleReportContent) -> str:
    """The result of a cycle on one image, from the same content as the report."""
    mutu = c.mutu or "—"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="{FONT}">',
        f"<title>{escape(f'Hasil SKM {c.unit_name} {c.period_label} {c.year}')}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<rect width="{WIDTH}" height="190" fill="{GREEN}"/>',
        _text(WIDTH / 2, 70, c.regency.upper(), 30, fill="#ffffff"),
        _text(WIDTH / 2, 125, c.unit_name, 46, weight="700", fill="#ffffff"),
        _text(
            WIDTH / 2,
            170,
            f"Survei Kepuasan Masyarakat · {c.period_label} {c.year}",
            28,
            fill="#dfeee6",
        ),
        _text(WIDTH / 2, 262, "Indeks Kepuasan Masyarakat", 34, weight="700"),
        _text(
            WIDTH / 2 - 110,
            460,
            number(c.konversi) if c.konversi is not None else "—",
            170,
            weight="700",
            fill=GREEN,
        ),
        f'<rect x="{WIDTH / 2 + 230:.0f}" y="310" width="180" height="180" rx="24"'
        f' fill="{MUTU_FILL.get(mutu, "#6b7280")}"/>',
        _text(WIDTH / 2 + 320, 445, mutu, 130, weight="700", fill="#ffffff"),
        _text(
            WIDTH / 2,
            545,
            f"Mutu pelayanan {mutu} · {c.kinerja or 'belum dinilai'}",
            38,
            weight="700",
        ),
        _text(
            WIDTH / 2,
            600,
            f"{integer(c.collected)} responden · "
            f"{c.start_date:%d-%m-%Y} s.d. {c.end_date:%d-%m-%Y}",
            28,
            fill="#4a5560",
        ),
    ]
    gender = [(g.label, g.respondents, g.share) for g in c.profile.get("jenis_kelamin", [])]
    education = [(g.label, g.respondents, g.share) for g in c.profile.get("pendidikan", [])]
    education = sorted(education, key=lambda row: -row[1])[:5]
    parts += _bars("Jenis kelamin", gender[:3], 660, 90, WIDTH - 180)
    parts += _bars(
        "Pendidikan", education, 660 + 40 + 46 * max(len(gender[:3]), 1) + 20, 90, WIDTH - 180
    )
    contact = " · ".join(x for x in (c.unit_contact, c.unit_address) if x) or c.unit_name
    parts += [
        f'<rect y="{HEIGHT - 190}" width="{WIDTH}" height="190" fill="#f1f5f3"/>',
        _text(
            WIDTH / 2,
            HEIGHT - 130,
            "Terima kasih atas partisipasi Anda.",
            34,
            weight="700",
            fill=GREEN,
        ),
        _text(WIDTH / 2, HEIGHT - 82, "Kritik dan saran:", 26, fill="#4a5560"),
        _text(WIDTH / 2, HEIGHT - 44, contact[:80], 26),
        "</svg>",
    ]
    return "".join(parts)
