"""plugins.sippn on its own: the document, the checks before writing, and the shipped schema."""

from __future__ import annotations

import copy
import json

import pytest

from core.plugin_api import Dataset, ValidationFailed
from plugins.sippn import suara_export_formats
from plugins.sippn.document import COLUMNS, COMPONENTS, build, flat_rows
from plugins.sippn.formats import render_csv, render_json, render_xlsx
from plugins.sippn.validation import problems, schema


def _unsur(code: str, nrr: float = 3.5) -> dict:
    return {
        "code": code,
        "name": f"Unsur {code}",
        "answered": 10,
        "nrr": nrr,
        "weighted": nrr / 9,
        "konversi": nrr * 25,
        "mutu": "B",
        "kinerja": "Baik",
    }


def record(unit: str = "PKM-A") -> dict:
    return {
        "unit": {
            "code": unit,
            "name": f"Puskesmas {unit}",
            "kind": "puskesmas",
            "kind_label": "Puskesmas",
            "parent": "DINKES",
            "address": "Jl. Contoh 1",
            "phone": "",
            "email": "",
        },
        "services": [
            {
                "code": "UMUM",
                "name": "Poli Umum",
                "standard": {c: f"isi {c}" for c in COMPONENTS},
                "set_on": "2026-01-02",
                "forum": {"id": 3, "title": "FKP Standar", "date": "2025-12-10"},
            }
        ],
        "skm": {
            "year": 2026,
            "period": "tw1",
            "period_label": "Triwulan I",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "cycles": 1,
            "open_cycles_excluded": 0,
            "score": {
                "method": "skm-14-2017",
                "respondents": 10,
                "unsur": [_unsur(f"U{n}") for n in range(1, 10)],
                "index": 3.5,
                "konversi": 87.5,
                "mutu": "B",
                "kinerja": "Baik",
                "withheld": None,
            },
            "report_url": None,
        },
    }


def dataset(*records: dict) -> Dataset:
    return Dataset("sippn-2026", "Ekspor SIPPN 2026", (), (), kind="sippn", records=records)


def test_a_complete_record_passes_and_every_format_writes():
    data = dataset(record("PKM-A"), record("PKM-B"))
    assert problems(build(data)) == []
    assert len(json.loads(render_json(data))["unit"]) == 2
    assert render_csv(data).decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    assert render_xlsx(data)[:2] == b"PK"
    rows = flat_rows(build(data))
    assert len(rows) == 2 and all(len(row) == len(COLUMNS) for row in rows)


def test_formats_are_for_sippn_datasets_only():
    formats = suara_export_formats(context=None)
    assert {f.code for f in formats} == {"sippn-csv", "sippn-xlsx", "sippn-json"}
    assert {f.dataset_kind for f in formats} == {"sippn"}


def test_every_problem_is_named_by_unit_and_field_and_nothing_is_rendered():
    blank = record("PKM-A")
    blank["services"][0]["standard"] = dict.fromkeys(COMPONENTS, "")
    partial = record("PKM-B")
    partial["services"][0]["standard"]["biaya_tarif"] = " "
    partial["services"][0]["set_on"] = None
    partial["skm"]["score"]["unsur"] = partial["skm"]["score"]["unsur"][:8]
    withheld = record("PKM-C")
    withheld["skm"]["score"].update(
        index=None, konversi=None, mutu=None, kinerja=None, withheld="U9 tanpa jawaban"
    )
    for render in (render_csv, render_json, render_xlsx):
        with pytest.raises(ValidationFailed) as refused:
            render(dataset(blank, partial, withheld))
        fields = [e.field for e in refused.value.errors]
        assert fields == [
            "PKM-A.layanan.UMUM.standar_pelayanan",
            "PKM-B.layanan.UMUM.biaya_tarif",
            "PKM-B.layanan.UMUM.tanggal_penetapan",
            "PKM-B.skm.unsur.U9",
            "PKM-C.skm.ikm",
        ]
        assert "PKM-A, PKM-B, PKM-C" in refused.value.message


def test_the_schema_pins_codes_and_ranges():
    odd = record("PKM-A")
    odd["unit"]["kind"] = "kantor"
    odd["skm"]["score"]["konversi"] = 101.0
    odd["skm"]["score"]["unsur"][0]["code"] = "X1"
    odd["skm"]["score"]["unsur"].append(_unsur("U1"))
    found = {(e.field, e.message.split(" ")[0]) for e in problems(build(dataset(odd)))}
    assert ("PKM-A.jenis_unit", "'kantor'") in found
    assert ("PKM-A.skm.konversi", "101.0") in found
    assert any(field == "PKM-A.skm.unsur.0.kode" for field, _ in found)


def test_rounding_is_half_up_on_the_value_as_written():
    data = record()
    data["skm"]["score"]["konversi"] = 82.345
    data["skm"]["score"]["index"] = 3.2938
    skm = build(dataset(data))["unit"][0]["skm"]
    assert (skm["konversi"], skm["ikm"]) == (82.35, 3.294)


def test_the_shipped_schema_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())
    unchanged = copy.deepcopy(record())
    assert problems(build(dataset(unchanged))) == []
