"""Exported cells never become live formulas, and control characters cannot break a workbook."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.cells import safe_cell
from core.plugin_api import Dataset
from core.reports.exports import raw_xlsx, to_csv
from core.units.validation import check_name
from plugins.tables import render_csv, render_xlsx

EVIL = ["=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", EVIL)
def test_formula_like_text_is_prefixed(text: str):
    assert safe_cell(text) == "'" + text


def test_other_values_pass_unchanged():
    assert safe_cell("Dinas Kesehatan") == "Dinas Kesehatan"
    assert safe_cell(-3) == -3
    assert safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(None) is None
    assert safe_cell("bel\x07 berbunyi") == "bel berbunyi"


def _dataset() -> Dataset:
    return Dataset(
        name="rekap",
        title="Rekap",
        columns=("kode", "unit", "ikm"),
        rows=(("U1", "=1+1", Decimal("80.5")), ("U2", "Unit\x07 bel", -1)),
        summary=(("@catatan", "-"),),
    )


def test_recap_csv_neutralises_formulas():
    text = render_csv(_dataset()).decode("utf-8-sig")
    assert "'=1+1" in text and "'@catatan" in text and "'-" in text
    assert "\x07" not in text and ",-1" in text


def test_recap_xlsx_has_no_formula_and_opens():
    book = load_workbook(io.BytesIO(render_xlsx(_dataset())))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'=1+1" in values and "Unit bel" in values and 80.5 in values and -1 in values


def test_raw_exports_neutralise_formulas():
    header, rows = ["saran"], [["=cmd|' /C calc'!A0"]]
    assert "'=cmd" in to_csv(header, rows).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(raw_xlsx(header, rows))).active
    assert sheet["A2"].data_type != "f" and sheet["A2"].value.startswith("'=")


@pytest.mark.parametrize("name", ["Unit\x07", "Dinas\nKesehatan", "A\x00B", "Tab\there"])
def test_names_refuse_control_characters(name: str):
    assert [e.field for e in check_name(name)] == ["name"]


def test_ordinary_name_is_accepted():
    assert check_name("Puskesmas Kota – Unit 1") == []
