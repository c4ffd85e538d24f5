"""Questionnaire versions: the standard unsur of the scoring method, reworded or extended per unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic, lock_key
from core.errors import FieldError, ValidationFailed
from core.hooks import Hooks
from core.surveys.schemas import UnsurItem
from core.surveys.tables import QuestionnaireVersion, SurveyCycle
from core.units.service import unit_by_code

STANDARD_CODES = tuple(f"U{n}" for n in range(1, 10))
EXTRA_CODES = tuple(f"U{n}" for n in range(10, 21))
EXTRA_CODE_RE = re.compile(r"^U(1[0-9]|20)$")  # U10..U20


@dataclass(frozen=True)
class Version:
    """One stored version of a unit's questionnaire and how many cycles asked it."""

    number: int
    created_at: datetime
    created_by: str
    items: list[UnsurItem]
    cycles: int


def scoring_method(hooks: Hooks, code: str | None = None) -> Any:
    """The scoring method by code, or the only/standard one when code is None."""
    methods = hooks.scoring_methods()
    if code is not None:
        if code not in methods:
            raise ValidationFailed.single("scoring_method", f"metode penilaian {code!r} tidak ada")
        return methods[code]
    if not methods:
        raise ValidationFailed.single("scoring_method", "tidak ada plugin metode penilaian aktif")
    return methods.get("skm-14-2017") or next(iter(methods.values()))


def standard_items(hooks: Hooks, method_code: str | None = None) -> list[UnsurItem]:
    """The questionnaire the scoring method prescribes."""
    method = scoring_method(hooks, method_code)
    return [
        UnsurItem(code=u.code, name=u.name, question=u.question, labels=list(u.labels))
        for u in method.questionnaire
    ]


async def latest_version(unit_id: int) -> dict[str, Any] | None:
    """The unit's newest questionnaire version row, if it has one."""
    return (
        await QuestionnaireVersion.select()
        .where(QuestionnaireVersion.unit == unit_id)
        .order_by(QuestionnaireVersion.number, ascending=False)
        .first()
    )


def items_of(row: dict[str, Any]) -> list[UnsurItem]:
    """The items stored in a questionnaire version row."""
    raw = row["items"]
    return msgspec.json.decode(
        raw if isinstance(raw, (str, bytes)) else msgspec.json.encode(raw), type=list[UnsurItem]
    )


async def current_items(hooks: Hooks, unit_id: int) -> list[UnsurItem]:
    """What a cycle of this unit would ask if it opened now."""
    row = await latest_version(unit_id)
    return items_of(row) if row else standard_items(hooks)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def validate_items(items: list[UnsurItem], standard: list[UnsurItem]) -> list[FieldError]:
    """U1..U9 present exactly once each and keeping their unsur (``standard`` names them; the
    question and answer labels may be reworded), extra codes U10..U20, every text filled."""
    errors: list[FieldError] = []
    codes = [item.code for item in items]
    for code in STANDARD_CODES:
        if codes.count(code) != 1:
            errors.append(FieldError(code, "unsur baku harus ada tepat satu kali"))
    names = {item.code: item.name for item in standard}
    for item in items:
        if item.code in names and item.name.strip() and not _same_name(item.name, names[item.code]):
            errors.append(
                FieldError(
                    f"{item.code}.name",
                    f"{item.code} adalah unsur «{names[item.code]}»; nama unsur baku tidak dapat"
                    " diubah (pertanyaan dan pilihan jawaban boleh disesuaikan)",
                )
            )
    for index, item in enumerate(items):
        where = item.code or f"item {index + 1}"
        if item.code not in STANDARD_CODES and not EXTRA_CODE_RE.match(item.code):
            errors.append(FieldError(where, "kode unsur tambahan harus U10 sampai U20"))
        elif item.code not in STANDARD_CODES and codes.count(item.code) > 1:
            errors.append(FieldError(where, "kode unsur dipakai lebih dari sekali"))
        if not item.name.strip():
            errors.append(FieldError(f"{where}.name", "nama unsur wajib diisi"))
        if not item.question.strip():
            errors.append(FieldError(f"{where}.question", "pertanyaan wajib diisi"))
        if len(item.labels) != 4 or not all(label.strip() for label in item.labels):
            errors.append(FieldError(f"{where}.labels", "empat pilihan jawaban wajib diisi"))
    return errors


async def save_questionnaire(
    actor: Actor, hooks: Hooks, unit_code: str, items: list[UnsurItem]
) -> int:
    """Store a new version of a unit's questionnaire; cycles already open keep theirs."""
    errors = validate_items(items, standard_items(hooks))
    if errors:
        raise ValidationFailed(errors)
    ordered = sorted(items, key=lambda item: int(item.code[1:]))
    async with atomic():
        unit = await unit_by_code(actor, unit_code, Action.manage_cycles)
        await lock_key(f"questionnaire:{unit.id}")  # parallel saves take numbers one by one
        last = await latest_version(unit.id)
        number = (last["number"] if last else 0) + 1
        rows = await QuestionnaireVersion.insert(
            QuestionnaireVersion(
                unit=unit.id,
                number=number,
                items=msgspec.json.encode(ordered).decode(),
                created_at=utcnow(),
                created_by=actor.username,
            )
        ).returning(QuestionnaireVersion.id)
        await record(
            actor,
            "questionnaire.saved",
            "questionnaire",
            f"{unit.code}/v{number}",
            after={"items": msgspec.to_builtins(ordered)},
            unit_id=unit.id,
        )
    return int(rows[0]["id"])


async def freeze_for_cycle(hooks: Hooks, actor: Actor, unit_id: int, unit_code: str) -> int:
    """The version a cycle opens on; the standard one is stored first if the unit has none.

    Call inside atomic(): two cycles of one unit opened at once then store version 1 once.
    """
    await lock_key(f"questionnaire:{unit_id}")
    row = await latest_version(unit_id)
    if row is not None:
        return int(row["id"])
    items = standard_items(hooks)
    rows = await QuestionnaireVersion.insert(
        QuestionnaireVersion(
            unit=unit_id,
            number=1,
            items=msgspec.json.encode(items).decode(),
            created_at=utcnow(),
            created_by=actor.username,
        )
    ).returning(QuestionnaireVersion.id)
    await record(
        actor,
        "questionnaire.saved",
        "questionnaire",
        f"{unit_code}/v1",
        after={"items": msgspec.to_builtins(items)},
        unit_id=unit_id,
    )
    return int(rows[0]["id"])


async def questionnaire_versions(actor: Actor, unit_code: str) -> list[Version]:
    """Every version of a unit's questionnaire the actor may see, newest first."""
    unit = await unit_by_code(actor, unit_code)
    rows = (
        await QuestionnaireVersion.select()
        .where(QuestionnaireVersion.unit == unit.id)
        .order_by(QuestionnaireVersion.number, ascending=False)
    )
    used: dict[int, int] = {}
    for cycle in await SurveyCycle.select(SurveyCycle.questionnaire).where(
        SurveyCycle.unit == unit.id
    ):
        if cycle["questionnaire"]:
            used[cycle["questionnaire"]] = used.get(cycle["questionnaire"], 0) + 1
    return [
        Version(
            number=row["number"],
            created_at=row["created_at"],
            created_by=row["created_by"],
            items=items_of(row),
            cycles=used.get(row["id"], 0),
        )
        for row in rows
    ]
