"""`suara skm score`: exact figures from a file, and every bad cell named with exit code 2."""

import json
from fractions import Fraction

from click.testing import CliRunner

from core.cli import main

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin\n"


def test_score_json_is_exact(tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "4,3,3,4,3,4,4,3,2,L\n3,3,2,4,3,3,4,3,,P\n4,4,3,4,4,4,4,4,3,L\n")
    result = CliRunner().invoke(main, ["skm", "score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["respondents"] == 3
    u9 = next(u for u in data["unsur"] if u["code"] == "U9")
    assert u9["answered"] == 2 and u9["nrr"] == 2.5  # the blank is not a zero
    nrr = [
        Fraction(11, 3),
        Fraction(10, 3),
        Fraction(8, 3),
        Fraction(4),
        Fraction(10, 3),
        Fraction(11, 3),
        Fraction(4),
        Fraction(10, 3),
        Fraction(5, 2),
    ]
    expected = sum(nrr) / 9 * 25
    assert abs(data["konversi"] - float(expected)) < 1e-12
    assert (data["mutu"], data["kinerja"]) == ("B", "Baik")


def test_score_table_uses_indonesian_decimals(tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "4,4,4,4,4,4,4,4,4,L\n")
    result = CliRunner().invoke(main, ["skm", "score", str(path)])
    assert result.exit_code == 0
    assert "100,00" in result.output and "Sangat baik" in result.output


def test_bad_cells_are_all_reported_and_nothing_scored(tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "5,3,3,4,3,4,4,3,2,L\n3,a,2,4,3,3,4,3,3.5,P\n")
    result = CliRunner().invoke(main, ["skm", "score", str(path), "--json"])
    assert result.exit_code == 2
    assert "baris 2, kolom U1" in result.output
    assert "baris 3, kolom U2" in result.output
    assert "baris 3, kolom U9" in result.output
    assert "konversi" not in result.output
