"""The curated selection of saran a unit publishes: staff pick saran of a closed cycle and may
shorten them or take names out; only the picked text ever reaches the public report or portal.

Saran can name staff or patients, so nothing is published unless picked. Saving replaces the
whole selection at once (audited); an empty selection publishes no saran.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, ValidationFailed
from core.reports.tables import PublishedSaran
from core.surveys.cycles import cycle_row
from core.surveys.tables import CycleStatus, Response, counted

MAX_PICKS = 20
MAX_TEXT = 500
PICKABLE = (CycleStatus.closed.value, CycleStatus.reported.value, CycleStatus.published.value)

register({"report.saran_curated": ("Laporan SKM", "Saran untuk publik dipilih")})


class SaranPick(msgspec.Struct, forbid_unknown_fields=True):
    """One saran to publish: the response it came from and the text as it will be shown."""

    response: int
    text: str


@dataclass(frozen=True)
class SaranCandidate:
    """A saran of the cycle, and its published text when it was picked."""

    response: int
    saran: str
    published: str | None


async def candidates(actor: Actor, cycle_id: int) -> list[SaranCandidate]:
    """Every counted saran of a cycle the actor manages, oldest first, with the picked text."""
    await cycle_row(actor, cycle_id, Action.manage_cycles)
    rows = (
        await Response.select(Response.id, Response.saran)
        .where((Response.cycle == cycle_id) & (Response.saran != "") & counted())
        .order_by(Response.id)
    )
    picked = {r["response"]: r["text"] for r in await _picked_rows(cycle_id)}
    return [
        SaranCandidate(r["id"], r["saran"].strip(), picked.get(r["id"]))
        for r in rows
        if r["saran"].strip()
    ]


async def _picked_rows(cycle_id: int) -> list[dict]:
    return (
        await PublishedSaran.select(PublishedSaran.response, PublishedSaran.text)
        .where(PublishedSaran.cycle == cycle_id)
        .order_by(PublishedSaran.position)
    )


async def save_picks(actor: Actor, cycle_id: int, picks: list[SaranPick]) -> int:
    """Replace the cycle's published selection; every bad pick is named (``picks[i].text``)."""
    async with atomic():
        cycle = await cycle_row(actor, cycle_id, Action.manage_cycles)
        if cycle["status"] not in PICKABLE:
            raise Conflict("Saran dipilih untuk publik setelah siklus ditutup.")
        own = {
            r["id"]
            for r in await Response.select(Response.id).where(
                (Response.cycle == cycle_id) & (Response.saran != "") & counted()
            )
        }
        errors: list[FieldError] = []
        if len(picks) > MAX_PICKS:
            errors.append(FieldError("picks", f"paling banyak {MAX_PICKS} saran"))
        seen: set[int] = set()
        for n, pick in enumerate(picks):
            if pick.response not in own or pick.response in seen:
                errors.append(FieldError(f"picks[{n}].response", "bukan saran siklus ini"))
            seen.add(pick.response)
            text = pick.text.strip()
            if not text:
                errors.append(FieldError(f"picks[{n}].text", "teks saran wajib diisi"))
            elif len(text) > MAX_TEXT:
                errors.append(FieldError(f"picks[{n}].text", f"maksimal {MAX_TEXT} karakter"))
        if errors:
            raise ValidationFailed(errors, "Pilihan saran belum dapat disimpan")
        before = [r["response"] for r in await _picked_rows(cycle_id)]
        await PublishedSaran.delete().where(PublishedSaran.cycle == cycle_id)
        now = utcnow()
        for n, pick in enumerate(picks):
            await PublishedSaran.insert(
                PublishedSaran(
                    cycle=cycle_id,
                    response=pick.response,
                    position=n,
                    text=pick.text.strip(),
                    picked_by=actor.user_id,
                    picked_at=now,
                )
            )
        await record(
            actor,
            "report.saran_curated",
            "survey_cycle",
            cycle_id,
            before={"responses": before},
            after={"responses": [p.response for p in picks]},
            unit_id=cycle["unit"],
        )
    return len(picks)


async def published_saran(cycle_id: int) -> list[str]:
    """The picked texts of a cycle, in order (what the public report and portal quote)."""
    return [r["text"] for r in await _picked_rows(cycle_id)]
