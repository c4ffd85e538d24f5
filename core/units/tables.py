"""Piccolo tables for units and their services."""

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Text, Timestamptz, Varchar
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
