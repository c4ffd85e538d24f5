"""The JSON API under /api/v1 (bearer tokens; documented at /schema)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.accounts.policy import Action, require
from core.accounts.service import authenticate, issue_token
from core.errors import NotAuthenticated
from core.units import service as units
from core.units.schemas import ServiceIn, ServiceOut, ServicePatch, UnitIn, UnitOut, UnitPatch
from web.context import CurrentActor, current_actor, signed_in


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Credentials exchanged for a bearer token."""

    username: str
    password: str


class TokenResponse(msgspec.Struct):
    """A bearer token for the Authorization header."""

    access_token: str
    token_type: str = "bearer"


class PluginOut(msgspec.Struct):
    """A loaded plugin and its hooks."""

    name: str
    source: str
    hooks: list[str]


async def token_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: 401 without a valid bearer token, before the request body is even read."""
    if await current_actor(connection) is None:  # type: ignore[arg-type]
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")


@post("/api/v1/auth/token", status_code=200, tags=["auth"], operation_id="createToken")
async def create_token(request: Request, data: JSONBody[TokenRequest]) -> TokenResponse:
    """Exchange a username and password for a bearer token (failed attempts are rate-limited)."""
    client = request.client.host if request.client else "unknown"
    actor = await authenticate(request.app.state.settings, data.username, data.password, client)
    return TokenResponse(access_token=await issue_token(actor))


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


@get("/api/v1/plugins", tags=["plugins"], operation_id="listPlugins", guards=[token_required])
async def plugins(request: Request, actor: CurrentActor) -> list[PluginOut]:
    """Loaded plugins and the hooks each implements (admin)."""
    require(signed_in(actor), Action.view_plugins)
    hooks: Any = request.app.state.hooks
    return [PluginOut(name=i.name, source=i.source, hooks=list(i.hooks)) for i in hooks.describe()]


ROUTES = [create_token, UnitsApi, plugins]
