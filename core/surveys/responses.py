"""Accepting responses: validation, duplicate and abuse protection, and storage."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, ValidationFailed
from core.surveys.cycles import cycle_row
from core.surveys.methods import STAFF_METHODS, default_method, method_choices
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.questionnaires import items_of
from core.surveys.schemas import ResponseIn, ResponseOut, UnsurItem
from core.surveys.tables import (
    Channel,
    CycleService,
    CycleStatus,
    ExtraAnswer,
    Method,
    QuestionnaireVersion,
    Response,
)

MAX_SARAN = 2000
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
STANDARD_COLUMNS = {f"U{n}": f"u{n}" for n in range(1, 10)}


@dataclass
class CleanResponse:
    """A validated response ready to store."""

    answers: dict[str, int]
    service_id: int | None
    profile: dict[str, Any]
    saran: str
    filled_on: date | None = None
    filled_time: str = ""
    method: str = ""
    errors: list[FieldError] = field(default_factory=list)


def _answer_value(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = raw.strip() if isinstance(raw, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 9:  # "³", "①", "٣" are not answers
        return int(text)
    return None


def check_answers(
    items: list[UnsurItem], answers: dict[str, Any], complete: bool
) -> tuple[dict[str, int], list[FieldError]]:
    """Values 1–4 for known unsur; with complete=True every unsur must be answered."""
    codes = {item.code for item in items}
    clean: dict[str, int] = {}
    errors: list[FieldError] = []
    for code, raw in answers.items():
        key = code.strip().upper()
        if key not in codes:
            errors.append(FieldError(f"answers.{code}", "unsur ini tidak ada di kuesioner"))
            continue
        if raw is None or raw == "":
            continue
        value = _answer_value(raw)
        if value is None or not 1 <= value <= 4:
            errors.append(FieldError(f"answers.{key}", f"jawaban harus 1–4, bukan {raw!r}"))
            continue
        clean[key] = value
    if complete:
        errors += [
            FieldError(f"answers.{item.code}", f"{item.name}: wajib dijawab")
            for item in items
            if item.code not in clean and not any(e.field == f"answers.{item.code}" for e in errors)
        ]
    elif not clean and not errors:
        errors.append(FieldError("answers", "minimal satu unsur harus dijawab"))
    return clean, errors


def blank_errors(
    items: list[UnsurItem], answers: dict[str, int], errors: list[FieldError]
) -> list[FieldError]:
    """One error naming every unsur left blank (``kosong``), and one on each blank box."""
    invalid = {e.field for e in errors}
    blank = [
        item for item in items if item.code not in answers and f"answers.{item.code}" not in invalid
    ]
    if not blank:
        return []
    names = "; ".join(f"{item.code} {item.name}" for item in blank)
    return [
        FieldError(
            "kosong",
            f"Belum diisi: {names}. Isi nilainya, atau centang «Simpan dengan kosong» bila "
            "responden memang tidak menjawab.",
        ),
        *(FieldError(f"answers.{item.code}", "belum diisi") for item in blank),
    ]


def check_profile(
    profile: dict[str, Any], required: bool
) -> tuple[dict[str, Any], list[FieldError]]:
    """Jenis kelamin, usia, pendidikan, pekerjaan from the fixed lists (no personal identifiers)."""
    errors: list[FieldError] = []
    allowed = {"jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain"}
    errors += [
        FieldError(f"profile.{k}", "isian tidak dikenal") for k in profile if k not in allowed
    ]
    clean: dict[str, Any] = {
        "jenis_kelamin": "",
        "usia": None,
        "pendidikan": "",
        "pekerjaan": "",
        "pekerjaan_lain": "",
    }
    options = {"jenis_kelamin": JENIS_KELAMIN, "pendidikan": PENDIDIKAN, "pekerjaan": PEKERJAAN}
    for key, choices in options.items():
        value = str(profile.get(key) or "").strip()
        if not value:
            if required:
                errors.append(FieldError(f"profile.{key}", "wajib diisi"))
            continue
        match = next((c for c in choices if c.lower() == value.lower()), None)
        if match is None:
            errors.append(FieldError(f"profile.{key}", f"pilihan: {', '.join(choices)}"))
        else:
            clean[key] = match
    raw_age = profile.get("usia")
    if raw_age in (None, ""):
        if required:
            errors.append(FieldError("profile.usia", "wajib diisi"))
    else:
        age = _answer_value(raw_age)
        if age is None or not 10 <= age <= 120:
            errors.append(FieldError("profile.usia", "usia harus angka 10–120 tahun"))
        else:
            clean["usia"] = age
    other = str(profile.get("pekerjaan_lain") or "").strip()[:100]
    if clean["pekerjaan"] == "Lainnya":
        clean["pekerjaan_lain"] = other
    return clean, errors


async def cycle_services(cycle_id: int) -> dict[str, int]:
    rows = await CycleService.select(
        CycleService.service, CycleService.service.code.as_alias("code")
    ).where(CycleService.cycle == cycle_id)
    return {r["code"]: r["service"] for r in rows}


async def validate(
    cycle: dict[str, Any],
    data: ResponseIn,
    *,
    complete: bool,
    profile_required: bool,
    items: list[UnsurItem] | None = None,
    refuse_blanks: bool = False,
    more_errors: list[FieldError] | None = None,
    services: dict[str, int] | None = None,
) -> tuple[CleanResponse, list[UnsurItem]]:
    """Check a response against the cycle's frozen questionnaire and services; raise on errors.

    ``items`` is that questionnaire, ``services`` the cycle's service ids by code, when the caller
    has already loaded them. With refuse_blanks, an
    unsur left blank is an error (field ``kosong`` names every one) until the caller confirms
    that the questionnaire really has blanks. more_errors (the caller's own checks) are reported
    together with these.
    """
    if items is None:
        version = (
            await QuestionnaireVersion.select()
            .where(QuestionnaireVersion.id == cycle["questionnaire"])
            .first()
        )
        items = items_of(version)
    answers, errors = check_answers(items, data.answers, complete)
    if refuse_blanks:
        errors += blank_errors(items, answers, errors)
    profile, profile_errors = check_profile(data.profile, profile_required)
    errors += profile_errors
    if services is None:
        services = await cycle_services(cycle["id"])
    service_id = None
    if data.service:
        service_id = services.get(data.service)
        if service_id is None:
            errors.append(
                FieldError("service", f"layanan {data.service!r} tidak termasuk survei ini")
            )
    elif services:
        errors.append(FieldError("service", "pilih jenis layanan yang diterima"))
    if len(data.saran) > MAX_SARAN:
        errors.append(FieldError("saran", f"maksimal {MAX_SARAN} karakter"))
    errors += more_errors or []
    if errors:
        raise ValidationFailed(errors)
    return CleanResponse(answers, service_id, profile, data.saran.strip()), items


async def existing_response(token: str, cycle_id: int) -> ResponseOut | None:
    """The response already stored under a submission token for this cycle; a token stored for
    another cycle is refused (409), never answered with that cycle's response."""
    row = (
        await Response.select(Response.id, Response.cycle)
        .where(Response.submission_token == token)
        .first()
    )
    if row is None:
        return None
    if row["cycle"] != cycle_id:
        raise Conflict("submission_token ini sudah dipakai untuk survei lain.")
    return ResponseOut(id=row["id"], cycle=row["cycle"], duplicate=True)


async def store(
    cycle: dict[str, Any],
    clean: CleanResponse,
    channel: Channel,
    *,
    token: str,
    entered_by: int | None = None,
    source_key: str = "",
    batch_id: int | None = None,
) -> int:
    """Insert one response (and its extra answers); call inside atomic().

    The method is the one the response names, else the one its channel implies.
    """
    values: dict[str, Any] = {
        col: clean.answers.get(code) for code, col in STANDARD_COLUMNS.items()
    }
    rows = await Response.insert(
        Response(
            cycle=cycle["id"],
            service=clean.service_id,
            questionnaire=cycle["questionnaire"],
            channel=channel.value,
            method=clean.method or default_method(channel).value,
            entered_by=entered_by,
            import_batch=batch_id,
            submission_token=token,
            source_key=source_key,
            saran=clean.saran,
            filled_on=clean.filled_on,
            filled_time=clean.filled_time,
            created_at=utcnow(),
            **values,
            **clean.profile,
        )
    ).returning(Response.id)
    response_id = int(rows[0]["id"])
    extras = [
        ExtraAnswer(response=response_id, code=code, value=value)
        for code, value in clean.answers.items()
        if code not in STANDARD_COLUMNS
    ]
    if extras:
        await ExtraAnswer.insert(*extras)
    return response_id


def cycle_channels(cycle: dict[str, Any]) -> list[str]:
    import msgspec

    raw = cycle["channels"]
    return msgspec.json.decode(raw) if isinstance(raw, str) else list(raw or [])


def keyed_errors(
    cycle: dict[str, Any],
    method: Method | None,
    filled_on: date | None,
    filled_time: str,
    methods: tuple[Method, ...] = STAFF_METHODS,
) -> list[FieldError]:
    """Problems with a keyed questionnaire's method, date (inside the period) and time (HH:MM)."""
    errors = []
    if method is not None and method not in methods:
        errors.append(FieldError("method", f"pilihan: {method_choices(methods)}"))
    if filled_time and not TIME_RE.match(filled_time):
        errors.append(FieldError("filled_time", "format jam HH:MM"))
    if filled_on and not cycle["start_date"] <= filled_on <= cycle["end_date"]:
        errors.append(FieldError("filled_on", "tanggal di luar periode survei"))
    return errors


async def enter_response(
    actor: Actor,
    cycle_id: int,
    data: ResponseIn,
    channel: Channel = Channel.paper,
    filled_on: date | None = None,
    filled_time: str = "",
    *,
    method: Method | None = None,
    allow_blanks: bool = True,
) -> ResponseOut:
    """Staff keying a paper or interview questionnaire; who entered it is recorded.

    Blank unsur are kept blank; with allow_blanks=False (the entry page, until the operator
    confirms) a questionnaire with a blank unsur is refused, naming each blank one. The method
    (tatap muka, mandiri, FGD, wawancara mendalam) defaults to the one the channel implies.
    """
    if channel not in (Channel.paper, Channel.interview):
        raise ValidationFailed.single("channel", "pilihan: paper, interview")
    cycle = await cycle_row(actor, cycle_id, Action.enter_responses)
    if cycle["status"] != CycleStatus.open.value:
        raise Conflict("Jawaban hanya diterima selama siklus dibuka.")
    if channel.value not in cycle_channels(cycle):
        raise Conflict("Saluran pengisian ini tidak dibuka untuk survei ini.")
    submission = data.submission_token or secrets.token_urlsafe(24)
    if (existing := await existing_response(submission, cycle["id"])) is not None:
        return existing
    clean, _ = await validate(
        cycle,
        data,
        complete=False,
        profile_required=False,
        refuse_blanks=not allow_blanks,
        more_errors=keyed_errors(cycle, method, filled_on, filled_time),
    )
    clean.filled_on, clean.filled_time = filled_on, filled_time
    clean.method = (method or default_method(channel)).value
    async with atomic():
        response_id = await store(cycle, clean, channel, token=submission, entered_by=actor.user_id)
        await record(
            actor,
            "response.entered",
            "survey_response",
            response_id,
            after={"cycle": cycle_id, **audit_snapshot(clean, channel)},
            unit_id=cycle["unit"],
        )
    return ResponseOut(id=response_id, cycle=cycle_id)


def audit_snapshot(clean: CleanResponse, channel: Channel) -> dict[str, Any]:
    """What the audit keeps of a response: its answers and how and when it was collected."""
    return {
        "channel": channel.value,
        "method": clean.method or default_method(channel).value,
        "service": clean.service_id,
        "answers": dict(sorted(clean.answers.items())),
        "filled_on": str(clean.filled_on) if clean.filled_on else None,
        "filled_time": clean.filled_time,
    }
