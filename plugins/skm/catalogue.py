"""Candidate activities per standard unsur, offered when an improvement plan is drafted.

A curated starting point a unit picks from, edits, or replaces with its own: program/kegiatan,
a suggested quarter (TW I–IV), the position usually responsible, and an indicator of success.
Edit this table to change the catalogue; bump ``CATALOGUE_VERSION`` so drafts record the change.
"""

from __future__ import annotations

from core.plugin_api import CandidateActivity as A

CATALOGUE_VERSION = "skm-catalogue-2026.12"

CATALOGUE: tuple[A, ...] = (
    A("U1", "Memasang daftar persyaratan per jenis layanan di loket dan laman unit", "I",
      "Kepala Subbagian Umum", "Daftar persyaratan terpasang di semua loket"),
    A("U1", "Meninjau dan menghapus persyaratan yang tidak diperlukan (fotokopi ganda)", "II",
      "Kepala Unit", "Jumlah persyaratan berkurang; SK standar pelayanan diperbarui"),
    A("U2", "Menyusun dan memasang bagan alur pelayanan yang mudah dibaca", "I",
      "Koordinator Pelayanan", "Bagan alur terpasang dan dimuat di laman unit"),
    A("U2", "Menyederhanakan prosedur melalui forum konsultasi publik", "II",
      "Kepala Unit", "Standar pelayanan direvisi dengan prosedur lebih ringkas"),
    A("U3", "Menerapkan sistem antrean bernomor dengan estimasi waktu", "II",
      "Koordinator Pelayanan", "Rata-rata waktu tunggu turun; nomor antrean tersedia"),
    A("U3", "Menambah petugas loket pada jam sibuk", "I",
      "Kepala Subbagian Kepegawaian", "Jadwal piket jam sibuk berjalan"),
    A("U4", "Memasang maklumat biaya/tarif resmi dan larangan pungutan liar", "I",
      "Kepala Unit", "Maklumat biaya terpasang; tidak ada aduan pungutan"),
    A("U4", "Menyediakan pembayaran nontunai dengan bukti resmi", "III",
      "Bendahara Penerimaan", "Semua pembayaran tercatat dengan bukti resmi"),
    A("U5", "Memeriksa ulang hasil layanan sebelum diserahkan (daftar periksa)", "II",
      "Koordinator Pelayanan", "Hasil layanan yang salah dan dikembalikan berkurang"),
    A("U6", "Pelatihan kompetensi teknis bagi petugas layanan", "III",
      "Kepala Subbagian Kepegawaian", "Petugas layanan telah mengikuti pelatihan"),
    A("U7", "Pelatihan pelayanan prima (sikap, sapa, senyum) bagi petugas", "II",
      "Kepala Subbagian Kepegawaian", "Semua petugas loket mengikuti pelatihan"),
    A("U7", "Menetapkan kode etik petugas dan evaluasi bulanan perilaku", "I",
      "Kepala Unit", "Kode etik ditandatangani; evaluasi bulanan tercatat"),
    A("U8", "Memperbaiki dan menjaga kebersihan toilet serta ruang tunggu", "I",
      "Pengurus Barang", "Toilet berfungsi dan bersih; jadwal kebersihan berjalan"),
    A("U8", "Menambah kursi, kipas/AC dan penataan area parkir", "III",
      "Pengurus Barang", "Kursi dan pendingin ruangan bertambah; parkir tertata"),
    A("U9", "Menyediakan kanal pengaduan (kotak saran, WhatsApp, SP4N-LAPOR!) dan petugasnya", "I",
      "Pengelola Pengaduan", "Kanal pengaduan diumumkan; petugas ditetapkan"),
    A("U9", "Menjawab setiap pengaduan paling lambat 5 hari kerja dan melaporkannya", "II",
      "Pengelola Pengaduan", "Semua pengaduan dijawab ≤ 5 hari kerja"),
)  # fmt: skip
