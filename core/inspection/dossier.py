"""A unit's evidence dossier of a year, and the shareable read-only links to it.

A link's token is ``<id>.<nonce>.<signature>``: the signature (HMAC under a key derived from the
installation's SECRET_KEY) proves Suara issued it, the stored nonce lets it be revoked. Through
a link, a file the unit blacked out is shared only as its copy; others as uploaded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import NotFound
from core.hooks import Hooks
from core.inspection.compliance import UnitCompliance, unit_compliance
from core.inspection.slots import SlotView, slot_views, unit_files
from core.inspection.tables import DossierLink, EvidenceFile
from core.inspection.windows import unit_id_of

register(
    {
        "dossier.link_created": ("Tautan dosir bukti", "Dibuat"),
        "dossier.link_revoked": ("Tautan dosir bukti", "Dicabut"),
    }
)


class LinkOut(msgspec.Struct):
    """A dossier link (the token only right after it is made)."""

    id: int
    year: int
    created_by: str | None
    created_at: datetime
    revoked_at: datetime | None
    token: str = ""


class Dossier(msgspec.Struct):
    """What a dossier shows: the unit's matrix row and every slot."""

    year: int
    row: UnitCompliance
    slots: list[SlotView]


def _signature(secret: str, link_id: int, nonce: str) -> str:
    key = hashlib.sha256(f"dossier-link:{secret}".encode()).digest()
    return hmac.new(key, f"{link_id}.{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def token_for(secret: str, link_id: int, nonce: str) -> str:
    """The token of a link."""
    return f"{link_id}.{nonce}.{_signature(secret, link_id, nonce)}"


async def create_link(actor: Actor, secret: str, code: str, year: int) -> LinkOut:
    """A new read-only link to the unit's dossier of a year (the unit's operators, the
    inspectorate, administrators); audited."""
    unit_id = await unit_id_of(code)
    require(actor, Action.view_findings, unit_id)
    nonce = secrets.token_hex(16)
    now = utcnow()
    async with atomic():
        rows = await DossierLink.insert(
            DossierLink(unit=unit_id, year=year, nonce=nonce, created_by=actor.user_id,
                        created_at=now)
        ).returning(DossierLink.id)  # fmt: skip
        link_id = int(rows[0]["id"])
        await record(actor, "dossier.link_created", "dossier_link", link_id,
                     after={"year": year}, unit_id=unit_id)  # fmt: skip
    return LinkOut(link_id, year, actor.username, now, None, token_for(secret, link_id, nonce))


async def revoke_link(actor: Actor, link_id: int) -> None:
    """Revoke a link; it answers 404 from then on."""
    row = await DossierLink.select().where(DossierLink.id == link_id).first()
    if row is None:
        raise NotFound("Tautan tidak ditemukan.")
    require(actor, Action.view_findings, row["unit"])
    if row["revoked_at"] is not None:
        return
    async with atomic():
        await DossierLink.update(
            {DossierLink.revoked_at: utcnow(), DossierLink.revoked_by: actor.user_id}
        ).where(DossierLink.id == link_id)
        await record(actor, "dossier.link_revoked", "dossier_link", link_id,
                     unit_id=row["unit"])  # fmt: skip


async def links_of(actor: Actor, code: str, year: int) -> list[LinkOut]:
    """A unit's links of a year, newest first (tokens are not shown again)."""
    unit_id = await unit_id_of(code)
    require(actor, Action.view_findings, unit_id)
    rows = (
        await DossierLink.select(
            DossierLink.all_columns(), DossierLink.created_by.username.as_alias("who")
        )
        .where((DossierLink.unit == unit_id) & (DossierLink.year == year))
        .order_by(DossierLink.id, ascending=False)
    )
    return [LinkOut(r["id"], r["year"], r["who"], r["created_at"], r["revoked_at"]) for r in rows]


async def link_by_token(secret: str, token: str) -> dict:
    """The live link a token names (404 for a bad signature, an unknown or revoked link)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit():
        raise NotFound("Tautan dosir tidak berlaku.")
    link_id, nonce, signature = int(parts[0]), parts[1], parts[2]
    if not hmac.compare_digest(signature, _signature(secret, link_id, nonce)):
        raise NotFound("Tautan dosir tidak berlaku.")
    row = (
        await DossierLink.select(DossierLink.all_columns(), DossierLink.unit.code.as_alias("code"))
        .where(DossierLink.id == link_id)
        .first()
    )
    if row is None or row["nonce"] != nonce or row["revoked_at"] is not None:
        raise NotFound("Tautan dosir tidak berlaku.")
    return row


async def dossier(
    actor: Actor,
    hooks: Hooks,
    code: str,
    year: int,
    timezone: str = "Asia/Jakarta",
    lang: str = "id",
) -> Dossier:
    """The dossier of a unit's year for someone who may see the unit's findings (notes in
    ``lang``)."""
    row = await unit_compliance(actor, hooks, year, code, timezone, lang)
    files = await unit_files(await unit_id_of(code), year)
    return Dossier(year=year, row=row, slots=slot_views(row, files))


async def shared_dossier(
    hooks: Hooks, secret: str, token: str, timezone: str, lang: str = "id"
) -> Dossier:
    """The dossier a link shows (read-only, no sign-in)."""
    link = await link_by_token(secret, token)
    return await dossier(Actor.system(), hooks, link["code"], link["year"], timezone, lang)


async def shared_file(secret: str, token: str, file_id: int) -> tuple[dict, str]:
    """A file of the linked dossier and the stored path to send: the blacked-out copy when
    there is one (the original then stays private), else the upload."""
    link = await link_by_token(secret, token)
    row = (
        await EvidenceFile.select()
        .where(
            (EvidenceFile.id == file_id)
            & (EvidenceFile.unit == link["unit"])
            & (EvidenceFile.year == link["year"])
        )
        .first()
    )
    if row is None:
        raise NotFound("Berkas tidak ditemukan.")
    return row, row["redacted_path"] or row["path"]
