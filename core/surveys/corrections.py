"""Voiding and correcting a response: nothing is deleted, every change is audited.

A voided response stays, marked with who voided it and why, and no score or count includes it. A
correction stores a new version and points the earlier one at it (``superseded_by``), so only the
newest version counts while every earlier one can still be read. Both need an open cycle: a
closed cycle is changed only after an audited reopening.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.surveys.cycles import cycle_row
from core.surveys.kept import hold, unseal_cycle
from core.surveys.methods import STAFF_METHODS, method_choices, parse_method
from core.surveys.responses import (
    STANDARD_COLUMNS,
    audit_snapshot,
    keyed_errors,
    store,
    validate,
)
from core.surveys.schemas import ResponseIn, ResponseOut
from core.surveys.tables import Channel, CycleStatus, ExtraAnswer, Method, Response

MIN_REASON = 10
CORRECTABLE = frozenset({Channel.paper.value, Channel.interview.value, Channel.import_file.value})


class VoidIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a response is voided."""

    reason: str


class CorrectionIn(msgspec.Struct, forbid_unknown_fields=True):
    """The corrected questionnaire in full, and why it was corrected."""

    answers: dict[str, Any]
    reason: str
    service: str | None = None
    profile: dict[str, Any] = msgspec.field(default_factory=dict)
    saran: str = ""
    method: str | None = None
    filled_on: date | None = None
    filled_time: str = ""
    allow_blanks: bool = True


def _reason_errors(text: str) -> list[FieldError]:
    if len(text.strip()) < MIN_REASON:
        return [FieldError("reason", f"alasan wajib diisi (minimal {MIN_REASON} karakter)")]
    return []


async def _current(
    actor: Actor, cycle_id: int, response_id: int, action: Action
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cycle and the response, when the response may still be changed; call inside atomic().

    A sealed response unseals its cycle first (``core.surveys.kept``), so the change is counted.
    """
    await hold(cycle_id)  # before reading: the response cannot be sealed behind our back
    cycle = await cycle_row(actor, cycle_id, action)
    row = (
        await Response.select()
        .where((Response.id == response_id) & (Response.cycle == cycle_id))
        .first()
    )
    if row is None:
        raise NotFound(f"Jawaban {response_id} tidak ditemukan di siklus ini.")
    if cycle["status"] != CycleStatus.open.value:
        raise Conflict(
            "Siklus ini sudah ditutup. Jawaban hanya dapat dibatalkan atau dikoreksi setelah "
            "siklus dibuka kembali (dengan alasan yang tercatat di log audit)."
        )
    if row["voided_at"] is not None:
        raise Conflict("Jawaban ini sudah dibatalkan.")
    if row["superseded_by"] is not None:
        raise Conflict("Ini versi lama dari jawaban yang sudah dikoreksi; ubah versi terbarunya.")
    if row["sealed"]:
        await unseal_cycle(cycle_id)
    return cycle, row


async def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    extras = await ExtraAnswer.select(ExtraAnswer.code, ExtraAnswer.value).where(
        ExtraAnswer.response == row["id"]
    )
    answers = {code: row[col] for code, col in STANDARD_COLUMNS.items() if row[col] is not None}
    answers |= {extra["code"]: extra["value"] for extra in extras}
    return {
        "channel": row["channel"],
        "method": row["method"],
        "service": row["service"],
        "answers": dict(sorted(answers.items())),
        "filled_on": str(row["filled_on"]) if row["filled_on"] else None,
        "filled_time": row["filled_time"],
    }


async def void_response(actor: Actor, cycle_id: int, response_id: int, data: VoidIn) -> None:
    """Void a response with a reason: kept and shown as void, excluded from every score and count."""
    if errors := _reason_errors(data.reason):
        raise ValidationFailed(errors)
    reason = data.reason.strip()
    async with atomic():
        cycle, row = await _current(actor, cycle_id, response_id, Action.void_responses)
        await Response.update(
            {
                Response.voided_at: utcnow(),
                Response.voided_by: actor.user_id,
                Response.void_reason: reason,
            }
        ).where(Response.id == response_id)
        await record(
            actor,
            "response.voided",
            "survey_response",
            response_id,
            before=await _snapshot(row),
            after={"cycle": cycle_id, "reason": reason},
            unit_id=cycle["unit"],
        )


async def correct_response(
    actor: Actor, cycle_id: int, response_id: int, data: CorrectionIn
) -> ResponseOut:
    """Store a corrected version of a keyed or imported response; the earlier one is kept.

    The new version keeps the channel and import batch of the old one and is entered by the
    actor; it answers to the same checks as a keyed questionnaire.
    """
    reason = data.reason.strip()
    method = parse_method(data.method) if data.method else None
    async with atomic():
        cycle, row = await _current(actor, cycle_id, response_id, Action.correct_responses)
        if row["channel"] not in CORRECTABLE:
            raise Conflict(
                "Jawaban daring dan kios diisi sendiri oleh warga dan tidak dikoreksi; "
                "batalkan bila tidak sah."
            )
        channel = Channel(row["channel"])
        methods = tuple(Method) if channel is Channel.import_file else STAFF_METHODS
        more = keyed_errors(cycle, method, data.filled_on, data.filled_time, methods)
        more += _reason_errors(reason)
        if data.method and method is None:
            more.append(FieldError("method", f"pilihan: {method_choices(methods)}"))
        clean, _ = await validate(
            cycle,
            ResponseIn(
                answers=data.answers, service=data.service, profile=data.profile, saran=data.saran
            ),
            complete=False,
            profile_required=False,
            refuse_blanks=not data.allow_blanks,
            more_errors=more,
        )
        clean.filled_on, clean.filled_time = data.filled_on, data.filled_time
        clean.method = (method.value if method else None) or row["method"]
        new_id = await store(
            cycle,
            clean,
            channel,
            token=secrets.token_urlsafe(24),
            entered_by=actor.user_id,
            batch_id=row["import_batch"],
        )
        await Response.update({Response.superseded_by: new_id}).where(Response.id == response_id)
        await record(
            actor,
            "response.corrected",
            "survey_response",
            response_id,
            before=await _snapshot(row),
            after={"version": new_id, "reason": reason, **audit_snapshot(clean, channel)},
            unit_id=cycle["unit"],
        )
    return ResponseOut(id=new_id, cycle=cycle_id)
