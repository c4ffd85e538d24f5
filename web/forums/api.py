"""JSON API for the stakeholder registry and Forum Konsultasi Publik (PermenPAN-RB 16/2017)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from core.errors import ValidationFailed
from core.forums import service as forums
from core.forums import stakeholders
from core.forums.attendance import AttendanceOut, attendance_out, undo_check_in
from core.forums.labels import PURPOSE_LABELS
from core.forums.public import PublicInvitation, public_invitation
from core.forums.schemas import (
    AgreementIn,
    AgreementOut,
    AttendanceIn,
    ForumIn,
    ForumOut,
    ForumPatch,
    InvitationOut,
    InvitationsIn,
    MinutesIn,
    ReasonIn,
    StakeholderIn,
    StakeholderOut,
)
from core.forums.tables import ForumStatus
from web.context import CurrentActor, signed_in, token_required


class RsvpIn(msgspec.Struct, forbid_unknown_fields=True):
    """An invitee's answer through their personal link."""

    rsvp: str
    representative: str = ""


_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def _moment(
    request: Request, field: str, text: str | None, *, end: bool = False
) -> datetime | None:
    """A query bound: a date (whole day, installation time zone) or a date-time with offset."""
    if not text:
        return None
    # An unencoded "+07:00" arrives as " 07:00".
    text = _SPACED_OFFSET.sub(r"+\1", text.strip())
    try:
        if len(text) == 10:
            day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
            zone = ZoneInfo(request.app.state.settings.timezone)
            return datetime(day.year, day.month, day.day, tzinfo=zone)
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed.single(
            field, "format ISO 8601, mis. 2026-12-01 atau 2026-12-01T00:00:00+07:00"
        ) from exc
    if value.tzinfo is None:
        raise ValidationFailed.single(field, "sertakan zona waktu, mis. 2026-12-01T00:00:00+07:00")
    return value


class StakeholdersApi(Controller):
    """The registry of people and organisations consulted in forums."""

    path = "/api/v1/stakeholders"
    tags = ["forums"]
    guards = [token_required]

    @post("/", status_code=HTTP_201_CREATED, operation_id="createStakeholder")
    async def create(self, actor: CurrentActor, data: JSONBody[StakeholderIn]) -> StakeholderOut:
        """Register a stakeholder (name, group, contact, consent …); 409 on a duplicate contact."""
        return await stakeholders.create_stakeholder(signed_in(actor), data)

    @get("/", operation_id="listStakeholders")
    async def list_all(
        self,
        actor: CurrentActor,
        group: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
    ) -> list[StakeholderOut]:
        """Active stakeholders, filtered by group, related unit code or a search text."""
        return await stakeholders.list_stakeholders(
            signed_in(actor), group=group or None, unit=unit or None, search=q or None
        )

    @get("/{stakeholder_id:int}", operation_id="getStakeholder")
    async def get_one(self, actor: CurrentActor, stakeholder_id: FromPath[int]) -> StakeholderOut:
        """One stakeholder."""
        return await stakeholders.get_stakeholder(signed_in(actor), stakeholder_id)


class ForumsApi(Controller):
    """Forums: plan, invite, check in, hold, agree, publish the minutes, or cancel."""

    path = "/api/v1/forums"
    tags = ["forums"]
    guards = [token_required]

    @post("/", status_code=HTTP_201_CREATED, operation_id="createForum")
    async def create(self, actor: CurrentActor, data: JSONBody[ForumIn]) -> ForumOut:
        """Create a draft forum; the answer carries its `id`, `status` and `warnings`."""
        actor = signed_in(actor)
        forum_id = await forums.create_forum(actor, data)
        return await forums.get_forum(actor, forum_id)

    @get("/", operation_id="listForums")
    async def list_all(
        self,
        request: Request,
        actor: CurrentActor,
        from_: Annotated[str | None, QueryParameter(name="from")] = None,
        to: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
        purpose: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
    ) -> list[ForumOut]:
        """Forums by start time; `from`/`to` are dates (whole days) or date-times with offset."""
        actor = signed_in(actor)
        if purpose and purpose not in PURPOSE_LABELS:
            raise ValidationFailed.single("purpose", f"pilihan: {', '.join(PURPOSE_LABELS)}")
        if status and status not in {s.value for s in ForumStatus}:
            raise ValidationFailed.single(
                "status", f"pilihan: {', '.join(s.value for s in ForumStatus)}"
            )
        return await forums.list_forums(
            actor,
            start=_moment(request, "from", from_),
            end=_moment(request, "to", to, end=True),
            unit=unit or None,
            purpose=purpose or None,
            status=status or None,
        )

    @get("/{forum_id:int}", operation_id="getForum")
    async def get_one(self, actor: CurrentActor, forum_id: FromPath[int]) -> ForumOut:
        """One forum with its composition and warnings."""
        return await forums.get_forum(signed_in(actor), forum_id)

    @patch("/{forum_id:int}", operation_id="updateForum")
    async def update(
        self, actor: CurrentActor, forum_id: FromPath[int], data: JSONBody[ForumPatch]
    ) -> ForumOut:
        """Change a draft or scheduled forum; moving a scheduled one needs a `reason`."""
        actor = signed_in(actor)
        await forums.update_forum(actor, forum_id, data)
        return await forums.get_forum(actor, forum_id)

    @post("/{forum_id:int}/schedule", status_code=200, operation_id="scheduleForum")
    async def schedule(self, actor: CurrentActor, forum_id: FromPath[int]) -> ForumOut:
        """Publish the schedule and send the invitations made so far (only from draft)."""
        actor = signed_in(actor)
        await forums.schedule_forum(actor, forum_id)
        return await forums.get_forum(actor, forum_id)

    @post("/{forum_id:int}/invitations", status_code=HTTP_201_CREATED, operation_id="invite")
    async def invite(
        self, actor: CurrentActor, forum_id: FromPath[int], data: JSONBody[InvitationsIn]
    ) -> list[InvitationOut]:
        """Invite by stakeholder ids and/or every active stakeholder of groups or units.

        Answers the invitations created now (those already invited are left as they are).
        """
        actor = signed_in(actor)
        created = set(await forums.invite(actor, forum_id, data))
        return [i for i in await forums.list_invitations(actor, forum_id) if i.id in created]

    @get("/{forum_id:int}/invitations", operation_id="listInvitations")
    async def invitations(
        self, actor: CurrentActor, forum_id: FromPath[int]
    ) -> list[InvitationOut]:
        """Invitations with their answer, waitlist place and attendance."""
        return await forums.list_invitations(signed_in(actor), forum_id)

    @post("/{forum_id:int}/attendance", status_code=HTTP_201_CREATED, operation_id="checkIn")
    async def attendance(
        self, actor: CurrentActor, forum_id: FromPath[int], data: JSONBody[AttendanceIn]
    ) -> AttendanceOut:
        """Check someone in: `stakeholder` id, `invitation_token` (QR) or a `walk_in` stakeholder."""
        actor = signed_in(actor)
        attendance_id = await forums.check_in(actor, forum_id, data)
        return await attendance_out(attendance_id)

    @delete(
        "/{forum_id:int}/attendance/{stakeholder_id:int}",
        status_code=204,
        operation_id="undoCheckIn",
    )
    async def undo_attendance(
        self, actor: CurrentActor, forum_id: FromPath[int], stakeholder_id: FromPath[int]
    ) -> None:
        """Take back a check-in recorded by mistake (audited; not once the forum is locked)."""
        await undo_check_in(signed_in(actor), forum_id, stakeholder_id)

    @post("/{forum_id:int}/hold", status_code=200, operation_id="holdForum")
    async def hold(self, actor: CurrentActor, forum_id: FromPath[int]) -> ForumOut:
        """Mark a scheduled forum as held (needs recorded attendance)."""
        actor = signed_in(actor)
        await forums.hold_forum(actor, forum_id)
        return await forums.get_forum(actor, forum_id)

    @post("/{forum_id:int}/agreements", status_code=HTTP_201_CREATED, operation_id="addAgreement")
    async def add_agreement(
        self, actor: CurrentActor, forum_id: FromPath[int], data: JSONBody[AgreementIn]
    ) -> AgreementOut:
        """Add the next numbered kesepakatan (held forums) with an owner and a due date."""
        actor = signed_in(actor)
        agreement_id = await forums.add_agreement(actor, forum_id, data)
        return next(
            a for a in await forums.list_agreements(actor, forum_id) if a.id == agreement_id
        )

    @get("/{forum_id:int}/agreements", operation_id="listAgreements")
    async def agreements(self, actor: CurrentActor, forum_id: FromPath[int]) -> list[AgreementOut]:
        """The agreements of a forum, in order."""
        return await forums.list_agreements(signed_in(actor), forum_id)

    @post("/{forum_id:int}/minutes", status_code=200, operation_id="saveMinutes")
    async def minutes(
        self, actor: CurrentActor, forum_id: FromPath[int], data: JSONBody[MinutesIn]
    ) -> ForumOut:
        """Store the notulen (plain text or Markdown) and/or a statement that nothing was agreed."""
        actor = signed_in(actor)
        await forums.save_minutes(actor, forum_id, data)
        return await forums.get_forum(actor, forum_id)

    @post("/{forum_id:int}/publish-minutes", status_code=200, operation_id="publishMinutes")
    async def publish(self, actor: CurrentActor, forum_id: FromPath[int]) -> ForumOut:
        """Publish the minutes (needs an agreement or a 'no agreement' statement)."""
        actor = signed_in(actor)
        await forums.publish_minutes(actor, forum_id)
        return await forums.get_forum(actor, forum_id)

    @post("/{forum_id:int}/cancel", status_code=200, operation_id="cancelForum")
    async def cancel(
        self, actor: CurrentActor, forum_id: FromPath[int], data: JSONBody[ReasonIn]
    ) -> ForumOut:
        """Cancel a draft or scheduled forum with a reason; invitees are told."""
        actor = signed_in(actor)
        await forums.cancel_forum(actor, forum_id, data.reason)
        return await forums.get_forum(actor, forum_id)


@get("/api/v1/public/invitations/{token:str}", tags=["public"], operation_id="getInvitation")
async def get_invitation(token: FromPath[str]) -> PublicInvitation:
    """The forum behind a personal invitation link and the current answer (no log-in)."""
    return await public_invitation(token)


@post(
    "/api/v1/public/invitations/{token:str}",
    status_code=200,
    tags=["public"],
    operation_id="answerInvitation",
)
async def public_answer(
    actor: CurrentActor, token: FromPath[str], data: JSONBody[RsvpIn]
) -> PublicInvitation:
    """Answer an invitation: `hadir`, `tidak_hadir` or `diwakilkan` (with `representative`).

    Signed in, the answer is recorded in the audit log as the user's own."""
    await forums.answer_invitation(token, data.rsvp, data.representative, actor)
    return await public_invitation(token)


ROUTES = [StakeholdersApi, ForumsApi, get_invitation, public_answer]
