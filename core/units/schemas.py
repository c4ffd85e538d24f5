"""Input and output shapes for units and services (msgspec Structs)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from msgspec import UNSET, UnsetType


class UnitIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new unit."""

    code: str
    name: str
    kind: str
    parent: str | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


class UnitPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A partial change to a unit; absent fields are left as they are."""

    name: str | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    parent: str | UnsetType | None = UNSET
    address: str | UnsetType = UNSET
    phone: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class UnitOut(msgspec.Struct):
    """A unit as shown to users and API clients."""

    id: int
    code: str
    name: str
    kind: str
    parent: str | None
    address: str
    phone: str
    email: str
    active: bool
    created_at: datetime
    updated_at: datetime


class ServiceIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new jenis layanan of a unit."""

    code: str
    name: str


class ServicePatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A partial change to a service."""

    name: str | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class ServiceOut(msgspec.Struct):
    """A jenis layanan."""

    id: int
    unit: str
    code: str
    name: str
    active: bool


class ImportRowError(msgspec.Struct):
    """One problem in one row of an imported file."""

    row: int
    field: str
    message: str


class ImportReport(msgspec.Struct):
    """What an import did (or, with errors, why it did nothing)."""

    created: int
    updated: int
    errors: list[ImportRowError]


class StandardIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The Standar Pelayanan of a service as entered: components by code (see
    ``core.units.standards.COMPONENTS``), the day it was set, the FKP forum that discussed it.

    A component left out or blank is saved blank; an incomplete standard can be saved, but the
    SIPPN export refuses it, naming what is missing.
    """

    components: dict[str, str] = {}
    set_on: date | None = None
    forum: int | None = None


class StandardOut(msgspec.Struct):
    """A service's standard; ``missing`` names the blank components (and ``set_on`` if unset)."""

    unit: str
    service: str
    service_name: str
    components: dict[str, str]
    set_on: date | None
    forum: int | None
    forum_title: str | None
    missing: list[str]
    updated_at: datetime | None
