"""The open-data bundle: published results per unit × service × period × unsur with respondent
counts, the items of published plans (RTL) with their progress, and the units' public forums, as
CSV tables and one JSON document with a data dictionary, a licence and the last-updated date.

Only aggregates of published cycles: counts per answer value per unsur, never a response or saran
(a plan item gives how many saran spoke of its unsur, not their text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.hooks import Hooks
from core.portal.forums import unit_forums
from core.portal.freshness import freshness
from core.portal.plans import PublicPlan, published_plans
from core.portal.results import (
    PublicUnit,
    PublishedResult,
    public_units,
    published_cycle_rows,
    published_result,
    service_results,
)
from core.units.validation import KIND_LABELS

LICENCE = {
    "name": "Creative Commons Atribusi 4.0 Internasional (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.id",
    "attribution": "Sumber: Suara — data terbuka SKM pemerintah daerah",
}

RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kode_unit", "Kode unit layanan"),
    ("nama_unit", "Nama unit layanan"),
    ("jenis_unit", "Jenis unit (opd, kecamatan, puskesmas, rsud, …)"),
    ("siklus", "Nomor siklus survei (tetap untuk siklus yang sama)"),
    ("tahun", "Tahun siklus"),
    ("periode", "Jenis periode (tw1…tw4, s1, s2, tahunan, custom)"),
    ("tanggal_mulai", "Tanggal mulai periode (ISO 8601)"),
    ("tanggal_selesai", "Tanggal selesai periode (ISO 8601)"),
    ("kode_layanan", "Kode jenis layanan; kosong = seluruh siklus"),
    ("nama_layanan", "Nama jenis layanan; kosong = seluruh siklus"),
    ("responden", "Jumlah kuesioner yang dihitung pada cakupan ini"),
    ("sampel_minimum", "Sampel minimum cakupan ini (Krejcie & Morgan untuk SKM)"),
    ("di_bawah_sampel_minimum", "1 bila responden kurang dari sampel minimum (jangan diperingkat)"),
    ("nilai_konversi", "Nilai konversi IKM cakupan (25–100, titik desimal); kosong bila ditahan"),
    ("mutu", "Mutu pelayanan (A, B, C, D); kosong bila ditahan"),
    ("ditahan", "Alasan indeks tidak dinyatakan; kosong bila dinyatakan"),
    ("kode_unsur", "Kode unsur (U1…U9 baku, U10… unsur tambahan unit)"),
    ("nama_unsur", "Nama unsur"),
    ("menjawab_unsur", "Jumlah responden yang menjawab unsur ini"),
    ("jumlah_nilai_1", "Jumlah jawaban bernilai 1 (tidak baik)"),
    ("jumlah_nilai_2", "Jumlah jawaban bernilai 2 (kurang baik)"),
    ("jumlah_nilai_3", "Jumlah jawaban bernilai 3 (baik)"),
    ("jumlah_nilai_4", "Jumlah jawaban bernilai 4 (sangat baik)"),
    ("nrr_unsur", "Nilai rata-rata unsur (1–4); kosong bila tidak ada jawaban"),
)

FORUM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kode_unit", "Kode unit penyelenggara"),
    ("forum", "Nomor forum"),
    ("judul", "Judul forum"),
    ("mulai", "Waktu mulai (ISO 8601, UTC)"),
    ("status", "scheduled, cancelled atau minutes_published"),
    ("jumlah_hadir", "Jumlah peserta hadir (setelah notulen terbit)"),
    ("jumlah_kesepakatan", "Jumlah kesepakatan dalam berita acara (setelah notulen terbit)"),
)


PLAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kode_unit", "Kode unit layanan"),
    ("rencana", "Nomor rencana tindak lanjut"),
    ("siklus", "Nomor siklus survei yang ditindaklanjuti (lihat hasil-skm.csv)"),
    ("status_rencana", "published (diumumkan) atau closed (selesai)"),
    ("tanggal_diumumkan", "Tanggal rencana diumumkan (ISO 8601)"),
    ("nomor_kegiatan", "Nomor kegiatan (1, 2 …; sub-kegiatan 1.1, 1.2 …)"),
    ("kode_unsur", "Unsur yang ditindaklanjuti"),
    ("nama_unsur", "Nama unsur"),
    ("jumlah_saran", "Jumlah saran warga tentang unsur ini (isi saran tidak dipublikasikan)"),
    ("kegiatan", "Program/kegiatan"),
    ("waktu", "Waktu pelaksanaan (tanggal atau triwulan)"),
    ("status", "planned, in_progress, done atau dropped"),
    ("progres_persen", "Progres kegiatan (0–100)"),
    ("tanggal_realisasi", "Tanggal kegiatan terealisasi (ISO 8601); kosong bila belum"),
    ("jumlah_bukti", "Jumlah bukti (tautan atau berkas) di halaman unit"),
)


@dataclass(frozen=True)
class Bundle:
    """The tables of the open-data bundle and when the data last changed."""

    results: list[dict[str, Any]]
    forums: list[dict[str, Any]]
    last_updated: datetime | None
    plans: list[dict[str, Any]] = field(default_factory=list)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _result_rows(
    unit: PublicUnit, result: PublishedResult, service: tuple[str, str] = ("", "")
) -> Iterable[dict[str, Any]]:
    head = {
        "kode_unit": unit.code,
        "nama_unit": unit.name,
        "jenis_unit": unit.kind,
        "siklus": result.cycle_id,
        "tahun": result.year,
        "periode": result.period_type,
        "tanggal_mulai": result.start_date.isoformat(),
        "tanggal_selesai": result.end_date.isoformat(),
        "kode_layanan": service[0],
        "nama_layanan": service[1],
        "responden": result.respondents,
        "sampel_minimum": result.minimum_sample,
        "di_bawah_sampel_minimum": int(result.below_minimum),
        "nilai_konversi": _number(result.konversi),
        "mutu": result.mutu or "",
        "ditahan": result.withheld or "",
    }
    for u in result.unsur:
        yield {
            **head,
            "kode_unsur": u.code,
            "nama_unsur": u.name,
            "menjawab_unsur": u.answered,
            **{f"jumlah_nilai_{v}": n for v, n in u.counts.items()},
            "nrr_unsur": _number(u.nrr),
        }


def _plan_rows(unit: PublicUnit, plan: PublicPlan) -> Iterable[dict[str, Any]]:
    for item in plan.items:
        yield {
            "kode_unit": unit.code,
            "rencana": plan.id,
            "siklus": plan.cycle,
            "status_rencana": plan.status,
            "tanggal_diumumkan": plan.published_on.isoformat() if plan.published_on else None,
            "nomor_kegiatan": item.number,
            "kode_unsur": item.unsur,
            "nama_unsur": item.unsur_name,
            "jumlah_saran": item.saran_count,
            "kegiatan": item.program,
            "waktu": item.waktu,
            "status": item.status,
            "progres_persen": item.progress,
            "tanggal_realisasi": item.realised_on.isoformat() if item.realised_on else None,
            "jumlah_bukti": len(item.evidence),
        }


async def bundle(hooks: Hooks) -> Bundle:
    """Every published result (each cycle, then each of its services), every item of a published
    plan and every public forum."""
    results: list[dict[str, Any]] = []
    forums: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    for unit in await public_units():
        for row in await published_cycle_rows(unit.id):
            results += _result_rows(unit, await published_result(hooks, row))
            for service in await service_results(hooks, row):
                results += _result_rows(unit, service.result, (service.code, service.name))
        for plan in await published_plans(unit.id):
            plans += _plan_rows(unit, plan)
        listed = await unit_forums(unit.id)
        for forum in [*listed.upcoming, *listed.published]:
            forums.append(
                {
                    "kode_unit": unit.code,
                    "forum": forum.id,
                    "judul": forum.title,
                    "mulai": forum.start.isoformat(),
                    "status": forum.status,
                    "jumlah_hadir": forum.attended,
                    "jumlah_kesepakatan": len(forum.agreements),
                }
            )
    return Bundle(results, forums, (await freshness()).last_modified, plans)


def to_csv(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> bytes:
    """A table as UTF-8 CSV (with a BOM so spreadsheet programs read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name, _ in columns])
    return ("\ufeff" + out.getvalue()).encode()


def dictionary_rows() -> list[dict[str, str]]:
    """The data dictionary: each file's columns and what they mean."""
    return [
        {"berkas": file, "kolom": name, "arti": meaning}
        for file, columns in (
            ("hasil-skm.csv", RESULT_COLUMNS),
            ("rencana-tindak-lanjut.csv", PLAN_COLUMNS),
            ("forum.csv", FORUM_COLUMNS),
        )
        for name, meaning in columns
    ]


def to_json(data: Bundle) -> dict[str, Any]:
    """The whole bundle as one JSON document, with its dictionary, licence and date."""
    return {
        "title": "Data terbuka Survei Kepuasan Masyarakat dan Forum Konsultasi Publik",
        "licence": LICENCE,
        "last_updated": data.last_updated.isoformat() if data.last_updated else None,
        "unit_kinds": dict(KIND_LABELS),
        "dictionary": dictionary_rows(),
        "results": data.results,
        "plans": data.plans,
        "forums": data.forums,
    }
