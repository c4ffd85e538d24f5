"""What each audit action is called: one table of labels, which every area adds its names to.

An action label is a tuple of catalogue msgids shown joined (``("Siklus survei", "Ditutup")`` →
"Siklus survei: Ditutup"), so each part is translated once. Every ``core.states.StateMachine``
registers its moves (``<prefix>.<status>``) when it is defined; an area with other actions calls
``register`` at import. Registering is idempotent and only ever adds, so nothing needs resetting.
"""

from __future__ import annotations

from collections.abc import Mapping

_LABELS: dict[str, tuple[str, ...]] = {
    # accounts
    "user.created": ("Pengguna", "Dibuat"),
    "user.updated": ("Pengguna", "Diubah"),
    "user.deactivated": ("Pengguna", "Dinonaktifkan"),
    "user.reactivated": ("Pengguna", "Diaktifkan kembali"),
    "user.password_reset": ("Pengguna", "Kata sandi diatur ulang"),
    "user.password_changed": ("Pengguna", "Kata sandi diganti sendiri"),
    "user.token_revoked": ("Pengguna", "Token API dicabut"),
    # units
    "unit.created": ("Unit layanan", "Dibuat"),
    "unit.updated": ("Unit layanan", "Diubah"),
    "service.created": ("Jenis layanan", "Dibuat"),
    "service.updated": ("Jenis layanan", "Diubah"),
    # surveys
    "cycle.created": ("Siklus survei", "Dibuat"),
    "questionnaire.saved": ("Kuesioner", "Disimpan"),
    "kiosk.enrolled": ("Perangkat kios", "Didaftarkan"),
    "kiosk.revoked": ("Perangkat kios", "Dicabut"),
    "kiosk.refused": ("Perangkat kios", "Penggunaan ditolak"),
    "responses.imported": ("Jawaban survei", "Diimpor"),
    "response.entered": ("Jawaban survei", "Dimasukkan petugas"),
    "response.corrected": ("Jawaban survei", "Dikoreksi"),
    "response.voided": ("Jawaban survei", "Dibatalkan"),
    # reports
    "report.texts_saved": ("Laporan SKM", "Teks laporan disimpan"),
    "report.publication_recorded": ("Laporan SKM", "Publikasi dicatat"),
    "report.photo_added": ("Laporan SKM", "Foto dokumentasi diunggah"),
    # forums
    "forum.created": ("Forum", "Dibuat"),
    "forum.updated": ("Forum", "Diubah"),
    "forum.rescheduled": ("Forum", "Dijadwalkan ulang"),
    "forum.invited": ("Forum", "Undangan dikirim"),
    "forum.attendance": ("Forum", "Kehadiran dicatat"),
    "forum.attendance_undone": ("Forum", "Kehadiran dibatalkan"),
    "forum.agreement_added": ("Forum", "Kesepakatan ditambahkan"),
    "forum.minutes_saved": ("Forum", "Notulen disimpan"),
    "forum.document_added": ("Forum", "Dokumen diunggah"),
    "forum.locked": ("Forum", "Dikunci"),
    "invitation.answered": ("Undangan forum", "Dijawab"),
    "stakeholder.created": ("Pemangku kepentingan", "Dibuat"),
    "stakeholder.updated": ("Pemangku kepentingan", "Diubah"),
    "stakeholder.consent_withdrawn": ("Pemangku kepentingan", "Persetujuan ditarik"),
    # notifications
    "notification.channels_changed": ("Notifikasi", "Saluran diubah"),
}
_ENTITIES: dict[str, str] = {
    "user": "Pengguna",
    "unit": "Unit layanan",
    "service": "Jenis layanan",
    "survey_cycle": "Siklus survei",
    "questionnaire": "Kuesioner",
    "forum": "Forum",
    "invitation": "Undangan forum",
    "stakeholder": "Pemangku kepentingan",
    "survey_response": "Jawaban survei",
}


def register(labels: Mapping[str, tuple[str, ...]]) -> None:
    """Add an area's action labels (an action already known keeps its first label)."""
    for action, parts in labels.items():
        _LABELS.setdefault(action, tuple(parts))


def register_moves(
    prefix: str, noun: str, status_labels: Mapping[str, str], entity: str | None = None
) -> None:
    """Label every move of a life cycle: ``<prefix>.<status>`` is "<noun>: <status label>"."""
    register({f"{prefix}.{status}": (noun, label) for status, label in status_labels.items()})
    if entity:
        register_entity(entity, noun)


def register_entity(entity: str, label: str) -> None:
    """Name a kind of record (the audit's ``entity``) as people read it."""
    _ENTITIES.setdefault(entity, label)


def action_label(action: str) -> tuple[str, ...]:
    """The msgids that name an action; an unregistered one is named by its code."""
    return _LABELS.get(action, (action,))


def entity_label(entity: str) -> str:
    """The msgid naming a kind of record; an unregistered one is named by its code."""
    return _ENTITIES.get(entity, entity)


def known_entities() -> dict[str, str]:
    """Every registered kind of record with its label."""
    return dict(_ENTITIES)


def known_actions() -> dict[str, tuple[str, ...]]:
    """Every registered action with its label, in registration order."""
    return dict(_LABELS)
