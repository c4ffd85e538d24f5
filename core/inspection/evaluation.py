"""Before an evaluation year's results are final: what each unit is still missing, and the
reminders before each deadline (to the units' operators for filling and objections, to the
inspectors for evaluating), each sent once through every channel the reader has not turned off
(e-mail, the in-app inbox …), in the installation's language.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import msgspec

from core.accounts.policy import Action, Actor, require, visible_unit_ids
from core.accounts.tables import User, UserUnit
from core.clock import utcnow
from core.db import atomic
from core.hooks import Hooks
from core.i18n import translate
from core.inspection.clarifications import RESOLVED
from core.inspection.compliance import compliance_matrix
from core.inspection.labels import INDICATOR_LABELS
from core.inspection.review import review_states
from core.inspection.slots import slot_views, unit_files
from core.inspection.tables import Clarification, EvaluationReminder, EvaluationWindow
from core.inspection.windows import FILL, NOT_OPEN, PHASE_LABELS, phase_on, window_row
from core.notifications.messages import long_date, render_in
from core.notifications.outgoing import queue_deliveries, user_recipients
from core.settings import Settings
from core.units.tables import Unit

THRESHOLDS = (1, 7)
"""Days before a deadline a reminder goes (the nearest threshold that applies, once each)."""
DEADLINE_TEXT = {  # who is reminded of each deadline, and what it is called (catalogue msgids)
    "fill_until": ("operator", "batas pengisian penilaian mandiri dan bukti"),
    "evaluate_until": ("inspector", "batas evaluasi oleh inspektorat"),
    "object_until": ("operator", "batas masa sanggah"),
}
EVENT = "evaluation.reminder"
TEMPLATES = Path(__file__).parent / "templates"


class UnitCompleteness(msgspec.Struct):
    """One unit's list of what is still missing."""

    unit: str
    name: str
    missing: list[str]


class Completeness(msgspec.Struct):
    """Every unit's missing items for the year, and the phase it is in."""

    year: int
    phase: str | None
    phase_label: str
    units: list[UnitCompleteness]


async def completeness(
    actor: Actor,
    hooks: Hooks,
    year: int,
    today: date,
    timezone: str = "Asia/Jakarta",
    lang: str = "id",
) -> Completeness:
    """Per unit (an operator: their own units): the self-assessment, every empty evidence
    slot, indicators not (or no longer) reviewed once filling is over, and threads still open;
    each item (and the phase) in ``lang``."""
    visible = visible_unit_ids(actor)
    if visible is None:
        require(actor, Action.view_findings)
    phase = phase_on(await window_row(year), today)
    matrix = await compliance_matrix(Actor.system(), hooks, year, timezone=timezone, lang=lang)
    ids = {u["code"]: u["id"] for u in await Unit.select(Unit.id, Unit.code)}
    open_threads: dict[int, int] = {}
    for row in await Clarification.select(Clarification.unit).where(
        (Clarification.year == year) & (Clarification.status != RESOLVED)
    ):
        open_threads[row["unit"]] = open_threads.get(row["unit"], 0) + 1
    units = []
    for row in matrix.units:
        unit_id = ids[row.unit]
        if visible is not None and unit_id not in visible:
            continue
        files = await unit_files(unit_id, year)
        missing = (
            []
            if row.self_assessment
            else [translate(lang, "Penilaian mandiri (F-01) belum dikirim")]
        )
        missing += [translate(lang, "Bukti belum ada: {slot}", slot=translate(lang, s.label))
                    for s in slot_views(row, files) if not s.filled]  # fmt: skip
        if phase not in (None, NOT_OPEN, FILL):
            for code, state in (await review_states(row, unit_id, year, files)).items():
                indicator = translate(lang, INDICATOR_LABELS[code])
                if state.changed_since_review:
                    missing.append(translate(lang, "{indicator}: bukti berubah, tinjau ulang",
                                     indicator=indicator))  # fmt: skip
                elif state.needs_review:
                    missing.append(
                        translate(lang, "{indicator}: belum ditinjau", indicator=indicator)
                    )
        if open_threads.get(unit_id):
            missing.append(translate(lang, "{n} klarifikasi/sanggahan belum selesai",
                             n=open_threads[unit_id]))  # fmt: skip
        units.append(UnitCompleteness(row.unit, row.name, missing))
    label = translate(lang, PHASE_LABELS[phase] if phase else "Jadwal evaluasi belum ditetapkan")
    return Completeness(year=year, phase=phase, phase_label=label, units=units)


async def _recipients(role: str) -> list[int]:
    if role == "inspector":
        rows = await User.select(User.id).where((User.role == role) & User.active.eq(True))
        return [r["id"] for r in rows]
    rows = await UserUnit.select(UserUnit.user).where(
        (UserUnit.user.role == role) & UserUnit.user.active.eq(True)
    )
    return sorted({r["user"] for r in rows})


def _when(left: int, lang: str) -> str:
    if left in (0, 1):
        return translate(lang, "hari ini" if left == 0 else "besok")
    return translate(lang, "{days} hari lagi", days=left)


async def queue_evaluation_reminders(today: date, hooks: Hooks, settings: Settings) -> int:
    """Queue the reminders due today (beat task body); how many readers were reminded.

    Idempotent: each year, deadline, threshold and reader is reminded once; the reminder is
    recorded in the transaction that queues its deliveries (the outbox sends them)."""
    sent, lang = 0, settings.locale
    for window in await EvaluationWindow.select().where(EvaluationWindow.object_until >= today):
        for deadline, (role, what) in DEADLINE_TEXT.items():
            left = (window[deadline] - today).days
            due = [t for t in THRESHOLDS if 0 <= left <= t]
            if not due:
                continue
            threshold = min(due)
            path = f"/evaluasi/{window['year']}"
            context = {"year": window["year"], "what": translate(lang, what), "deadline": deadline,
                       "when": _when(left, lang), "due": long_date(window[deadline], lang),
                       "link": settings.base_url + path}  # fmt: skip
            for person in await user_recipients(await _recipients(role)):
                key = f"{window['year']}:{deadline}:{threshold}:{person.user_id}"
                async with atomic():
                    if await EvaluationReminder.exists().where(EvaluationReminder.key == key):
                        continue
                    await EvaluationReminder.insert(EvaluationReminder(key=key, sent_at=utcnow()))
                    context["recipient"] = person.as_mapping()
                    subject, body = render_in(TEMPLATES, EVENT, lang, context)
                    data = {"year": window["year"], "path": path, "link": context["link"]}
                    await queue_deliveries(hooks, EVENT, [person], subject, body, data)
                sent += 1
    return sent
