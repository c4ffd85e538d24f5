"""Server-made SVG charts: pure functions from plain data to an SVG string.

The same chart shows on screen, in print and in a PDF. Each chart is an image with a title and a
description (role="img"), every bar carries its value as text and the mutu letter, so nothing is
told by colour alone; the band colours also differ in lightness (and D is hatched) for greyscale
printing. Texts come from the caller, already translated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from core.formatting import number

# Band colours, darkest (A) to lightest (C); D is red with white hatching.
MUTU_FILL: dict[str, str] = {"A": "#14532d", "B": "#2f6eb5", "C": "#e0a526", "D": "#b42318"}
OTHER_FILL = "#6b7280"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_ID_RE = re.compile(r"[^A-Za-z0-9_-]")
MAX_LABEL = 46  # characters of "U9 · name" before it is cut with "…" (the table has it in full)


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _safe_id(value: str) -> str:
    return _ID_RE.sub("-", value) or "chart"


def _defs(chart_id: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{MUTU_FILL["D"]}"/>'
        '<rect width="2" height="6" fill="#ffffff"/>'
        "</pattern></defs>"
    )


def fill_for(mutu: str | None, chart_id: str) -> str:
    """The fill of a bar of this mutu band (a hatch pattern for D)."""
    if mutu == "D":
        return f"url(#{chart_id}-hatch)"
    return MUTU_FILL.get(mutu or "", OTHER_FILL)


def _open(chart_id: str, width: int, height: int, title: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{chart_id}"'
        f' viewBox="0 0 {width} {height}" width="100%" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' font-family="{FONT}" font-size="13">',
        f'<title id="{chart_id}-title">{_e(title)}</title>',
        f'<desc id="{chart_id}-desc">{_e(desc)}</desc>',
        _defs(chart_id),
    ]


def _legend(
    parts: list[str], chart_id: str, legend: Sequence[dict[str, str]], y: int, width: int
) -> int:
    """Swatches with "A — Sangat baik (88,31–100,00)", one or two per line; returns next y."""
    if not legend:
        return y
    per_line = legend_columns(width)
    column = width // per_line
    for index, band in enumerate(legend):
        x = 10 + (index % per_line) * column
        top = y + (index // per_line) * 22
        parts.append(
            f'<g class="legend-item" data-mutu="{_e(band["mutu"])}">'
            f'<rect x="{x}" y="{top}" width="14" height="14" fill="{fill_for(band["mutu"], chart_id)}"'
            ' stroke="#1b1f23" stroke-width="0.5"/>'
            f'<text x="{x + 20}" y="{top + 12}" fill="#1b1f23">{_e(band["mutu"])} — '
            f"{_e(band['kinerja'])} ({_e(band['low'])}–{_e(band['high'])})</text></g>"
        )
    return y + -(-len(legend) // per_line) * 22


def legend_columns(width: int) -> int:
    """Legend entries per line: two when the chart is wide enough, else one."""
    return 2 if width >= 560 else 1


def unsur_bars(
    unsur: Sequence[dict[str, Any]],
    weakest: Sequence[str] = (),
    *,
    chart_id: str = "unsur",
    title: str = "Nilai rata-rata (NRR) per unsur",
    desc: str = "",
    weakest_label: str = "terendah",
    legend: Sequence[dict[str, str]] = (),
    width: int = 420,
) -> str:
    """Horizontal bars of NRR (scale 1–4) per unsur, one per item of ``unsur``.

    ``unsur`` items have code, name, nrr and mutu (the plugin's score). Bars of the codes in
    ``weakest`` get a thick outline, a ▼ marker and the ``weakest_label`` text.
    """
    chart_id = _safe_id(chart_id)
    row_h, top, left, value_w = 46, 10, 10, 84
    span = width - left - value_w
    axis_top = top
    rows_h = row_h * max(len(unsur), 1)
    axis_y = axis_top + rows_h + 4
    legend_y = axis_y + 28
    height = legend_y + -(-len(legend) // legend_columns(width)) * 22 + 6
    parts = _open(chart_id, width, height, title, desc, "unsur")
    # Gridlines at 1, 2, 3 and 4 with their labels under the bars.
    for tick in (0, 1, 2, 3, 4):
        x = left + span * tick / 4
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{axis_top}" x2="{x:.1f}" y2="{axis_y}"'
            ' stroke="#c5cbc7" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" fill="#4a5560">{tick}</text>'
        )
    marked = set(weakest)
    for index, item in enumerate(unsur):
        y = top + index * row_h
        nrr = float(item.get("nrr") or 0)
        bar_w = max(span * min(nrr, 4) / 4, 1)
        is_weak = item["code"] in marked
        mutu = item.get("mutu") or ""
        outline = ' stroke="#000000" stroke-width="3"' if is_weak else ""
        value = f"{number(nrr, 3)} · {mutu}" if mutu else number(nrr, 3)
        weak_attr = "true" if is_weak else "false"
        parts.append(
            f'<g class="bar-row{" weakest" if is_weak else ""}" data-code="{_e(item["code"])}"'
            f' data-weakest="{weak_attr}">'
        )
        label = f"{item['code']} · {item.get('name') or ''}".rstrip(" ·")
        marker = f"  ▼ {weakest_label}" if is_weak else ""
        room = MAX_LABEL - len(marker)  # the marker must fit in the same line as the label
        shown = (label if len(label) <= room else label[: room - 1] + "…") + marker
        weight = "700" if is_weak else "400"
        parts.append(
            f'<text x="{left}" y="{y + 14}" fill="#1b1f23" font-weight="{weight}">{_e(shown)}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{left}" y="{y + 20}" width="{bar_w:.1f}" height="18"'
            f' fill="{fill_for(mutu, chart_id)}"{outline} data-mutu="{_e(mutu)}">'
            f"<title>{_e(label)}: {_e(value)}</title></rect>"
        )
        parts.append(
            f'<text class="value" x="{left + bar_w + 6:.1f}" y="{y + 34}" fill="#1b1f23"'
            f' font-weight="{weight}" font-size="14">{_e(value)}</text>'
        )
        parts.append("</g>")
    _legend(parts, chart_id, legend, legend_y, width)
    parts.append("</svg>")
    return "".join(parts)


def axis_floor(values: Sequence[float | None]) -> int:
    """Where a konversi axis starts: 10 below the lowest value, in tens (0 without values)."""
    known = [float(v) for v in values if v is not None]
    if not known:
        return 0
    return max(int(min(known) // 10) * 10 - 10, 0)


def axis_ticks(floor: int) -> list[int]:
    """Gridlines from ``floor`` to 100: every 10 when that is at most six lines, else every 25."""
    step = 10 if 100 - floor <= 50 else 25
    first = -(-floor // step) * step
    return sorted({floor, *range(first, 101, step)})


def trend_columns(
    points: Sequence[dict[str, Any]],
    *,
    chart_id: str = "tren",
    title: str = "Nilai konversi per periode",
    desc: str = "",
    empty_label: str = "belum ada jawaban",
    legend: Sequence[dict[str, str]] = (),
    width: int = 360,
) -> str:
    """Columns of konversi per period, oldest left, each labelled with value and mutu.

    ``points`` items have label, an optional sublabel (the year), konversi (or None) and mutu.
    The value axis starts near the lowest value (see ``axis_floor``), with a break mark when it
    does not start at 0, so small differences between periods stay visible.
    """
    chart_id = _safe_id(chart_id)
    floor = axis_floor([p.get("konversi") for p in points])
    width = max(width, 34 + 8 + 72 * len(points))
    top, bottom_axis, left, right = 24, 210, 34, 8
    plot_h = bottom_axis - top
    span = width - left - right
    count = max(len(points), 1)
    slot = span / count
    bar_w = min(slot * 0.6, 56)
    legend_y = bottom_axis + 48
    height = legend_y + -(-len(legend) // legend_columns(width)) * 22 + 6
    parts = _open(chart_id, width, height, title, desc, "trend")

    def height_of(value: float) -> float:
        return plot_h * (min(value, 100) - floor) / (100 - floor)

    for tick in axis_ticks(floor):
        y = bottom_axis - height_of(tick)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"'
            ' stroke="#c5cbc7" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5560"'
            f' font-size="11">{tick}</text>'
        )
    for index, point in enumerate(points):
        centre = left + slot * index + slot / 2
        konversi = point.get("konversi")
        label = str(point.get("label") or "")
        parts.append(f'<g class="point" data-label="{_e(label)}">')
        if konversi is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{bottom_axis - 6}" text-anchor="middle"'
                f' fill="#4a5560" font-size="11">{_e(empty_label)}</text>'
            )
        else:
            value = float(konversi)
            bar_h = max(height_of(max(value, floor)), 1)
            y = bottom_axis - bar_h
            mutu = point.get("mutu") or ""
            text = f"{number(value, 2)} {mutu}".strip()
            parts.append(
                f'<rect class="bar" x="{centre - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}"'
                f' height="{bar_h:.1f}" fill="{fill_for(mutu, chart_id)}" data-mutu="{_e(mutu)}">'
                f"<title>{_e(label)}: {_e(text)}</title></rect>"
            )
            parts.append(
                f'<text class="value" x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle"'
                f' fill="#1b1f23" font-weight="600" font-size="12">{_e(text)}</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom_axis + 16}" text-anchor="middle"'
            f' fill="#1b1f23" font-size="11">{_e(label)}</text>'
        )
        if point.get("sublabel"):
            parts.append(
                f'<text x="{centre:.1f}" y="{bottom_axis + 30}" text-anchor="middle"'
                f' fill="#4a5560" font-size="11">{_e(point["sublabel"])}</text>'
            )
        parts.append("</g>")
    if floor > 0:  # a zigzag on the value axis: it does not start at 0
        parts.append(
            f'<path class="axis-break" d="M{left - 6},{bottom_axis - 2} l4,-4 l4,4 l4,-4"'
            ' fill="none" stroke="#4a5560" stroke-width="1.5"/>'
        )
    _legend(parts, chart_id, legend, legend_y, width)
    parts.append("</svg>")
    return "".join(parts)
