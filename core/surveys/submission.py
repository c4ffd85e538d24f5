"""A citizen's questionnaire through a public or kiosk link, stored by one INSERT that checks
itself that the cycle is still open (with the questionnaire it was validated against), that the
address is under its pace limit (``core.surveys.pace``) and that the submission token is new
(``ON CONFLICT``). On PostgreSQL that statement is the whole transaction; the answers to a unit's
own unsur (U10…) add a second one. The survey, its questionnaire and services come from the
caller's per-process cache (``core.surveys.public.SurveyLinks``); nothing is read first, and the
reason nothing was stored (a retry, a closed cycle, the pace) is only looked up when that happens.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import utcnow
from core.db import atomic, is_postgres
from core.errors import Conflict, NotFound, ValidationFailed
from core.settings import Settings
from core.surveys.kiosks import device_condition, device_key, device_refusal
from core.surveys.methods import default_method
from core.surveys.pace import pace_condition, pace_refused, source_key
from core.surveys.public import OpenSurvey, SurveyLinks
from core.surveys.responses import (
    STANDARD_COLUMNS,
    CleanResponse,
    existing_response,
    validate,
)
from core.surveys.schemas import ResponseIn, ResponseOut
from core.surveys.tables import Channel, CycleStatus, ExtraAnswer, Response, SurveyCycle

NOT_OPEN = "Survei ini sedang tidak menerima jawaban. Terima kasih atas minat Anda."
PROFILE_COLUMNS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
# column → its SQL type where PostgreSQL must be told (a parameter in a SELECT list is text)
TYPED = {
    "service": "INTEGER",
    "usia": "SMALLINT",
    "filled_on": "DATE",
    "created_at": "TIMESTAMPTZ",
    **dict.fromkeys(STANDARD_COLUMNS.values(), "SMALLINT"),
}


def _placeholder(column: str, postgres: bool) -> str:
    kind = TYPED.get(column)
    if kind is None or not (postgres or kind in ("INTEGER", "SMALLINT")):
        return "{}"  # SQLite stores dates and times as text: casting would make them numbers
    return f"CAST({{}} AS {kind})"


def _insert_sql(values: dict[str, Any], pace: str) -> str:
    """INSERT … SELECT from the cycle's row when it is open (with the frozen questionnaire) and
    the ``pace`` condition holds (if any); a token already stored inserts nothing."""
    postgres = is_postgres()
    columns = ", ".join(values)
    selected = ", ".join(_placeholder(column, postgres) for column in values)
    pace = f" AND {pace}" if pace else ""
    # FOR KEY SHARE, the lock the foreign key check takes anyway: closing the cycle locks its row
    # FOR UPDATE first (cycles.close_cycle), so it waits for this statement's transaction, and a
    # statement that had to wait for a close re-reads the row, finds it closed and stores
    # nothing: no response lands in a cycle whose close has been counted. (FOR SHARE would do
    # too, but it costs every submission a lock of its own on the busiest row.) SQLite's write
    # transactions are serial already.
    lock = " FOR KEY SHARE OF c" if postgres else ""
    return (
        f"INSERT INTO survey_response (cycle, questionnaire, {columns}) "
        f"SELECT c.id, c.questionnaire, {selected} FROM survey_cycle c "
        f"WHERE c.id = {{}} AND c.status = '{CycleStatus.open.value}' AND c.questionnaire = {{}}"
        f"{pace}{lock} ON CONFLICT (submission_token) DO NOTHING RETURNING id"
    )


def _row_values(clean: CleanResponse, channel: Channel, token: str, key: str) -> dict[str, Any]:
    return {
        "service": clean.service_id,
        "channel": channel.value,
        "method": default_method(channel).value,
        "submission_token": token,
        "source_key": key,
        **{col: clean.answers.get(code) for code, col in STANDARD_COLUMNS.items()},
        **{col: clean.profile[col] for col in PROFILE_COLUMNS},
        "filled_on": clean.filled_on,
        "filled_time": clean.filled_time,
        "saran": clean.saran,
        "created_at": utcnow(),
        "void_reason": "",
    }


async def _insert(
    settings: Settings, survey: OpenSurvey, clean: CleanResponse, token: str, key: str
) -> int | None:
    """Store the response in one statement; None when nothing was stored."""
    values = _row_values(clean, survey.channel, token, key)
    cycle = survey.cycle
    args = [*values.values(), cycle["id"], cycle["questionnaire"]]
    pace = ""
    if survey.device_id is not None:  # an enrolled kiosk: still enrolled, and its own pace
        pace, pace_args = device_condition(settings, cycle["id"], survey.device_id)
        args += pace_args
    elif key:
        pace, pace_args = pace_condition(settings, cycle["id"], key)
        args += pace_args
    rows = await Response.raw(_insert_sql(values, pace), *args)
    return int(rows[0]["id"]) if rows else None


async def _refusal(
    settings: Settings, survey: OpenSurvey, token: str, key: str, links: SurveyLinks | None
) -> ResponseOut:
    """Why nothing was stored: the token's earlier response (returned), else the error to raise.
    A cycle no longer open is dropped from ``links``."""
    if (existing := await existing_response(token, survey.cycle["id"])) is not None:
        return existing
    row = (
        await SurveyCycle.select(SurveyCycle.status, SurveyCycle.questionnaire)
        .where(SurveyCycle.id == survey.cycle["id"])
        .first()
    )
    still_open = row is not None and row["status"] == CycleStatus.open.value
    if not still_open or row["questionnaire"] != survey.cycle["questionnaire"]:
        if links is not None:
            kiosk = survey.channel is Channel.kiosk
            links.forget(survey.token or survey.cycle["public_token"], kiosk=kiosk)
        raise Conflict(NOT_OPEN)
    if survey.device_id is not None:
        refused = await device_refusal(settings, survey.device_id)
        if links is not None and isinstance(refused, NotFound):
            links.forget(survey.token, kiosk=True)
        raise refused
    if key:
        raise pace_refused()
    raise Conflict(NOT_OPEN)  # pragma: no cover - an open cycle without pace stores or conflicts


def _local_now(settings: Settings) -> datetime:
    return utcnow().astimezone(ZoneInfo(settings.timezone))


async def submit_public(
    settings: Settings,
    survey: OpenSurvey,
    data: ResponseIn,
    source: str,
    links: SurveyLinks | None = None,
) -> ResponseOut:
    """A citizen's answers through the public link or the kiosk of an open cycle (``survey``,
    from ``open_survey`` or ``links``); a retried submission is not stored twice. When the
    cycle is no longer open the link is dropped from ``links`` and Conflict raised."""
    submission = data.submission_token or secrets.token_urlsafe(24)
    if len(submission) > 64:
        raise ValidationFailed.single("submission_token", "maksimal 64 karakter")
    clean, _ = await validate(
        survey.cycle,
        data,
        complete=True,
        profile_required=True,
        items=survey.questions,
        services=survey.service_ids,
    )
    now = _local_now(settings)
    clean.filled_on, clean.filled_time = now.date(), now.strftime("%H:%M")
    if survey.device_id is not None:
        key = device_key(survey.device_id)
    else:
        key = "" if survey.channel is Channel.kiosk else source_key(settings, source)
    extras = [
        (code, value) for code, value in clean.answers.items() if code not in STANDARD_COLUMNS
    ]
    if is_postgres() and not extras:
        response_id = await _insert(settings, survey, clean, submission, key)  # autocommit
    else:  # SQLite: IMMEDIATE, so the pace count and the insert are one serial step
        async with atomic():
            response_id = await _insert(settings, survey, clean, submission, key)
            if response_id is not None and extras:
                await ExtraAnswer.insert(
                    *(ExtraAnswer(response=response_id, code=c, value=v) for c, v in extras)
                )
    if response_id is None:
        return await _refusal(settings, survey, submission, key, links)
    return ResponseOut(id=response_id, cycle=survey.cycle["id"])
