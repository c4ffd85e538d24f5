"""Offline scoring of respondent files (.csv / .xlsx)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from plugins.skm.scoring import SkmScore, UnsurScore, score_tallies
from plugins.skm.tabular import (
    RowError,
    TabularError,
    format_table,
    read_rows,
    score_file,
    tally_rows,
)

HEADER = ["No", "Jenis Kelamin", *[f"U{i}" for i in range(1, 10)], "Saran"]
ANSWERS = [
    ["1", "L", "4", "3", "3", "4", "3", "4", "4", "3", "2", "cepat"],
    ["2", "P", "3", "3", "", "4", "3", "3", "4", "3", "3", ""],
    ["3", "P", "2", "4", "3", "4", "4", "3", "3", "4", "1", "ramah; sopan"],
    ["4", "L", "4", "4", "4", "4", "4", "4", "4", "4", "4", ""],
]


def manual_tally() -> dict[str, dict[int, int]]:
    tally: dict[str, dict[int, int]] = {f"U{i}": {} for i in range(1, 10)}
    for row in ANSWERS:
        for i in range(1, 10):
            cell = row[i + 1]
            if cell:
                tally[f"U{i}"][int(cell)] = tally[f"U{i}"].get(int(cell), 0) + 1
    return tally


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> Path:
    def quote(cell: str) -> str:
        return f'"{cell}"' if (delimiter in cell or '"' in cell) else cell

    text = "\n".join(delimiter.join(quote(c) for c in row) for row in rows) + "\n"
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("Catatan")
    other.append(["U1"])
    other.append([1])
    workbook.save(path)
    return path


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", False), (";", True)])
def test_csv_score_equals_score_of_manual_tally(tmp_path: Path, delimiter: str, bom: bool) -> None:
    path = write_csv(tmp_path / "skm.csv", [HEADER, *ANSWERS], delimiter, bom)
    rows = read_rows(path)
    assert rows[2]["Saran"] == "ramah; sopan"
    assert rows[0]["U1"] == "4"
    expected = score_tallies(manual_tally(), 4)
    assert score_file(path) == expected
    assert score_file(path).to_dict() == expected.to_dict()


def test_empty_cells_are_blanks(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "skm.csv", [HEADER, *ANSWERS])
    tally, respondents, errors = tally_rows(read_rows(path))
    assert errors == []
    assert respondents == 4
    assert tally["U3"] == {3: 2, 4: 1}  # respondent 2 left U3 empty: not a 0
    u3 = score_file(path).unsur[2]
    assert (u3.answered, u3.total, u3.nrr) == (3, 10, 10 / 3)


def test_entirely_empty_rows_are_skipped_but_row_numbers_kept(tmp_path: Path) -> None:
    blank = [""] * len(HEADER)
    bad = list(ANSWERS[0])
    bad[5] = "5"  # U4
    path = write_csv(tmp_path / "skm.csv", [HEADER, ANSWERS[0], blank, bad])
    tally, respondents, errors = tally_rows(read_rows(path))
    assert respondents == 2
    assert errors == [RowError(4, "U4", "nilai 5 di luar 1–4")]
    assert tally["U1"] == {4: 2}
    assert tally["U4"] == {4: 1}  # the bad cell is reported, not counted


def test_every_bad_cell_is_reported_at_once(tmp_path: Path) -> None:
    rows = [list(r) for r in ANSWERS]
    rows[1][5] = "5"  # spreadsheet row 3, U4
    rows[2][3] = "a"  # row 4, U2
    rows[3][8] = "3.5"  # row 5, U7
    rows[3][10] = "0"  # row 5, U9
    path = write_csv(tmp_path / "skm.csv", [HEADER, *rows], ";")
    with pytest.raises(TabularError) as caught:
        score_file(path)
    assert caught.value.errors == [
        RowError(3, "U4", "nilai 5 di luar 1–4"),
        RowError(4, "U2", "bukan angka: 'a'"),
        RowError(5, "U7", "bukan bilangan bulat: '3.5'"),
        RowError(5, "U9", "nilai 0 di luar 1–4"),
    ]
    assert str(caught.value).splitlines() == [
        "baris 3, kolom U4: nilai 5 di luar 1–4",
        "baris 4, kolom U2: bukan angka: 'a'",
        "baris 5, kolom U7: bukan bilangan bulat: '3.5'",
        "baris 5, kolom U9: nilai 0 di luar 1–4",
    ]


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "U9"]
    rows = [[c for h, c in zip(HEADER, r, strict=True) if h != "U9"] for r in ANSWERS]
    path = write_csv(tmp_path / "skm.csv", [header, *rows])
    with pytest.raises(TabularError) as caught:
        score_file(path)
    assert caught.value.errors == [RowError(1, "U9", "kolom U9 wajib ada")]
    assert "kolom U9 wajib ada" in str(caught.value)


def test_headers_match_case_insensitively_and_u10_is_optional(tmp_path: Path) -> None:
    header = [" u1 ", *HEADER[3:11], "U10"]
    header = ["No", "Jenis Kelamin", *header]
    rows = [[*r[:11], "2"] for r in ANSWERS]
    path = write_csv(tmp_path / "skm.csv", [header, *rows])
    score = score_file(path)
    assert [u.code for u in score.unsur] == [f"U{i}" for i in range(1, 11)]
    tally = {**manual_tally(), "U10": {2: 4}}
    assert score == score_tallies(tally, 4)


def test_unanswered_optional_column_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "skm.csv", [[*HEADER, "U10"], *[[*r, ""] for r in ANSWERS]])
    with pytest.raises(TabularError) as caught:
        score_file(path)
    assert caught.value.errors == [RowError(0, "U10", "tidak ada satu jawaban pun")]


def test_header_only_file_has_no_respondents(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "skm.csv", [HEADER])
    with pytest.raises(TabularError, match="tidak ada data responden"):
        score_file(path)


def test_duplicate_column_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "skm.csv", [[*HEADER, "u3"], *[[*r, "1"] for r in ANSWERS]])
    with pytest.raises(TabularError, match="u3"):
        read_rows(path)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "skm.ods"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="tidak didukung"):
        read_rows(path)


def test_xlsx_first_sheet_numbers_and_blanks(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADER]
    for answer in ANSWERS:
        converted: list[object] = [int(answer[0]), answer[1]]
        converted += [float(c) if c else None for c in answer[2:11]]  # 4.0 as Excel stores it
        converted.append(answer[11] or None)
        rows.append(converted)
    path = write_xlsx(tmp_path / "skm.xlsx", rows)
    read = read_rows(path)
    assert read[0]["U1"] == "4"
    assert read[1]["U3"] == ""
    assert read[0]["No"] == "1"
    assert score_file(path) == score_tallies(manual_tally(), 4)


def test_xlsx_errors_name_row_and_column(tmp_path: Path) -> None:
    good: list[object] = [1, "L", 4, 4, 4, 4, 4, 4, 4, 4, 4, None]
    row3 = list(good)
    row3[5] = 5  # U4
    row5 = list(good)
    row5[3] = "a"  # U2
    row5[8] = 3.5  # U7
    path = write_xlsx(tmp_path / "skm.xlsx", [HEADER, good, row3, [], row5])
    with pytest.raises(TabularError) as caught:
        score_file(path)
    assert caught.value.errors == [
        RowError(3, "U4", "nilai 5 di luar 1–4"),
        RowError(5, "U2", "bukan angka: 'a'"),
        RowError(5, "U7", "bukan bilangan bulat: '3.5'"),
    ]


def test_format_table_uses_comma_and_half_up_display() -> None:
    unsur = UnsurScore("U1", "Persyaratan", 10, 33, 3.3, 82.345, "B", "Baik")
    score = SkmScore(10, (unsur,), 2.5998, 64.995, "C", "Kurang baik", "exact")
    table = format_table(score)
    assert "82,35" in table  # 82.345 → 82,35 (half up on the written value)
    assert "3,300" in table
    assert "Nilai konversi (25–100): 65,00" in table  # not 64,99: agrees with mutu C
    assert "IKM (1–4): 2,5998" in table
    assert table.splitlines()[-2:] == ["Mutu: C", "Kinerja: Kurang baik"]
    assert "Persyaratan" in table.splitlines()[2]


def test_format_table_of_a_real_score(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "skm.csv", [HEADER, *ANSWERS])
    score = score_file(path)
    table = format_table(score)
    lines = table.splitlines()
    assert len([line for line in lines if line.startswith("U")]) == 9
    assert "Sarana dan Prasarana" in next(line for line in lines if line.startswith("U8"))
    assert f"Mutu: {score.mutu}" in lines
