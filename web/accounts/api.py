"""The accounts part of the JSON API: bearer tokens, and the loaded plugins (admin)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from core.accounts.policy import Action, require
from core.accounts.service import authenticate, issue_token
from core.accounts.tokens import TokenInfo, list_tokens, revoke_token
from web.context import CurrentActor, signed_in, token_required


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


@post("/api/v1/auth/token", status_code=200, tags=["auth"], operation_id="createToken")
async def create_token(request: Request, data: JSONBody[TokenRequest]) -> TokenResponse:
    """Exchange a username and password for a bearer token (failed attempts are rate-limited)."""
    client = request.client.host if request.client else "unknown"
    actor = await authenticate(request.app.state.settings, data.username, data.password, client)
    return TokenResponse(access_token=await issue_token(actor))


@get("/api/v1/plugins", tags=["plugins"], operation_id="listPlugins", guards=[token_required])
async def plugins(request: Request, actor: CurrentActor) -> list[PluginOut]:
    """Loaded plugins and the hooks each implements (admin)."""
    require(signed_in(actor), Action.view_plugins)
    hooks: Any = request.app.state.hooks
    return [PluginOut(name=i.name, source=i.source, hooks=list(i.hooks)) for i in hooks.describe()]


@get("/api/v1/auth/tokens", tags=["auth"], operation_id="listTokens", guards=[token_required])
async def tokens(
    actor: CurrentActor,
    user: FromQuery[str | None] = None,
) -> list[TokenInfo]:
    """The caller's live API tokens (an admin may name another user); never the tokens themselves."""
    return await list_tokens(signed_in(actor), user)


@delete(
    "/api/v1/auth/tokens/{token_id:int}",
    tags=["auth"],
    operation_id="revokeToken",
    guards=[token_required],
)
async def revoke(actor: CurrentActor, token_id: FromPath[int]) -> None:
    """Revoke one of the caller's tokens (an admin: anyone's); it stops working at once."""
    await revoke_token(signed_in(actor), token_id)


ROUTES = [create_token, tokens, revoke, plugins]
