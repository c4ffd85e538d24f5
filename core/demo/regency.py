"""The demo regency "Kabupaten Contoh": units, services, one user per role, and seeding it all
(surveys and forums) in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from core.accounts.policy import Actor
from core.accounts.service import create_user
from core.accounts.tables import User
from core.clock import utcnow
from core.db import atomic
from core.demo.follow_through import seed_follow_through
from core.demo.forums import seed_forums
from core.demo.standards import seed_standards
from core.demo.surveys import seed_surveys
from core.hooks import Hooks
from core.plugins import build_plugin_manager
from core.settings import Settings
from core.units.schemas import ServiceIn, UnitIn
from core.units.service import create_service, create_unit
from core.units.tables import Unit

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
    DemoLogin("operator-dlh", "operator", "demo-operator-dlh-2026", ("DLH",)),
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
        await seed_standards(today)
        await seed_follow_through(today)
    return DEMO_LOGINS


def local_today() -> date:
    """Today's date in the installation's time zone."""
    return utcnow().astimezone(ZoneInfo(Settings.from_env().timezone)).date()
