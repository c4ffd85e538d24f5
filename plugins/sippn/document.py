"""The SIPPN document: core's ``sippn`` records in the stable, documented layout (docs/sippn.md).

The JSON file is the document itself; CSV and XLSX hold its flat table, one row per service, the
unit profile and the SKM result repeated on each row, the unsur U1..U20 in fixed columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.plugin_api import Dataset, utcnow

FORMAT = "suara-sippn"
VERSION = "1"
COMPONENTS: tuple[str, ...] = (
    "persyaratan",
    "prosedur",
    "jangka_waktu",
    "biaya_tarif",
    "produk",
    "pengaduan",
    "dasar_hukum",
    "sarana_prasarana",
    "kompetensi_pelaksana",
    "pengawasan_internal",
    "jumlah_pelaksana",
    "jaminan_pelayanan",
    "jaminan_keamanan",
    "evaluasi_kinerja",
)
UNSUR: tuple[str, ...] = tuple(f"U{n}" for n in range(1, 21))
UNIT_COLUMNS = (
    "kode_unit",
    "nama_unit",
    "jenis_unit",
    "kode_unit_induk",
    "alamat",
    "telepon",
    "email",
)
SERVICE_COLUMNS = (
    "kode_layanan",
    "nama_layanan",
    *COMPONENTS,
    "tanggal_penetapan",
    "forum_id",
    "forum_judul",
    "forum_tanggal",
)
SKM_COLUMNS = (
    "skm_tahun",
    "skm_periode",
    "skm_tanggal_mulai",
    "skm_tanggal_selesai",
    "skm_jumlah_siklus",
    "skm_jumlah_responden",
    *(f"{code.lower()}_{part}" for code in UNSUR for part in ("nama", "nrr", "konversi")),
    "ikm",
    "konversi",
    "mutu",
    "kinerja",
    "tautan_laporan",
)
COLUMNS: tuple[str, ...] = (*UNIT_COLUMNS, *SERVICE_COLUMNS, *SKM_COLUMNS)


def _round(value: float | None, places: str) -> float | None:
    """Half-up of the value as written (82.345 → 82.35), as a JSON number."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _unsur(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "kode": row["code"],
        "nama": row["name"],
        "jumlah_menjawab": row["answered"],
        "nrr": _round(row["nrr"], "0.001"),
        "nrr_tertimbang": _round(row["weighted"], "0.001"),
        "konversi": _round(row["konversi"], "0.01"),
    }


def _skm(skm: Mapping[str, Any]) -> dict[str, Any]:
    score = skm["score"]
    return {
        "tahun": skm["year"],
        "periode": skm["period"],
        "label_periode": skm["period_label"],
        "tanggal_mulai": skm["start"],
        "tanggal_selesai": skm["end"],
        "jumlah_siklus": skm["cycles"],
        "siklus_dibuka_tidak_dihitung": skm["open_cycles_excluded"],
        "metode": score["method"],
        "jumlah_responden": score["respondents"],
        "unsur": [_unsur(row) for row in score["unsur"]],
        "ikm": _round(score["index"], "0.001"),
        "konversi": _round(score["konversi"], "0.01"),
        "mutu": score["mutu"],
        "kinerja": score["kinerja"],
        "indeks_ditahan": score["withheld"],
        "tautan_laporan": skm["report_url"],
    }


def _service(service: Mapping[str, Any]) -> dict[str, Any]:
    forum = service["forum"]
    return {
        "kode_layanan": service["code"],
        "nama_layanan": service["name"],
        "standar_pelayanan": {code: service["standard"].get(code, "") for code in COMPONENTS},
        "tanggal_penetapan": service["set_on"],
        "forum_konsultasi": (
            {"id": forum["id"], "judul": forum["title"], "tanggal": forum["date"]}
            if forum
            else None
        ),
    }


def _unit(record: Mapping[str, Any]) -> dict[str, Any]:
    unit = record["unit"]
    return {
        "kode_unit": unit["code"],
        "nama_unit": unit["name"],
        "jenis_unit": unit["kind"],
        "label_jenis_unit": unit["kind_label"],
        "kode_unit_induk": unit["parent"],
        "alamat": unit["address"],
        "telepon": unit["phone"],
        "email": unit["email"],
        "layanan": [_service(s) for s in record["services"]],
        "skm": _skm(record["skm"]),
    }


def build(dataset: Dataset) -> dict[str, Any]:
    """The whole document: what it is, when it was made, each unit, and the units left out."""
    return {
        "format": FORMAT,
        "versi": VERSION,
        "judul": dataset.title,
        "dibuat": utcnow().isoformat(timespec="seconds"),
        "unit": [_unit(record) for record in dataset.records],
        "unit_dilewati": [
            {"kode_unit": line[1], "alasan": line[2]} for line in dataset.summary if len(line) == 3
        ],
    }


def flat_rows(document: Mapping[str, Any]) -> list[list[Any]]:
    """The table of the CSV and XLSX files: one row per service, in ``COLUMNS`` order."""
    rows: list[list[Any]] = []
    for unit in document["unit"]:
        skm = unit["skm"]
        by_code = {row["kode"]: row for row in skm["unsur"]}
        unsur_cells: list[Any] = []
        for code in UNSUR:
            row = by_code.get(code)
            unsur_cells += [row["nama"], row["nrr"], row["konversi"]] if row else [None, None, None]
        skm_cells = [
            skm["tahun"],
            skm["periode"],
            skm["tanggal_mulai"],
            skm["tanggal_selesai"],
            skm["jumlah_siklus"],
            skm["jumlah_responden"],
            *unsur_cells,
            skm["ikm"],
            skm["konversi"],
            skm["mutu"],
            skm["kinerja"],
            skm["tautan_laporan"],
        ]
        unit_cells = [unit[column] for column in UNIT_COLUMNS]
        for service in unit["layanan"]:
            forum = service["forum_konsultasi"] or {}
            rows.append(
                [
                    *unit_cells,
                    service["kode_layanan"],
                    service["nama_layanan"],
                    *(service["standar_pelayanan"][code] for code in COMPONENTS),
                    service["tanggal_penetapan"],
                    forum.get("id"),
                    forum.get("judul"),
                    forum.get("tanggal"),
                    *skm_cells,
                ]
            )
    return rows
