"""Piccolo tables for units and their services."""

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table


class UnitKind(StrEnum):
    """The kinds of unit a regency has."""

    pemda = "pemda"
    opd = "opd"
    kecamatan = "kecamatan"
    kelurahan_desa = "kelurahan_desa"
    puskesmas = "puskesmas"
    rsud = "rsud"
    upt = "upt"
    sekolah = "sekolah"


class Unit(Table, tablename="unit"):
    """A public-service unit; the regency itself is the root of the hierarchy."""

    code = Varchar(length=40, unique=True, index=True)
    name = Varchar(length=200)
    kind = Varchar(length=20, choices=UnitKind)
    parent = ForeignKey("self", null=True)
    address = Text(default="")
    phone = Varchar(length=40, default="")
    email = Varchar(length=200, default="")
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Service(Table, tablename="unit_service"):
    """A jenis layanan provided by one unit; code is unique within the unit."""

    unit = ForeignKey(Unit, null=False, index=True)
    code = Varchar(length=40)
    name = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ServiceStandard(Table, tablename="service_standard"):
    """The Standar Pelayanan of one service: the 14 components of PermenPAN-RB 15/2014 (see
    ``core.units.standards.COMPONENTS``), the day it was set and the FKP forum that discussed it."""

    service = ForeignKey(Service, null=False, unique=True)
    persyaratan = Text(default="")
    prosedur = Text(default="")
    jangka_waktu = Text(default="")
    biaya_tarif = Text(default="")
    produk = Text(default="")
    pengaduan = Text(default="")
    dasar_hukum = Text(default="")
    sarana_prasarana = Text(default="")
    kompetensi_pelaksana = Text(default="")
    pengawasan_internal = Text(default="")
    jumlah_pelaksana = Text(default="")
    jaminan_pelayanan = Text(default="")
    jaminan_keamanan = Text(default="")
    evaluasi_kinerja = Text(default="")
    set_on = Date(null=True, default=None)
    forum = ForeignKey(
        LazyTableReference("Forum", module_path="core.forums.tables"), null=True, default=None
    )
    updated_at = Timestamptz()
