"""Every label the survey pages show for a stored code: statuses, channels, periods, profile options.

The labels are Indonesian msgids of the translation catalogue; pages pass them through ``_()`` so
no raw code (``open``, ``tw4``, ``L``) reaches a reader in either locale.
"""

from __future__ import annotations

from core.surveys.periods import PERIOD_LABELS
from core.surveys.tables import Channel, CycleStatus

STATUS_LABELS: dict[str, str] = {
    CycleStatus.draft.value: "Draf",
    CycleStatus.open.value: "Dibuka",
    CycleStatus.closed.value: "Ditutup",
    CycleStatus.reported.value: "Dilaporkan",
    CycleStatus.published.value: "Dipublikasikan",
}
CHANNEL_LABELS: dict[str, str] = {
    Channel.online.value: "Daring (tautan/QR)",
    Channel.kiosk.value: "Kios di loket",
    Channel.paper.value: "Kuesioner kertas",
    Channel.interview.value: "Wawancara",
    Channel.import_file.value: "Impor berkas",
}
SHORT_PERIOD_LABELS: dict[str, str] = {
    "tw1": "TW I",
    "tw2": "TW II",
    "tw3": "TW III",
    "tw4": "TW IV",
    "s1": "Sem. I",
    "s2": "Sem. II",
    "tahunan": "Tahunan",
    "custom": "Lainnya",
}
# Audit events of a cycle as its page lists them.
CYCLE_EVENT_LABELS: dict[str, str] = {
    "cycle.created": "Siklus dibuat",
    "cycle.open": "Survei dibuka",
    "cycle.closed": "Survei ditutup",
    "cycle.reported": "Laporan dibuat",
    "cycle.published": "Hasil dipublikasikan",
    "responses.imported": "Jawaban diimpor dari berkas",
}
DIMENSION_LABELS: dict[str, str] = {
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Usia",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
}
# What a reader sees for each stored profile option (the stored value stays the code).
JENIS_KELAMIN_LABELS: dict[str, str] = {"L": "Laki-laki", "P": "Perempuan"}
PENDIDIKAN_LABELS: dict[str, str] = {
    "SD": "SD/sederajat",
    "SMP": "SMP/sederajat",
    "SMA": "SMA/SMK/sederajat",
}
PEKERJAAN_LABELS: dict[str, str] = {"PNS": "PNS/ASN", "Swasta": "Pegawai swasta"}
PROFILE_LABELS: dict[str, dict[str, str]] = {
    "jenis_kelamin": JENIS_KELAMIN_LABELS,
    "pendidikan": PENDIDIKAN_LABELS,
    "pekerjaan": PEKERJAAN_LABELS,
}

__all__ = [
    "CHANNEL_LABELS",
    "CYCLE_EVENT_LABELS",
    "DIMENSION_LABELS",
    "JENIS_KELAMIN_LABELS",
    "PEKERJAAN_LABELS",
    "PENDIDIKAN_LABELS",
    "PERIOD_LABELS",
    "PROFILE_LABELS",
    "SHORT_PERIOD_LABELS",
    "STATUS_LABELS",
    "options",
]


def options(values: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(code, label) pairs of profile options for a form's radio buttons."""
    return [(value, labels.get(value, value)) for value in values]
