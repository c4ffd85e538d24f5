"""Demo data: the fictional "Kabupaten Contoh" with units, services, one user per role, and two
years of SKM surveys (cycles through the real service functions, answers inserted in bulk).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Actor
from core.accounts.service import create_user
from core.accounts.tables import User
from core.clock import utcnow
from core.db import atomic
from core.demo_forums import seed_forums
from core.hooks import Hooks
from core.plugins import build_plugin_manager
from core.settings import Settings
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.methods import default_method
from core.surveys.periods import period_dates
from core.surveys.profile import PEKERJAAN, PENDIDIKAN
from core.surveys.questionnaires import scoring_method
from core.surveys.schemas import CycleIn
from core.surveys.tables import Channel, CycleStatus, Response, SurveyCycle
from core.units.schemas import ServiceIn, UnitIn
from core.units.service import create_service, create_unit
from core.units.tables import Service, Unit

REGENCY = ("KAB", "Pemerintah Kabupaten Contoh", "pemda", None)

# (code, name, kind, parent)
UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    ("DINKES", "Dinas Kesehatan", "opd", "KAB"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "opd", "KAB"),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", "opd", "KAB"),
    ("DINSOS", "Dinas Sosial", "opd", "KAB"),
    ("DISDIK", "Dinas Pendidikan", "opd", "KAB"),
    ("DISHUB", "Dinas Perhubungan", "opd", "KAB"),
    ("DLH", "Dinas Lingkungan Hidup", "opd", "KAB"),
    ("DISNAKER", "Dinas Tenaga Kerja", "opd", "KAB"),
    ("KEC-SUKAMAJU", "Kecamatan Sukamaju", "kecamatan", "KAB"),
    ("KEC-MEKARSARI", "Kecamatan Mekarsari", "kecamatan", "KAB"),
    ("KEC-TANJUNG", "Kecamatan Tanjung", "kecamatan", "KAB"),
    ("KEC-WARINGIN", "Kecamatan Waringin", "kecamatan", "KAB"),
    ("KEL-SUKAMAJU", "Kelurahan Sukamaju", "kelurahan_desa", "KEC-SUKAMAJU"),
    ("DESA-MEKARSARI", "Desa Mekarsari", "kelurahan_desa", "KEC-MEKARSARI"),
    ("PKM-SUKAMAJU", "Puskesmas Sukamaju", "puskesmas", "DINKES"),
    ("PKM-MEKARSARI", "Puskesmas Mekarsari", "puskesmas", "DINKES"),
    ("PKM-TANJUNG", "Puskesmas Tanjung", "puskesmas", "DINKES"),
    ("PKM-WARINGIN", "Puskesmas Waringin", "puskesmas", "DINKES"),
    ("RSUD", "RSUD Kabupaten Contoh", "rsud", "DINKES"),
    ("UPT-PASAR", "UPT Pengelolaan Pasar", "upt", "KAB"),
    ("UPT-SAMSAT", "UPT Pelayanan Terpadu Perizinan", "upt", "DPMPTSP"),
    ("SMPN1", "SMP Negeri 1 Contoh", "sekolah", "DISDIK"),
    ("SDN2", "SD Negeri 2 Sukamaju", "sekolah", "DISDIK"),
    ("UPT-LAB", "UPT Laboratorium Kesehatan Daerah", "upt", "DINKES"),
)

SERVICES_BY_KIND: dict[str, tuple[tuple[str, str], ...]] = {
    "pemda": (("PENGADUAN", "Pengelolaan Pengaduan"), ("INFO", "Layanan Informasi Publik")),
    "opd": (
        ("REKOM", "Penerbitan Rekomendasi"),
        ("INFO", "Layanan Informasi"),
        ("PENGADUAN", "Pengelolaan Pengaduan"),
    ),
    "kecamatan": (
        ("KTP", "Pengantar KTP-el"),
        ("IMB", "Rekomendasi PBG"),
        ("SKTM", "Surat Keterangan Tidak Mampu"),
        ("DISPENSASI", "Dispensasi Nikah"),
    ),
    "kelurahan_desa": (
        ("DOMISILI", "Surat Keterangan Domisili"),
        ("USAHA", "Surat Keterangan Usaha"),
    ),
    "puskesmas": (
        ("POLIUMUM", "Poli Umum"),
        ("KIA", "Kesehatan Ibu dan Anak"),
        ("GIGI", "Poli Gigi"),
        ("LAB", "Laboratorium"),
        ("IMUNISASI", "Imunisasi"),
    ),
    "rsud": (
        ("IGD", "Instalasi Gawat Darurat"),
        ("RAJAL", "Rawat Jalan"),
        ("RANAP", "Rawat Inap"),
        ("FARMASI", "Farmasi"),
        ("RADIOLOGI", "Radiologi"),
        ("LAB", "Laboratorium"),
    ),
    "upt": (("LAYANAN", "Layanan Utama"), ("INFO", "Layanan Informasi")),
    "sekolah": (
        ("PPDB", "Penerimaan Peserta Didik Baru"),
        ("LEGALISIR", "Legalisir Ijazah"),
        ("MUTASI", "Mutasi Siswa"),
    ),
}


@dataclass(frozen=True)
class DemoLogin:
    """A demo account; these passwords are for the demo only and documented in the README."""

    username: str
    role: str
    password: str
    units: tuple[str, ...] = ()


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "admin", "demo-admin-2026"),
    DemoLogin("operator", "operator", "demo-operator-2026", ("PKM-SUKAMAJU", "PKM-MEKARSARI")),
    DemoLogin("organizer", "organizer", "demo-organizer-2026"),
    DemoLogin("inspector", "inspector", "demo-inspector-2026"),
)


async def is_empty() -> bool:
    """True when the database has no units and no users yet."""
    return not await Unit.exists() and not await User.exists()


async def seed_demo(hooks: Hooks | None = None, today: date | None = None) -> tuple[DemoLogin, ...]:
    """Create the demo regency with its surveys in one transaction; refuses a non-empty database.

    ``today`` (default: the local date) decides which periods are past (closed) and which one is
    running (open); the data is otherwise the same on every run.
    """
    if not await is_empty():
        raise RuntimeError("database already has data; demo data goes only into an empty one")
    hooks = hooks or Hooks(build_plugin_manager())
    today = today or local_today()
    system = Actor.system()
    user_ids: dict[str, int] = {}
    async with atomic():
        for code, name, kind, parent in (REGENCY, *UNITS):
            await create_unit(
                system,
                UnitIn(
                    code=code,
                    name=name,
                    kind=kind,
                    parent=parent,
                    address=f"Jl. {name.split()[-1]} No. 1, Contoh",
                    email=f"{code.lower()}@contoh.go.id",
                ),
            )
            for service_code, service_name in SERVICES_BY_KIND[kind]:
                await create_service(system, code, ServiceIn(code=service_code, name=service_name))
        for login in DEMO_LOGINS:
            user_ids[login.username] = await create_user(
                system,
                login.username,
                login.role,
                login.password,
                login.units,
                full_name=f"Demo {login.role.title()}",
            )
        await seed_surveys(hooks, today, operator_id=user_ids["operator"])
        await seed_forums(today)
    return DEMO_LOGINS


# --- Demo surveys -----------------------------------------------------------------------------

DEMO_SEED = 20261129
BATCH_SIZE = 500
PAPER_OPERATOR_UNITS = frozenset({"PKM-SUKAMAJU", "PKM-MEKARSARI"})
RESPONSE_COLUMNS: tuple[str, ...] = tuple(
    column._meta.db_column_name for column in Response._meta.columns if column._meta.name != "id"
)

# Mean answer (1–4) of each standard unsur at an ordinary unit: mostly 3s and 4s, fees mostly free.
BASE_MEANS: dict[str, float] = {
    "U1": 3.30,
    "U2": 3.22,
    "U3": 3.12,
    "U4": 3.65,
    "U5": 3.25,
    "U6": 3.30,
    "U7": 3.40,
    "U8": 3.12,
    "U9": 3.08,
}
PERIODS: dict[str, tuple[str, ...]] = {
    "tahunan": ("tahunan",),
    "semester": ("s1", "s2"),
    "triwulan": ("tw1", "tw2", "tw3", "tw4"),
}


@dataclass(frozen=True)
class SurveyPlan:
    """How a demo unit ran SKM: period scheme last year and this year (None: did not survey).

    ``recipients`` is the yearly number of service recipients (split over the periods),
    ``coverage`` the responses collected per K&M minimum, ``quality`` a shift of every unsur's
    mean, ``weak`` unsur with a target mean of their own (this year; a little lower last year),
    ``under_sampled`` collects about half the minimum this year.
    """

    unit: str
    past: str
    current: str | None
    recipients: int
    coverage: float = 1.08
    quality: float = 0.0
    weak: tuple[tuple[str, float], ...] = ()
    under_sampled: bool = False


SURVEY_PLANS: tuple[SurveyPlan, ...] = (
    SurveyPlan("DINKES", "tahunan", "semester", 1_300, 1.15),
    SurveyPlan("DISDUKCAPIL", "semester", "triwulan", 38_000, 1.04, weak=(("U3", 2.45),)),
    SurveyPlan("DPMPTSP", "semester", "semester", 5_200, 1.25, quality=0.42),
    SurveyPlan("DINSOS", "tahunan", "semester", 2_600, 1.10),
    SurveyPlan("DISDIK", "tahunan", "semester", 1_800, 1.05),
    SurveyPlan("DISHUB", "tahunan", "semester", 3_000, 1.06, quality=-0.12),
    SurveyPlan("DLH", "tahunan", None, 900, 1.10),
    SurveyPlan("DISNAKER", "tahunan", None, 2_400, 1.03),
    SurveyPlan("KEC-SUKAMAJU", "semester", "semester", 5_500, 1.10),
    SurveyPlan("KEC-MEKARSARI", "semester", "semester", 4_200, 1.15, quality=0.05),
    SurveyPlan("KEC-TANJUNG", "semester", "semester", 4_800, 1.05, weak=(("U9", 2.40),)),
    SurveyPlan("KEC-WARINGIN", "semester", "semester", 3_600, under_sampled=True),
    SurveyPlan("KEL-SUKAMAJU", "tahunan", "semester", 1_100, 1.20),
    SurveyPlan("DESA-MEKARSARI", "tahunan", "semester", 700, 1.25, quality=0.10),
    SurveyPlan("PKM-SUKAMAJU", "semester", "triwulan", 21_000, 1.40, quality=0.12),
    SurveyPlan("PKM-MEKARSARI", "semester", "triwulan", 16_000, 1.10),
    SurveyPlan("PKM-TANJUNG", "semester", "triwulan", 14_000, 1.05),
    SurveyPlan("PKM-WARINGIN", "semester", "triwulan", 12_000, 1.08, weak=(("U9", 2.60),)),
    SurveyPlan("RSUD", "semester", "triwulan", 60_000, 1.04, -0.05, (("U3", 2.60),)),
    SurveyPlan("UPT-PASAR", "semester", "triwulan", 3_000, quality=-0.32, under_sampled=True),
    SurveyPlan("UPT-SAMSAT", "semester", "triwulan", 12_000, 1.10),
    SurveyPlan("SMPN1", "tahunan", "semester", 600, 1.30, quality=0.10),
    SurveyPlan("SDN2", "tahunan", None, 420, 1.20),
    SurveyPlan("UPT-LAB", "tahunan", "semester", 1_900, 1.10),
)

# Channel mix (online, kiosk, paper) by kind of unit.
CHANNEL_MIX: dict[str, tuple[float, float, float]] = {
    "opd": (0.45, 0.35, 0.20),
    "kecamatan": (0.15, 0.25, 0.60),
    "kelurahan_desa": (0.10, 0.20, 0.70),
    "puskesmas": (0.10, 0.55, 0.35),
    "rsud": (0.20, 0.50, 0.30),
    "upt": (0.30, 0.40, 0.30),
    "sekolah": (0.70, 0.00, 0.30),
}
SHARE_FEMALE: dict[str, float] = {"puskesmas": 0.63, "sekolah": 0.60, "rsud": 0.55}
PENDIDIKAN_WEIGHTS: dict[str, int] = {
    "SD": 7,
    "SMP": 12,
    "SMA": 40,
    "D1": 1,
    "D2": 1,
    "D3": 8,
    "D4": 3,
    "S1": 23,
    "S2": 4,
    "S3": 1,
}
PEKERJAAN_WEIGHTS: dict[str, int] = {
    "PNS": 10,
    "TNI": 2,
    "POLRI": 2,
    "Swasta": 28,
    "Wirausaha": 26,
    "Lainnya": 32,
}
PEKERJAAN_LAIN: tuple[str, ...] = (
    "Ibu rumah tangga",
    "Petani",
    "Pelajar/Mahasiswa",
    "Buruh harian lepas",
    "Nelayan",
    "Pensiunan",
    "Belum bekerja",
)
SARAN_WAKTU: tuple[str, ...] = (
    "Antrean di loket terlalu lama, mohon ditambah petugas.",
    "Waktu penyelesaian tidak sesuai yang dijanjikan, mohon lebih tepat waktu.",
    "Petugas sering datang terlambat sehingga pelayanan baru mulai siang.",
    "Mohon diterapkan nomor antrean online agar tidak menunggu lama.",
    "Proses terlalu lama karena harus menunggu tanda tangan pimpinan.",
)
SARAN_PENGADUAN: tuple[str, ...] = (
    "Kotak saran ada tetapi tidak pernah ada tanggapan.",
    "Mohon disediakan nomor WhatsApp pengaduan yang aktif dan dibalas.",
    "Pengaduan saya bulan lalu belum ditindaklanjuti sampai sekarang.",
    "Hasil tindak lanjut pengaduan sebaiknya diumumkan di papan informasi.",
)
SARAN_UMUM: tuple[str, ...] = (
    "Pelayanan sudah baik, pertahankan.",
    "Petugas ramah dan sopan, terima kasih.",
    "Ruang tunggu panas, mohon ditambah kipas angin atau AC.",
    "Tempat parkir sempit, mohon diperluas.",
    "Toilet kurang bersih, mohon lebih diperhatikan.",
    "Persyaratan sebaiknya diumumkan jelas di papan informasi dan media sosial.",
    "Mohon informasi persyaratan disampaikan sekaligus agar tidak bolak-balik.",
    "Alur pelayanan kurang jelas, mohon dipasang petunjuk arah.",
    "Sediakan kursi roda dan jalur khusus untuk lansia dan disabilitas.",
    "Jam pelayanan mohon diperpanjang sampai sore.",
    "Mohon layanan pendaftaran online dikembangkan.",
    "Petugas informasi di depan sangat membantu.",
    "Formulir terlalu banyak, mohon disederhanakan.",
    "Sinyal dan wifi di ruang tunggu tidak ada.",
    "Biaya sudah sesuai dan ada kuitansinya, bagus.",
    "Mohon ada pojok bermain anak di ruang tunggu.",
    "Petugas kompeten, penjelasan mudah dipahami.",
    "Papan nama dan tarif layanan sebaiknya dipasang di depan loket.",
    "Air minum untuk pengunjung mohon disediakan.",
    "Semoga pelayanan makin cepat dan tidak berbelit.",
    "Mohon petugas tidak sibuk dengan telepon genggam saat melayani.",
)


def local_today() -> date:
    """Today's date in the installation's time zone."""
    return utcnow().astimezone(ZoneInfo(Settings.from_env().timezone)).date()


@dataclass
class _Draw:
    """Draws one demo unit's answers and respondents from the shared seeded generator."""

    rng: random.Random
    kind: str
    services: list[int]
    means: dict[str, float]
    operator_id: int | None
    tz: ZoneInfo
    now: datetime

    def answers(self, channel: str) -> dict[str, int | None]:
        person = self.rng.gauss(0, 0.28)  # one respondent's overall mood, shared by every unsur
        values: dict[str, int | None] = {}
        for code, mean in self.means.items():
            latent = mean + person + self.rng.gauss(0, 0.5)
            values[code] = min(4, max(1, int(latent + 0.5)))
        if channel == Channel.paper.value and self.rng.random() < 0.12:
            # Paper forms come back with the odd question skipped (most often fee and complaints).
            skipped = self.rng.choice(("U4", "U9", "U9", "U4", "U2", "U8", "U5"))
            values[skipped] = None
        return values

    def profile(self, channel: str) -> dict[str, Any]:
        rng = self.rng
        blank = channel == Channel.paper.value
        low, high, mode = (27, 60, 41) if self.kind == "sekolah" else (17, 75, 36)
        pekerjaan = rng.choices(PEKERJAAN, [PEKERJAAN_WEIGHTS[p] for p in PEKERJAAN])[0]
        profile = {
            "jenis_kelamin": "P" if rng.random() < SHARE_FEMALE.get(self.kind, 0.46) else "L",
            "usia": round(rng.triangular(low, high, mode)),
            "pendidikan": rng.choices(PENDIDIKAN, [PENDIDIKAN_WEIGHTS[p] for p in PENDIDIKAN])[0],
            "pekerjaan": pekerjaan,
            "pekerjaan_lain": rng.choice(PEKERJAAN_LAIN) if pekerjaan == "Lainnya" else "",
        }
        if blank and rng.random() < 0.05:
            profile["usia"] = None
        if blank and rng.random() < 0.03:
            profile["pendidikan"] = ""
        return profile

    def saran(self, values: dict[str, int | None]) -> str:
        rng = self.rng
        if rng.random() >= 0.30:
            return ""
        if (values["U3"] or 4) <= 2 and rng.random() < 0.7:
            return rng.choice(SARAN_WAKTU)
        if (values["U9"] or 4) <= 2 and rng.random() < 0.7:
            return rng.choice(SARAN_PENGADUAN)
        return rng.choice((*SARAN_UMUM, *SARAN_WAKTU[:1], *SARAN_PENGADUAN[:1]))

    def moment(self, channel: str, first: date, last: date) -> tuple[date, str]:
        """A day in the period (office days unless online) and a time of day."""
        rng = self.rng
        days = (last - first).days + 1
        for _ in range(10):
            day = first + timedelta(days=rng.randrange(days))
            if channel == Channel.online.value or day.weekday() < 5:
                break
        if channel == Channel.online.value:
            minutes = rng.randint(6 * 60, 22 * 60)
        else:
            minutes = rng.randint(7 * 60 + 30, 15 * 60 + 30)
        return day, f"{minutes // 60:02d}:{minutes % 60:02d}"

    def response(
        self, cycle: dict[str, Any], token: str, first: date, last: date
    ) -> tuple[Any, ...]:
        """One response as a row of RESPONSE_COLUMNS."""
        rng = self.rng
        mix = CHANNEL_MIX[self.kind]
        channel = rng.choices((Channel.online, Channel.kiosk, Channel.paper), mix)[0].value
        values = self.answers(channel)
        filled_on, filled_time = self.moment(channel, first, last)
        local = datetime.combine(filled_on, time.fromisoformat(filled_time), self.tz)
        created = local.astimezone(UTC)
        entered_by = None
        if channel == Channel.paper.value:
            created += timedelta(days=rng.randint(1, 6))  # keyed in some days later
            if rng.random() < 0.4:
                filled_time = ""  # the form's time box left empty
            entered_by = self.operator_id
        weights = [len(self.services) - i for i in range(len(self.services))]
        row = {
            "cycle": cycle["id"],
            "service": rng.choices(self.services, weights)[0],
            "questionnaire": cycle["questionnaire"],
            "channel": channel,
            "method": default_method(Channel(channel)).value,
            "entered_by": entered_by,
            "import_batch": None,
            "submission_token": token,
            "source_key": "",
            **{code.lower(): value for code, value in values.items()},
            **self.profile(channel),
            "filled_on": filled_on,
            "filled_time": filled_time,
            "saran": self.saran(values),
            "created_at": min(created, self.now),
            "voided_at": None,
            "voided_by": None,
            "void_reason": "",
            "superseded_by": None,
        }
        return tuple(row[column] for column in RESPONSE_COLUMNS)


async def _insert_responses(rows: list[tuple[Any, ...]]) -> None:
    """One multi-row INSERT (building Piccolo objects for tens of thousands of rows is slow)."""
    columns = ", ".join(f'"{column}"' for column in RESPONSE_COLUMNS)
    values = "(" + ", ".join("{}" for _ in RESPONSE_COLUMNS) + ")"
    await Response.raw(
        f"INSERT INTO survey_response ({columns}) VALUES {', '.join([values] * len(rows))}",
        *(value for row in rows for value in row),
    )


def _means(plan: SurveyPlan, past: bool) -> dict[str, float]:
    shift = plan.quality - (0.06 if past else 0.0)  # most units improved a little this year
    means = {code: mean + shift for code, mean in BASE_MEANS.items()}
    for code, target in plan.weak:
        means[code] = target - (0.10 if past else 0.0)
    return means


def _cycle_slots(plan: SurveyPlan, today: date) -> list[tuple[int, str, str]]:
    """(year, period type, status) of each cycle of the plan up to today."""
    slots: list[tuple[int, str, str]] = []
    for year, scheme in ((today.year - 1, plan.past), (today.year, plan.current)):
        if scheme is None:
            continue
        for period in PERIODS[scheme]:
            first, last = period_dates(period, year)
            if first > today:
                continue
            status = CycleStatus.open.value if last >= today else CycleStatus.closed.value
            slots.append((year, period, status))
    return slots


async def seed_surveys(hooks: Hooks, today: date, operator_id: int | None = None) -> int:
    """Two years of SKM cycles for the demo units; returns the number of responses stored.

    Cycles are created, opened and closed through core.surveys.cycles (so the audit log and
    events are the real ones); answers are drawn from one seeded generator and inserted in bulk.
    Call inside the atomic() block that created the units.
    """
    rng = random.Random(DEMO_SEED)
    system = Actor.system()
    method = scoring_method(hooks)
    tz = ZoneInfo(Settings.from_env().timezone)
    now = utcnow()
    kinds = {code: kind for code, _, kind, _ in UNITS}
    unit_ids = {r["code"]: r["id"] for r in await Unit.select(Unit.id, Unit.code)}
    services: dict[int, list[tuple[int, str]]] = {}
    for row in await Service.select(Service.id, Service.unit, Service.code).order_by(Service.id):
        services.setdefault(row["unit"], []).append((row["id"], row["code"]))
    slots = sorted(
        (
            (period_dates(period, year)[0], plan_index, year, period, status)
            for plan_index, plan in enumerate(SURVEY_PLANS)
            for year, period, status in _cycle_slots(plan, today)
        ),
    )
    stored = 0
    for first, plan_index, year, period, status in slots:
        plan = SURVEY_PLANS[plan_index]
        kind = kinds[plan.unit]
        unit_services = services[unit_ids[plan.unit]]
        mix = CHANNEL_MIX[kind]
        channels = [
            c.value
            for c, share in zip((Channel.online, Channel.kiosk, Channel.paper), mix, strict=True)
            if share
        ]
        periods = len(PERIODS[plan.past if year < today.year else plan.current or "tahunan"])
        population = max(30, round(plan.recipients / periods * rng.uniform(0.85, 1.15)))
        cycle_id = await create_cycle(
            system,
            hooks,
            CycleIn(
                unit=plan.unit,
                period_type=period,
                population=population,
                year=year,
                services=[code for _, code in unit_services],
                channels=channels,
            ),
        )
        await open_cycle(system, hooks, cycle_id)
        cycle = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
        minimum = method.minimum_sample(population)
        last = min(cycle["end_date"], today)
        if plan.under_sampled and year == today.year:
            count = round(minimum * rng.uniform(0.42, 0.62))
        else:
            count = max(minimum, round(minimum * plan.coverage * rng.uniform(0.97, 1.06)))
        if status == CycleStatus.open.value:
            # Collection still running: proportional to the time elapsed, full after 60 %.
            elapsed = ((last - first).days + 1) / ((cycle["end_date"] - first).days + 1)
            count = round(count * min(1.0, elapsed / 0.6))
        draw = _Draw(
            rng=rng,
            kind=kind,
            services=[service_id for service_id, _ in unit_services],
            means=_means(plan, past=year < today.year),
            operator_id=operator_id if plan.unit in PAPER_OPERATOR_UNITS else None,
            tz=tz,
            now=now,
        )
        rows = [
            draw.response(
                cycle, f"demo-{plan.unit.lower()}-{year}-{period}-{number:04d}", first, last
            )
            for number in range(1, count + 1)
        ]
        for start in range(0, len(rows), BATCH_SIZE):
            await _insert_responses(rows[start : start + BATCH_SIZE])
        stored += len(rows)
        if status == CycleStatus.closed.value:
            await close_cycle(system, cycle_id)
    return stored


@dataclass(frozen=True)
class SurveySummary:
    """What the survey part of the demo holds."""

    units: int
    cycles: int
    open_cycles: int
    responses: int


async def survey_summary() -> SurveySummary:
    """Count the cycles and responses in the database (for the ``suara demo`` message)."""
    rows = await SurveyCycle.raw(
        "SELECT COUNT(DISTINCT unit) AS units, COUNT(*) AS cycles,"
        " SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_cycles FROM survey_cycle"
    )
    return SurveySummary(
        units=int(rows[0]["units"] or 0),
        cycles=int(rows[0]["cycles"] or 0),
        open_cycles=int(rows[0]["open_cycles"] or 0),
        responses=await Response.count(),
    )
