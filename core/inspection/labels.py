"""Every inspection label people read, once: finding statuses, thread steps, indicators, signals.

Each value is an Indonesian msgid of the translation catalogue; pages pass it through ``_()``.
"""

from __future__ import annotations

from core.audit.actions import register, register_entity
from core.inspection.tables import FindingStatus

STATUS_LABELS: dict[str, str] = {
    FindingStatus.open.value: "Terbuka",
    FindingStatus.responded.value: "Ditanggapi",
    FindingStatus.returned.value: "Dikembalikan",
    FindingStatus.closed.value: "Ditutup",
}
ENTRY_LABELS: dict[str, str] = {
    "response": "Tanggapan unit",
    "accepted": "Tanggapan diterima",
    "returned": "Tanggapan dikembalikan",
    "closed": "Temuan ditutup",
}
INDICATOR_LABELS: dict[str, str] = {
    "6": "Indikator 6: SKM sesuai PermenPAN-RB 14/2017",
    "7": "Indikator 7: media publikasi hasil SKM",
    "8": "Indikator 8: persentase RTL terealisasi",
    "9": "Indikator 9: kecepatan tindak lanjut",
    "fkp2": "FKP 2: unsur masyarakat yang dilibatkan",
}
SIGNAL_LABELS: dict[str, str] = {
    "channels": "Sebaran metode pengumpulan dan porsi entri petugas",
    "bursts": "Lonjakan dari satu sumber/kios dalam hitungan menit",
    "identical": "Pola jawaban seragam (semua unsur bernilai sama)",
    "service_hours": "Jawaban di luar jam layanan unit",
    "completion_time": "Waktu pengisian sangat singkat",
    "repeats": "Profil dan jawaban sama berulang dalam hitungan menit",
}

register(
    {
        "self_assessment.submitted": ("Penilaian mandiri", "Dikirim"),
        "finding.created": ("Temuan", "Dicatat"),
        "finding.evidence_added": ("Temuan", "Bukti diunggah"),
        "signal.reviewed": ("Sinyal integritas", "Ditinjau"),
    }
)
register_entity("finding", "Temuan")
