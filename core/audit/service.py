"""Writing, listing and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Action, Actor, require
from core.audit.checkpoints import (
    Checkpoint,
    CheckpointUnreadable,
    append_checkpoint,
    latest_checkpoint,
    legacy_until,
    write_legacy_until,
)
from core.audit.keys import audit_key, sign
from core.audit.tables import AuditEvent
from core.clock import utcnow
from core.db import engine, is_postgres
from core.errors import Conflict, ValidationFailed

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_270_001


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _loads(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    return json.loads(value)


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    unit_id: int | None,
    before: Any,
    after: Any,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA-256 under ``key`` over the previous hash and every field of the event,
    canonically encoded; ``key=None`` gives the plain SHA-256 of chains written before keying."""
    body = _canonical(
        [prev_hash, at.isoformat(), actor, action, entity, entity_id, unit_id, before, after]
    )
    if key is None:
        return hashlib.sha256(body.encode()).hexdigest()
    return sign(key, body)


async def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit_id: int | None = None,
) -> None:
    """Append one event; call inside the atomic() block of the change it describes."""
    if is_postgres():
        await engine().run_ddl(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
    last = await AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id, ascending=False).first()
    prev_hash = last["hash"] if last else GENESIS
    at = utcnow()
    before_plain = json.loads(_canonical(before)) if before is not None else None
    after_plain = json.loads(_canonical(after)) if after is not None else None
    digest = event_hash(
        prev_hash,
        at,
        actor.username,
        action,
        entity,
        str(entity_id),
        unit_id,
        before_plain,
        after_plain,
        key=audit_key(),
    )
    await AuditEvent.insert(
        AuditEvent(
            at=at,
            actor=actor.username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            unit_id=unit_id,
            before=_canonical(before_plain) if before_plain is not None else None,
            after=_canonical(after_plain) if after_plain is not None else None,
            prev_hash=prev_hash,
            hash=digest,
        )
    )


BROKEN_LINK = "prev_hash does not match the previous event"
ALTERED = "content does not match its hash"
REWRITTEN = "event differs from the signed checkpoint"
TRUNCATED = "the event of the signed checkpoint is missing"
CHECKPOINT_FORGED = "the latest checkpoint is unreadable or its signature is invalid"
BREAK_LABELS = {
    BROKEN_LINK: "Peristiwa sebelumnya dihapus atau diubah: tautan rantai tidak cocok.",
    ALTERED: "Isi peristiwa ini diubah setelah dicatat: hash tidak cocok.",
    REWRITTEN: "Peristiwa ini berbeda dari checkpoint bertanda tangan: rantai ditulis ulang.",
    TRUNCATED: "Peristiwa checkpoint terakhir tidak ada lagi: peristiwa terbaru dihapus.",
    CHECKPOINT_FORGED: "Checkpoint terakhir tidak terbaca atau tanda tangannya tidak sah.",
}


@dataclass(frozen=True)
class ChainBreak:
    """The first event whose stored hashes do not match its content, its predecessor or the
    latest signed checkpoint."""

    event_id: int
    reason: str
    """In English, for the command line; ``label`` says it in Indonesian for pages."""
    action: str = ""
    """The broken event's action (from the checkpoint when the event itself is gone)."""

    @property
    def label(self) -> str:
        """The reason as an Indonesian msgid of the catalogue."""
        return BREAK_LABELS[self.reason]


def _row_hash(row: dict[str, Any], key: bytes | None) -> str:
    return event_hash(
        row["prev_hash"],
        row["at"],
        row["actor"],
        row["action"],
        row["entity"],
        row["entity_id"],
        row["unit_id"],
        _loads(row["before"]),
        _loads(row["after"]),
        key=key,
    )


async def verify(data_dir: Path | None = None) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many events were checked and the first break.

    Every hash must be the keyed HMAC, except events up to the adopted legacy boundary. With
    ``data_dir`` the chain is also checked against the latest signed checkpoint there (and the
    legacy boundary is read from it); without, the chain alone is checked.
    """
    key = audit_key()
    checkpoint, unkeyed_until = None, 0
    if data_dir is not None:
        unkeyed_until = legacy_until(data_dir)
        try:
            checkpoint = latest_checkpoint(data_dir)
        except CheckpointUnreadable:
            return 0, ChainBreak(0, CHECKPOINT_FORGED)
        if checkpoint is not None and not checkpoint.is_valid(key):
            return 0, ChainBreak(checkpoint.event_id, CHECKPOINT_FORGED, checkpoint.action)
    expected_prev = GENESIS
    checked = 0
    reached = checkpoint is None
    async for row in _iterate(AuditFilter(), decode=False):
        checked += 1
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(row["id"], BROKEN_LINK, row["action"])
        keyed = _row_hash(row, key) == row["hash"]
        legacy = row["id"] <= unkeyed_until and _row_hash(row, None) == row["hash"]
        if not (keyed or legacy):
            return checked, ChainBreak(row["id"], ALTERED, row["action"])
        if checkpoint is not None and row["id"] == checkpoint.event_id:
            if row["hash"] != checkpoint.hash or checked != checkpoint.events:
                return checked, ChainBreak(row["id"], REWRITTEN, row["action"])
            reached = True
        expected_prev = row["hash"]
    if not reached and checkpoint is not None:
        return checked, ChainBreak(checkpoint.event_id, TRUNCATED, checkpoint.action)
    return checked, None


async def verify_chain(actor: Actor, data_dir: Path) -> tuple[int, ChainBreak | None]:
    """``verify(data_dir)`` for a signed-in admin or inspector."""
    require(actor, Action.view_audit)
    return await verify(data_dir)


async def write_checkpoint(data_dir: Path) -> Checkpoint:
    """Verify the chain, then sign its head and append the checkpoint under ``data_dir``.

    Conflict when the chain is broken (a broken head is never signed) or still empty.
    """
    checked, broken = await verify(data_dir)
    if broken is not None:
        raise Conflict(f"Rantai audit rusak pada peristiwa #{broken.event_id}: {broken.reason}.")
    head = (
        await AuditEvent.select(AuditEvent.id, AuditEvent.hash, AuditEvent.action)
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    if head is None:
        raise Conflict("Log audit masih kosong: belum ada yang bisa ditandatangani.")
    checkpoint = Checkpoint(
        event_id=head["id"],
        hash=head["hash"],
        action=head["action"],
        events=checked,
        at=utcnow().isoformat(),
    ).signed(audit_key())
    append_checkpoint(data_dir, checkpoint)
    return checkpoint


CHECKPOINT_INTERVAL = timedelta(days=1)


async def daily_checkpoint(data_dir: Path) -> Checkpoint | None:
    """The worker's scheduled checkpoint: written when the last one is a day old (or missing)
    and the log has events; None when none was due. A broken chain raises (it is never signed).
    """
    last = latest_checkpoint(data_dir)
    if last is not None and datetime.fromisoformat(last.at) > utcnow() - CHECKPOINT_INTERVAL:
        return None
    if await AuditEvent.count() == 0:
        return None
    return await write_checkpoint(data_dir)


async def adopt_legacy_chain(data_dir: Path) -> int:
    """Accept a chain written before keying: check its plain SHA-256 links from the start up to
    the first keyed event, then record the last plain event as the legacy boundary under
    ``data_dir``; returns that event's id (0 when there was none).

    Conflict when already adopted, or when the plain part of the chain is broken.
    """
    if legacy_until(data_dir):
        raise Conflict("Rantai lama sudah pernah diadopsi.")
    key = audit_key()
    expected_prev, last_id = GENESIS, 0
    async for row in _iterate(AuditFilter(), decode=False):
        if row["prev_hash"] == expected_prev and _row_hash(row, key) == row["hash"]:
            break
        if row["prev_hash"] != expected_prev or _row_hash(row, None) != row["hash"]:
            raise Conflict(f"Rantai lama rusak pada peristiwa #{row['id']} ({row['action']}).")
        expected_prev, last_id = row["hash"], row["id"]
    if last_id:
        write_legacy_until(data_dir, last_id)
    return last_id


@dataclass(frozen=True)
class AuditFilter:
    """Filters for the audit list; ``since``/``until`` are whole days in ``zone``."""

    actor: str | None = None
    entity: str | None = None
    action: str | None = None
    entity_id: str | None = None
    since: date | None = None
    until: date | None = None
    zone: str = "UTC"
    limit: int = 100
    offset: int = 0


def _day_start(day: date, zone: str) -> datetime:
    """Local midnight, as UTC (the form both databases store)."""
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def check_filters(filters: AuditFilter) -> None:
    """Refuse a date range that ends before it starts."""
    if filters.since and filters.until and filters.since > filters.until:
        raise ValidationFailed.single("until", "tanggal akhir sebelum tanggal awal")


def _filtered(query: Any, filters: AuditFilter) -> Any:
    if filters.actor:
        query = query.where(AuditEvent.actor == filters.actor)
    if filters.entity:
        query = query.where(AuditEvent.entity == filters.entity)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.entity_id:
        query = query.where(AuditEvent.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEvent.at >= _day_start(filters.since, filters.zone))
    if filters.until:
        next_day = filters.until + timedelta(days=1)
        query = query.where(AuditEvent.at < _day_start(next_day, filters.zone))
    return query


def _decoded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["before"] = _loads(row["before"])
        row["after"] = _loads(row["after"])
    return rows


async def list_events(actor: Actor, filters: AuditFilter) -> list[dict[str, Any]]:
    """Newest first, for admins and inspectors."""
    require(actor, Action.view_audit)
    check_filters(filters)
    query = _filtered(AuditEvent.select().order_by(AuditEvent.id, ascending=False), filters)
    rows = await query.limit(min(max(filters.limit, 1), 500)).offset(max(filters.offset, 0))
    return _decoded(rows)


async def _iterate(
    filters: AuditFilter, decode: bool = True, batch: int = 1000
) -> AsyncIterator[dict[str, Any]]:
    """Every matching event, oldest first, read in batches."""
    last_id = 0
    while True:
        query = _filtered(AuditEvent.select().where(AuditEvent.id > last_id), filters)
        rows = await query.order_by(AuditEvent.id).limit(batch)
        if not rows:
            return
        for row in _decoded(rows) if decode else rows:
            yield row
        last_id = rows[-1]["id"]


def all_events(actor: Actor, filters: AuditFilter) -> AsyncIterator[dict[str, Any]]:
    """Every matching event, oldest first (for exports; limit and offset are ignored).

    The permission and the filters are checked at the call, before anything is read or sent.
    """
    require(actor, Action.view_audit)
    check_filters(filters)
    return _iterate(filters)


@dataclass(frozen=True)
class AuditFacets:
    """The values the filters offer: who acted, which actions and which kinds of record occur."""

    actors: list[str]
    actions: list[str]
    entities: list[str]


async def audit_facets(actor: Actor) -> AuditFacets:
    """Distinct actors, actions and record kinds in the log, sorted."""
    require(actor, Action.view_audit)

    async def distinct(column: Any) -> list[str]:
        rows = await AuditEvent.select(column).distinct().order_by(column)
        return [row[column._meta.name] for row in rows]

    return AuditFacets(
        actors=await distinct(AuditEvent.actor),
        actions=await distinct(AuditEvent.action),
        entities=await distinct(AuditEvent.entity),
    )
