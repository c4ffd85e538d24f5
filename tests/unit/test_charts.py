"""Server-made SVG charts: valid XML, one bar per unsur, the weakest marked, values as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from core.charts import MUTU_FILL, axis_floor, axis_ticks, trend_columns, unsur_bars
from core.plugin_api import ScoreResult, UnsurResult
from core.surveys.insights import weakest_unsur
from web.formatting import integer, number, percent

SVG = "{http://www.w3.org/2000/svg}"
LEGEND = [
    {"mutu": "A", "kinerja": "Sangat baik", "low": "88,31", "high": "100,00"},
    {"mutu": "B", "kinerja": "Baik", "low": "76,61", "high": "88,30"},
    {"mutu": "C", "kinerja": "Kurang baik", "low": "65,00", "high": "76,60"},
    {"mutu": "D", "kinerja": "Tidak baik", "low": "25,00", "high": "64,99"},
]


def _unsur(values: dict[str, float]) -> list[dict]:
    def mutu(nrr: float) -> str:
        k = nrr * 25
        return "A" if k >= 88.31 else "B" if k >= 76.61 else "C" if k >= 65 else "D"

    return [
        {"code": code, "name": f"Unsur {code}", "answered": 10, "nrr": nrr, "mutu": mutu(nrr)}
        for code, nrr in values.items()
    ]


def _score(rows: list[dict]) -> ScoreResult:
    """The chart rows as the typed result weakest_unsur reads."""
    unsur = [UnsurResult(r["code"], r["name"], r["answered"], nrr=r["nrr"]) for r in rows]
    return ScoreResult.withhold("test", 10, unsur, "only the rows matter here")


NINE = _unsur(
    {
        "U1": 3.6,
        "U2": 3.2,
        "U3": 2.4,
        "U4": 3.9,
        "U5": 3.1,
        "U6": 2.9,
        "U7": 3.55,
        "U8": 3.0,
        "U9": 2.75,
    }
)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id") for el in root.iter()}
    assert set(labelled) <= ids
    return root


def _bars(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}rect") if el.get("class") == "bar"]


def _texts(root: ET.Element) -> str:
    return " ".join(el.text or "" for el in root.iter(f"{SVG}text"))


def test_unsur_chart_has_one_bar_per_unsur_and_marks_the_weakest():
    weakest = weakest_unsur(_score(NINE))
    assert weakest == ["U3"]
    root = _parse(unsur_bars(NINE, weakest, title="NRR per unsur", legend=LEGEND))
    bars = _bars(root)
    assert len(bars) == 9
    rows = [g for g in root.iter(f"{SVG}g") if g.get("data-code")]
    assert [g.get("data-code") for g in rows] == [u["code"] for u in NINE]
    marked = [g.get("data-code") for g in rows if g.get("data-weakest") == "true"]
    assert marked == ["U3"]
    weak_bar = next(g for g in rows if g.get("data-code") == "U3").find(f"{SVG}rect")
    assert weak_bar.get("stroke-width") == "3"
    assert all(b.get("stroke") is None for b in bars if b is not weak_bar)
    text = _texts(root)
    assert "2,400 · D" in text and "U3 · Unsur U3  ▼ terendah" in text  # value, mutu, marker
    assert "3,900 · A" in text
    # Bars are proportional to the NRR on the 0–4 axis.
    widths = {g.get("data-code"): float(g.find(f"{SVG}rect").get("width")) for g in rows}
    assert widths["U4"] / widths["U3"] == pytest.approx(3.9 / 2.4, rel=1e-2)


def test_unsur_chart_colours_by_mutu_with_a_legend_and_hatches_d():
    root = _parse(unsur_bars(NINE, ["U3"], chart_id="c1", legend=LEGEND))
    fills = {b.get("data-mutu"): b.get("fill") for b in _bars(root)}
    assert fills["A"] == MUTU_FILL["A"] and fills["B"] == MUTU_FILL["B"]
    assert fills["D"] == "url(#c1-hatch)"  # hatched, so D differs from A in greyscale
    assert root.find(f".//{SVG}pattern[@id='c1-hatch']") is not None
    legend = [g.get("data-mutu") for g in root.iter(f"{SVG}g") if g.get("class") == "legend-item"]
    assert legend == ["A", "B", "C", "D"]
    assert "Sangat baik" in _texts(root)


def test_ties_mark_every_weakest_unsur():
    tied = _unsur({"U1": 3.0, "U2": 2.5, "U3": 2.5, "U4": 3.5})
    weakest = weakest_unsur(_score(tied))
    assert weakest == ["U2", "U3"]
    root = _parse(unsur_bars(tied, weakest))
    marked = [g.get("data-code") for g in root.iter(f"{SVG}g") if g.get("data-weakest") == "true"]
    assert marked == ["U2", "U3"]
    assert weakest_unsur(None) == []


def test_texts_are_escaped():
    odd = [{"code": "U10", "name": 'Parkir <gratis> & "aman"', "nrr": 3.0, "mutu": "B"}]
    root = _parse(unsur_bars(odd, [], title="A < B & C", desc="x > y"))
    assert 'Parkir <gratis> & "aman"' in _texts(root)
    assert root.find(f"{SVG}title").text == "A < B & C"


def test_trend_chart_columns_with_labels_and_gaps():
    points = [
        {"label": "TW I", "sublabel": 2026, "konversi": 70.125, "mutu": "C"},
        {"label": "TW II", "sublabel": 2026, "konversi": None, "mutu": None},
        {"label": "TW III", "sublabel": 2026, "konversi": 82.345, "mutu": "B"},
    ]
    root = _parse(trend_columns(points, title="Tren", empty_label="belum ada jawaban"))
    bars = _bars(root)
    assert len(bars) == 2
    text = _texts(root)
    assert "70,13 C" in text and "82,35 B" in text  # half up, decimal comma
    assert "belum ada jawaban" in text and "TW II" in text and "2026" in text
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] > heights[0]
    labels = [g.get("data-label") for g in root.iter(f"{SVG}g") if g.get("class") == "point"]
    assert labels == ["TW I", "TW II", "TW III"]  # oldest on the left


def test_trend_axis_starts_near_the_data():
    assert axis_floor([82.1, None, 88.4]) == 70
    assert axis_floor([61.0]) == 50 and axis_floor([25.0]) == 10 and axis_floor([None]) == 0
    assert axis_ticks(70) == [70, 80, 90, 100]
    assert axis_ticks(0) == [0, 25, 50, 75, 100]
    points = [
        {"label": "TW I", "konversi": 82.1, "mutu": "B"},
        {"label": "TW II", "konversi": 88.4, "mutu": "B"},
    ]
    root = _parse(trend_columns(points, title="Tren"))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["70", "80", "90", "100"]
    low, high = (float(b.get("height")) for b in _bars(root))
    assert high / low > 1.4  # 6 points apart shows, instead of 82 vs 88 out of 100
    assert any(p.get("class") == "axis-break" for p in root.iter(f"{SVG}path"))


def test_number_formatting_rounds_half_up_with_a_decimal_comma():
    assert number(82.345, 2) == "82,35"  # 82.345 is 82.34499… in binary; it means 82.345
    assert number(64.995, 2) == "65,00"
    assert number(3.14159, 4) == "3,1416"
    assert number(1234.5, 2) == "1.234,50"
    assert number(None) == "—"
    assert integer(12345) == "12.345"
    assert percent(1 / 3) == "33,3%"
