"""The Standar Pelayanan of every demo service, set on the year's first working day through core.units.standards.

Delivery components are written per jenis layanan; the management components are the ones a
regency usually shares across units, named for the unit.
"""

from __future__ import annotations

from datetime import date

from core.accounts.policy import Actor
from core.units.schemas import StandardIn
from core.units.standards import save_standard, unit_standards
from core.units.tables import Unit

# (persyaratan, jangka waktu, produk) per service code; fees are free unless stated.
DELIVERY: dict[str, tuple[str, str, str]] = {
    "PENGADUAN": ("Identitas pelapor dan uraian pengaduan", "14 hari kerja", "Jawaban tertulis"),
    "INFO": ("Formulir permohonan informasi; fotokopi KTP-el", "10 hari kerja", "Informasi publik"),
    "REKOM": (
        "Surat permohonan; fotokopi KTP-el; dokumen teknis",
        "5 hari kerja",
        "Surat rekomendasi",
    ),
    "KTP": ("Kartu Keluarga; surat pengantar RT/RW", "1 hari kerja", "Surat pengantar KTP-el"),
    "IMB": (
        "Formulir permohonan; bukti kepemilikan tanah; gambar bangunan",
        "7 hari kerja",
        "Rekomendasi PBG",
    ),
    "SKTM": (
        "Kartu Keluarga; surat pengantar RT/RW",
        "1 hari kerja",
        "Surat keterangan tidak mampu",
    ),
    "DISPENSASI": (
        "Surat pengantar KUA; akta kelahiran calon pengantin",
        "3 hari kerja",
        "Surat dispensasi",
    ),
    "DOMISILI": (
        "Kartu Keluarga; surat pengantar RT/RW",
        "1 hari kerja",
        "Surat keterangan domisili",
    ),
    "USAHA": (
        "KTP-el; foto tempat usaha; surat pengantar RT/RW",
        "1 hari kerja",
        "Surat keterangan usaha",
    ),
    "POLIUMUM": (
        "Kartu BPJS Kesehatan atau KTP-el",
        "15 menit per pasien",
        "Pemeriksaan dan resep",
    ),
    "KIA": (
        "Buku KIA; kartu BPJS Kesehatan atau KTP-el",
        "20 menit per pasien",
        "Pemeriksaan ibu dan anak",
    ),
    "GIGI": ("Kartu BPJS Kesehatan atau KTP-el", "30 menit per pasien", "Perawatan gigi"),
    "LAB": ("Surat pengantar pemeriksaan", "2 jam", "Hasil pemeriksaan laboratorium"),
    "IMUNISASI": ("Buku KIA", "15 menit per anak", "Imunisasi tercatat di buku KIA"),
    "IGD": (
        "Tanpa persyaratan saat gawat darurat",
        "Segera (triase ≤ 5 menit)",
        "Penanganan gawat darurat",
    ),
    "RAJAL": (
        "Kartu BPJS Kesehatan atau KTP-el; surat rujukan",
        "60 menit",
        "Pemeriksaan dokter spesialis",
    ),
    "RANAP": (
        "Surat perintah rawat inap; kartu BPJS Kesehatan",
        "30 menit penerimaan",
        "Perawatan inap",
    ),
    "FARMASI": ("Resep dokter", "30 menit (racikan 60 menit)", "Obat dan informasi obat"),
    "RADIOLOGI": ("Surat pengantar pemeriksaan", "1 jam", "Hasil foto dan ekspertise"),
    "LAYANAN": ("Formulir permohonan; KTP-el", "1 hari kerja", "Dokumen layanan"),
    "PPDB": (
        "Akta kelahiran; Kartu Keluarga; rapor",
        "Sesuai jadwal PPDB",
        "Pengumuman penerimaan",
    ),
    "LEGALISIR": ("Ijazah asli dan fotokopinya", "1 hari kerja", "Fotokopi ijazah terlegalisir"),
    "MUTASI": (
        "Surat permohonan orang tua; surat keterangan pindah",
        "3 hari kerja",
        "Surat mutasi",
    ),
}


def _standard(unit_name: str, code: str, name: str, set_on: date) -> StandardIn:
    persyaratan, waktu, produk = DELIVERY[code]
    return StandardIn(
        components={
            "persyaratan": persyaratan,
            "prosedur": f"Pemohon datang ke loket {name}; petugas memeriksa persyaratan; layanan"
            " diberikan; pemohon menerima produk layanan",
            "jangka_waktu": waktu,
            "biaya_tarif": "Tidak dipungut biaya",
            "produk": produk,
            "pengaduan": "Kotak saran, SP4N-LAPOR!, telepon dan e-mail unit",
            "dasar_hukum": "UU 25/2009; PP 96/2012; PermenPAN-RB 15/2014",
            "sarana_prasarana": "Ruang tunggu, loket, papan informasi, toilet, akses difabel",
            "kompetensi_pelaksana": f"Memahami tugas dan prosedur {name}; ramah dan komunikatif",
            "pengawasan_internal": f"Pimpinan {unit_name} dan Inspektorat Daerah",
            "jumlah_pelaksana": "3 orang",
            "jaminan_pelayanan": "Maklumat pelayanan dipasang di ruang layanan",
            "jaminan_keamanan": "Data pemohon dijaga kerahasiaannya; ruang layanan aman",
            "evaluasi_kinerja": "Evaluasi setiap triwulan dan SKM sekali setahun",
        },
        set_on=set_on,
    )


async def seed_standards(today: date) -> int:
    """A complete standard for every service of every demo unit, set on the year's first working
    day; returns how many were saved."""
    system = Actor.system()
    saved = 0
    for unit in await Unit.select(Unit.code, Unit.name):
        for standard in await unit_standards(system, unit["code"]):
            data = _standard(
                unit["name"], standard.service, standard.service_name, date(today.year, 1, 2)
            )
            await save_standard(system, unit["code"], standard.service, data)
            saved += 1
    return saved
