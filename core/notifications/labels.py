"""What notification events and delivery statuses are called on screen (catalogue msgids)."""

from __future__ import annotations

EVENT_LABELS: dict[str, str] = {
    "forum.invited": "Undangan forum",
    "forum.rescheduled": "Forum dijadwalkan ulang",
    "forum.cancelled": "Forum dibatalkan",
    "forum.seat_available": "Kursi forum tersedia",
    "forum.reminder_3d": "Pengingat forum (3 hari)",
    "forum.reminder_1d": "Pengingat forum (1 hari)",
    "plan.due_soon": "Pengingat tindak lanjut (jatuh tempo 14 hari)",
    "plan.overdue": "Tindak lanjut terlambat",
    "plan.item_status": "Status kegiatan tindak lanjut",
    "evaluation.reminder": "Pengingat tenggat evaluasi inspektorat",
}
DELIVERY_STATUS_LABELS: dict[str, str] = {
    "pending": "menunggu",
    "sent": "terkirim",
    "retrying": "dicoba lagi",
    "failed": "gagal",
}
