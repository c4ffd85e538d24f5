"""The units part of the JSON API under /api/v1 (bearer tokens; documented at /schema)."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.units import service as units
from core.units.schemas import ServiceIn, ServiceOut, ServicePatch, UnitIn, UnitOut, UnitPatch
from web.context import CurrentActor, signed_in, token_required
from web.units import sippn


class UnitsApi(Controller):
    """Units and their services."""

    path = "/api/v1/units"
    tags = ["units"]
    guards = [token_required]

    @get("/", operation_id="listUnits")
    async def list_units(
        self,
        actor: CurrentActor,
        kind: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
    ) -> list[UnitOut]:
        """Units visible to the caller (operators: their own)."""
        return await units.list_units(signed_in(actor), kind=kind, search=q)

    @post("/", status_code=HTTP_201_CREATED, operation_id="createUnit")
    async def create_unit(self, actor: CurrentActor, data: JSONBody[UnitIn]) -> UnitOut:
        """Create a unit (admin)."""
        return await units.create_unit(signed_in(actor), data)

    @get("/{code:str}", operation_id="getUnit")
    async def get_unit(self, actor: CurrentActor, code: FromPath[str]) -> UnitOut:
        """One unit."""
        return await units.unit_by_code(signed_in(actor), code)

    @patch("/{code:str}", operation_id="updateUnit")
    async def update_unit(
        self, actor: CurrentActor, code: FromPath[str], data: JSONBody[UnitPatch]
    ) -> UnitOut:
        """Change some fields of a unit; `active: false` deactivates it."""
        return await units.update_unit(signed_in(actor), code, data)

    @get("/{code:str}/services", operation_id="listServices")
    async def list_services(self, actor: CurrentActor, code: FromPath[str]) -> list[ServiceOut]:
        """The jenis layanan of a unit."""
        return await units.list_services(signed_in(actor), code)

    @post("/{code:str}/services", status_code=HTTP_201_CREATED, operation_id="createService")
    async def create_service(
        self, actor: CurrentActor, code: FromPath[str], data: JSONBody[ServiceIn]
    ) -> ServiceOut:
        """Add a jenis layanan to a unit."""
        return await units.create_service(signed_in(actor), code, data)

    @patch("/{code:str}/services/{service:str}", operation_id="updateService")
    async def patch_service(
        self,
        actor: CurrentActor,
        code: FromPath[str],
        service: FromPath[str],
        data: JSONBody[ServicePatch],
    ) -> ServiceOut:
        """Rename or (de)activate a jenis layanan."""
        return await units.update_service(signed_in(actor), code, service, data)


ROUTES = [UnitsApi, *sippn.API_ROUTES]
