"""Listing and revoking API tokens: a user their own, an admin anyone's. Audited."""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.accounts.policy import Action, Actor, can, require
from core.accounts.tables import ApiToken, User
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import NotAuthenticated, NotFound


class TokenInfo(msgspec.Struct):
    """An API token as its owner (or an admin) sees it: never the token itself."""

    id: int
    username: str
    created_at: datetime
    expires_at: datetime


def _owner_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")
    return actor.user_id


async def list_tokens(actor: Actor, username: str | None = None) -> list[TokenInfo]:
    """The live tokens of the actor, or of ``username`` (admins only), newest first."""
    query = ApiToken.select(
        ApiToken.id,
        ApiToken.user.username.as_alias("username"),
        ApiToken.created_at,
        ApiToken.expires_at,
    ).where(ApiToken.expires_at > utcnow())
    if username is None:
        query = query.where(ApiToken.user == _owner_id(actor))
    else:
        require(actor, Action.manage_users)
        if not await User.exists().where(User.username == username):
            raise NotFound("Pengguna tidak ditemukan.")
        query = query.where(ApiToken.user.username == username)
    rows = await query.order_by(ApiToken.id, ascending=False)
    return [TokenInfo(**row) for row in rows]


async def revoke_token(actor: Actor, token_id: int) -> None:
    """Revoke one token: the owner's own, or anyone's by an admin; 404 for anyone else's."""
    owner_id = _owner_id(actor)
    async with atomic():
        row = (
            await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.user.username.as_alias("u"))
            .where(ApiToken.id == token_id)
            .first()
        )
        if row is None or (row["user"] != owner_id and not can(actor, Action.manage_users)):
            raise NotFound("Token tidak ditemukan.")
        await ApiToken.delete().where(ApiToken.id == token_id)
        await record(actor, "user.token_revoked", "user", row["u"], before={"token": token_id})
