"""Every forum label people read, once: statuses, purposes, formats, groups, answers, methods.

Each value is an Indonesian msgid of the translation catalogue; pages pass it through ``_()``.
"""

from __future__ import annotations

from core.forums.tables import (
    ForumFormat,
    ForumPurpose,
    ForumStatus,
    Rsvp,
    StakeholderGroup,
)

STATUS_LABELS: dict[str, str] = {
    ForumStatus.draft.value: "Draf",
    ForumStatus.scheduled.value: "Terjadwal",
    ForumStatus.held.value: "Telah berlangsung",
    ForumStatus.minutes_published.value: "Notulen terbit",
    ForumStatus.cancelled.value: "Dibatalkan",
}
PURPOSE_LABELS: dict[str, str] = {
    ForumPurpose.standar_pelayanan.value: "Penyusunan/peninjauan standar pelayanan",
    ForumPurpose.maklumat.value: "Maklumat pelayanan",
    ForumPurpose.tindak_lanjut_skm.value: "Tindak lanjut hasil SKM",
    ForumPurpose.kebijakan.value: "Rancangan kebijakan",
    ForumPurpose.lainnya.value: "Lainnya",
}
FORMAT_LABELS: dict[str, str] = {
    ForumFormat.tatap_muka.value: "Tatap muka",
    ForumFormat.daring.value: "Daring",
    ForumFormat.hybrid.value: "Hybrid",
}
GROUP_LABELS: dict[str, str] = {
    StakeholderGroup.pengguna_layanan.value: "Masyarakat pengguna layanan",
    StakeholderGroup.akademisi.value: "Akademisi/ahli/praktisi",
    StakeholderGroup.instansi_terkait.value: "Instansi terkait",
    StakeholderGroup.organisasi_masyarakat.value: "Organisasi masyarakat sipil",
    StakeholderGroup.media.value: "Media",
}
VULNERABLE_LABELS: dict[str, str] = {
    "disabilitas": "Penyandang disabilitas",
    "lansia": "Lanjut usia",
    "ibu_hamil": "Ibu hamil/menyusui",
    "anak": "Anak",
    "masyarakat_adat": "Masyarakat adat",
    "lainnya": "Kelompok rentan lainnya",
}
RSVP_LABELS: dict[str, str] = {
    Rsvp.pending.value: "Belum menjawab",
    Rsvp.hadir.value: "Hadir",
    Rsvp.tidak_hadir.value: "Tidak hadir",
    Rsvp.diwakilkan.value: "Diwakilkan",
}
AGREEMENT_LABELS: dict[str, str] = {
    "open": "Terbuka",
    "in_progress": "Sedang berjalan",
    "done": "Selesai",
    "dropped": "Dibatalkan",
}
METHOD_LABELS: dict[str, str] = {"qr": "Kode QR", "tap": "Daftar nama", "walkin": "Tanpa undangan"}
SIGNED_BERITA_ACARA = "berita_acara_signed"
DOCUMENT_LABELS: dict[str, str] = {
    "material": "Bahan/materi forum",
    "photo": "Foto dokumentasi",
    SIGNED_BERITA_ACARA: "Berita acara bertanda tangan (pindaian)",
}
TZ_LABELS: dict[str, str] = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def all_labels() -> dict[str, dict[str, str]]:
    """Every label table by the name pages know it under (``status_labels`` …)."""
    return {
        "status_labels": STATUS_LABELS,
        "purpose_labels": PURPOSE_LABELS,
        "format_labels": FORMAT_LABELS,
        "group_labels": GROUP_LABELS,
        "vulnerable_labels": VULNERABLE_LABELS,
        "rsvp_labels": RSVP_LABELS,
        "method_labels": METHOD_LABELS,
        "document_labels": DOCUMENT_LABELS,
        "agreement_labels": AGREEMENT_LABELS,
    }
