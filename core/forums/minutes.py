"""What a held forum records: numbered agreements, the notulen, and publishing them."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from core.accounts.policy import Action, Actor, can
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from core.forums.access import forum_row
from core.forums.labels import AGREEMENT_LABELS
from core.forums.lifecycle import (
    FORUM_STATES,
    PUBLISHED,
    forum_day,
    move_forum,
    writes_minutes,
)
from core.forums.schemas import AgreementIn, AgreementOut, MinutesIn
from core.forums.tables import Agreement, Forum
from core.states import StateMachine, move
from core.units.tables import Unit

AGREEMENT_STATES = StateMachine(
    entity="forum_agreement",
    action_prefix="agreement",
    noun="Kesepakatan forum",
    transitions={
        "open": frozenset({"in_progress", "done", "dropped"}),
        "in_progress": frozenset({"open", "done", "dropped"}),
        "done": frozenset({"in_progress"}),
        "dropped": frozenset({"open"}),
    },
    labels=AGREEMENT_LABELS,
)
"""An agreement's follow-up by its PIC: open → in progress → done, or dropped (with a reason)."""
MIN_DROP_REASON = 10

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "hr",
}  # fmt: skip
# Raw HTML in the text is shown as text, never interpreted; a blank line starts a paragraph.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})


def render_notulen(text: str) -> str:
    """The notulen (plain text with paragraphs, or Markdown) as safe HTML."""
    html = _MARKDOWN.render(text) if text.strip() else ""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}})


async def add_agreement(actor: Actor, forum_id: int, data: AgreementIn) -> int:
    """Add the next numbered agreement of a held forum."""
    errors = []
    if not data.text.strip():
        errors.append(FieldError("text", "wajib diisi"))
    owner_unit = None
    if data.owner_unit:
        unit = await Unit.select(Unit.id).where(Unit.code == data.owner_unit).first()
        if unit is None:
            errors.append(FieldError("owner_unit", f"unit {data.owner_unit!r} tidak ada"))
        else:
            owner_unit = unit["id"]
    if not data.owner_unit and not data.owner_person.strip():
        errors.append(FieldError("owner_person", "sebutkan penanggung jawab (unit atau orang)"))
    if data.due_date is None:
        errors.append(FieldError("due_date", "tenggat kesepakatan wajib diisi"))
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not writes_minutes(row["status"], row["locked"]):
            raise Conflict(
                "Kesepakatan dicatat setelah forum berlangsung dan sebelum notulen terbit."
            )
        if data.due_date is not None and data.due_date < forum_day(row):
            errors.append(FieldError("due_date", "tenggat tidak boleh sebelum tanggal forum"))
        if errors:
            raise ValidationFailed(errors)
        cycle = data.cycle if data.cycle is not None else row["cycle"]
        last = (
            await Agreement.select(Agreement.number)
            .where(Agreement.forum == forum_id)
            .order_by(Agreement.number, ascending=False)
            .first()
        )
        number = (last["number"] if last else 0) + 1
        ids = await Agreement.insert(
            Agreement(
                forum=forum_id,
                number=number,
                text=data.text.strip(),
                owner_unit=owner_unit,
                owner_person=data.owner_person.strip(),
                due_date=data.due_date,
                status="open",
                cycle=cycle,
                created_at=utcnow(),
            )
        ).returning(Agreement.id)
        await record(
            actor,
            "forum.agreement_added",
            "forum",
            forum_id,
            after={
                "number": number,
                "text": data.text.strip(),
                "owner_unit": data.owner_unit,
                "due_date": str(data.due_date) if data.due_date else None,
                "cycle": cycle,
            },
        )
    return int(ids[0]["id"])


async def save_minutes(actor: Actor, forum_id: int, data: MinutesIn) -> None:
    """Store the notulen (plain text or Markdown, rendered safely) and an optional 'no agreement'
    statement."""
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not writes_minutes(row["status"], row["locked"]):
            raise Conflict("Notulen ditulis setelah forum berlangsung dan sebelum diterbitkan.")
        await Forum.update(
            {
                Forum.notulen: data.notulen.strip(),
                Forum.no_agreement_statement: data.no_agreement_statement.strip(),
                Forum.updated_at: utcnow(),
            }
        ).where(Forum.id == forum_id)
        await record(actor, "forum.minutes_saved", "forum", forum_id)


async def publish_minutes(actor: Actor, forum_id: int) -> None:
    """Publish: needs the notulen, and at least one agreement or a 'no agreement' statement."""
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        FORUM_STATES.check(row["status"], PUBLISHED)
        if not render_notulen(row["notulen"]).strip():
            raise Conflict("Notulen belum dapat diterbitkan: notulen forum masih kosong.")
        has_agreement = await Agreement.exists().where(Agreement.forum == forum_id)
        if not has_agreement and not row["no_agreement_statement"].strip():
            raise Conflict(
                "Notulen belum dapat diterbitkan: catat minimal satu kesepakatan atau "
                "pernyataan bahwa tidak ada kesepakatan."
            )
        await move_forum(actor, forum_id, PUBLISHED)


async def list_agreements(actor: Actor, forum_id: int) -> list[AgreementOut]:
    """Agreements of a forum in order."""
    await forum_row(actor, forum_id)
    rows = (
        await Agreement.select(
            *Agreement.all_columns(), Agreement.owner_unit.code.as_alias("unit_code")
        )
        .where(Agreement.forum == forum_id)
        .order_by(Agreement.number)
    )
    return [
        AgreementOut(
            id=r["id"],
            number=r["number"],
            text=r["text"],
            owner_unit=r["unit_code"],
            owner_person=r["owner_person"],
            due_date=r["due_date"],
            status=r["status"],
            cycle=r["cycle"],
        )
        for r in rows
    ]


async def set_agreement_status(
    actor: Actor, agreement_id: int, status: str, note: str = ""
) -> None:
    """Move an agreement's follow-up status, by the forum's organisers or the owner unit's
    operators (its PIC); dropping needs a reason. Audited."""
    if status not in AGREEMENT_LABELS:
        raise ValidationFailed.single("status", f"pilihan: {', '.join(AGREEMENT_LABELS)}")
    if status == "dropped" and len(note.strip()) < MIN_DROP_REASON:
        raise ValidationFailed.single(
            "note", f"sebutkan alasan (minimal {MIN_DROP_REASON} karakter)"
        )
    async with atomic():
        row = await Agreement.select().where(Agreement.id == agreement_id).first()
        if row is None or not can(actor, Action.view_forums, row["owner_unit"]):
            raise NotFound("Kesepakatan tidak ditemukan.")
        pic = row["owner_unit"] is not None and can(actor, Action.manage_plans, row["owner_unit"])
        if not (pic or can(actor, Action.manage_forums)):
            raise PermissionDenied("Status kesepakatan diubah oleh penanggung jawabnya.")
        await move(AGREEMENT_STATES, actor, Agreement, row, status,
                   after={"status": status, "number": row["number"], "forum": row["forum"]},
                   reason=note.strip() or None, unit_id=row["owner_unit"])  # fmt: skip
