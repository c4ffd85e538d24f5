"""The rules of a forum's life, through the core services on a real database."""

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.clock import frozen_at
from core.errors import Conflict, NotFound, ValidationFailed
from core.forums import service
from core.forums.attendance import undo_check_in
from core.forums.schemas import (
    AgendaIn,
    AgreementIn,
    AttendanceIn,
    ForumIn,
    ForumPatch,
    InvitationsIn,
    MinutesIn,
    StakeholderIn,
)
from core.forums.stakeholders import create_stakeholder, import_stakeholders_csv
from core.jobs.tables import OutboxJob
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.schemas import CycleIn
from tests.factories import make_unit

WIB = timezone(timedelta(hours=7))
GROUPS = ("pengguna_layanan", "akademisi", "instansi_terkait", "organisasi_masyarakat")


async def _closed_cycle(hooks) -> int:
    system = Actor.system()
    cycle_id = await create_cycle(
        system, hooks, CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=50)
    )
    await open_cycle(system, hooks, cycle_id)
    await close_cycle(
        system, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
    )
    return cycle_id


async def _stakeholders() -> list[int]:
    ids = []
    for n, group in enumerate(GROUPS):
        out = await create_stakeholder(
            Actor.system(),
            StakeholderIn(
                name=f"Warga {n}",
                group=group,
                email=f"w{n}@contoh.id",
                consent=True,
                units=["PKM-A"],
            ),
        )
        ids.append(out.id)
    return ids


def _forum_in(cycle_id: int, start: datetime, **extra) -> ForumIn:
    return ForumIn(
        title="Tindak lanjut SKM TW I",
        purpose="tindak_lanjut_skm",
        units=["PKM-A"],
        format="tatap_muka",
        venue="Aula Puskesmas",
        start=start,
        end=start + timedelta(hours=3),
        cycle=cycle_id,
        **extra,
    )


async def test_forum_from_schedule_to_published_minutes(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    cycle_id = await _closed_cycle(hooks)
    people = await _stakeholders()
    system = Actor.system()
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    forum_id = await service.create_forum(system, _forum_in(cycle_id, start))
    draft = await service.get_forum(system, forum_id)
    assert draft.status == "draft" and draft.start == start.astimezone(UTC)
    assert any("unsur masyarakat" in w for w in draft.warnings)

    await service.invite(
        system, forum_id, InvitationsIn(stakeholders=people[:2], groups=list(GROUPS[2:]))
    )
    await service.schedule_forum(system, forum_id)
    forum = await service.get_forum(system, forum_id)
    assert forum.status == "scheduled" and forum.groups_invited == sorted(GROUPS)
    assert not any("unsur masyarakat" in w for w in forum.warnings)
    assert await OutboxJob.exists().where(OutboxJob.kind == "notify")

    invitations = await service.list_invitations(system, forum_id)
    await service.answer_invitation(invitations[0].token, "hadir")
    await service.answer_invitation(invitations[1].token, "diwakilkan", "Ibu Sari")
    with pytest.raises(ValidationFailed):
        await service.answer_invitation(invitations[2].token, "diwakilkan")

    with pytest.raises(Conflict, match="pada hari forum"):
        await service.check_in(system, forum_id, AttendanceIn(stakeholder=people[0]))
    with frozen_at(start + timedelta(minutes=20)):
        with pytest.raises(Conflict):
            await service.hold_forum(system, forum_id)  # no attendance yet
        await service.check_in(
            system, forum_id, AttendanceIn(invitation_token=invitations[0].token)
        )
        await service.check_in(
            system, forum_id, AttendanceIn(stakeholder=invitations[1].stakeholder)
        )
        await service.check_in(
            system,
            forum_id,
            AttendanceIn(
                walk_in=StakeholderIn(name="Pak Budi", group="media", phone="0812 1111 2222")
            ),
        )
        await service.hold_forum(system, forum_id)

    with pytest.raises(Conflict, match="masih kosong"):
        await service.publish_minutes(system, forum_id)  # no notulen yet
    await service.save_minutes(system, forum_id, MinutesIn(notulen="Dibuka pukul 09.00."))
    with pytest.raises(Conflict, match="minimal satu kesepakatan"):
        await service.publish_minutes(system, forum_id)  # no agreement, no statement
    with pytest.raises(ValidationFailed) as undated:
        await service.add_agreement(
            system, forum_id, AgreementIn(text="Tanpa tenggat", owner_unit="PKM-A")
        )
    assert [e.field for e in undated.value.errors] == ["due_date"]
    with pytest.raises(ValidationFailed) as overdue:
        await service.add_agreement(
            system,
            forum_id,
            AgreementIn(text="Tenggat lewat", owner_unit="PKM-A", due_date=date(2026, 12, 1)),
        )
    assert overdue.value.errors[0].message == "tenggat tidak boleh sebelum tanggal forum"
    for text in ("Tambah loket pendaftaran", "Papan informasi alur", "Kotak pengaduan"):
        await service.add_agreement(
            system, forum_id, AgreementIn(text=text, owner_unit="PKM-A", due_date=date(2027, 3, 31))
        )
    await service.save_minutes(
        system,
        forum_id,
        MinutesIn(notulen="Dibuka **09.00**\noleh Camat.\n\n<script>alert(1)</script>"),
    )
    await service.publish_minutes(system, forum_id)
    done = await service.get_forum(system, forum_id)
    assert done.status == "minutes_published" and "<script>" not in done.notulen_html
    assert done.notulen_html == (
        "<p>Dibuka <strong>09.00</strong><br>\noleh Camat.</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    assert done.groups_attended == sorted({"pengguna_layanan", "akademisi", "media"})
    agreements = await service.list_agreements(system, forum_id)
    assert [a.number for a in agreements] == [1, 2, 3]
    assert all(a.cycle == cycle_id for a in agreements)


async def test_rules_reject_bad_forums(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    with pytest.raises(ValidationFailed) as error:
        await service.create_forum(
            Actor.system(),
            ForumIn(
                title="",
                purpose="tindak_lanjut_skm",
                units=["PKM-A"],
                format="daring",
                start=start,
                end=start - timedelta(hours=1),
            ),
        )
    fields = {e.field for e in error.value.errors}
    assert {"title", "cycle", "link", "end"} <= fields


async def test_clash_warning_and_reschedule_notifies(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    cycle_id = await _closed_cycle(hooks)
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    first = await service.create_forum(Actor.system(), _forum_in(cycle_id, start))
    second = await service.create_forum(
        Actor.system(), _forum_in(cycle_id, start + timedelta(hours=1))
    )
    warnings = (await service.get_forum(Actor.system(), second)).warnings
    assert any("Bentrok tempat" in w for w in warnings)
    people = await _stakeholders()
    await service.invite(Actor.system(), first, InvitationsIn(stakeholders=people))
    await service.schedule_forum(Actor.system(), first)
    with pytest.raises(ValidationFailed):
        await service.update_forum(Actor.system(), first, ForumPatch(venue="Balai Desa"))
    before = await OutboxJob.count().where(OutboxJob.kind == "notify")
    await service.update_forum(
        Actor.system(), first, ForumPatch(venue="Balai Desa", reason="Aula direnovasi")
    )
    assert await OutboxJob.count().where(OutboxJob.kind == "notify") == before + 1
    await service.cancel_forum(Actor.system(), first, "Banjir di lokasi")
    assert (await service.get_forum(Actor.system(), first)).status == "cancelled"


async def test_capacity_waitlist_and_reminders(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    cycle_id = await _closed_cycle(hooks)
    people = await _stakeholders()
    now = datetime.now(UTC)
    forum_id = await service.create_forum(
        Actor.system(), _forum_in(cycle_id, now + timedelta(days=2), capacity=2)
    )
    await service.invite(Actor.system(), forum_id, InvitationsIn(stakeholders=people))
    invitations = await service.list_invitations(Actor.system(), forum_id)
    assert [i.waitlisted for i in invitations] == [False, False, True, True]
    await service.schedule_forum(Actor.system(), forum_id)
    await service.answer_invitation(invitations[0].token, "tidak_hadir")
    invitations = await service.list_invitations(Actor.system(), forum_id)
    assert [i.waitlisted for i in invitations] == [False, False, False, True]
    assert (
        await service.queue_due_reminders(now) == 2
    )  # 3-day window; the absentee and waitlist skipped
    assert await service.queue_due_reminders(now) == 0  # each reminder once


async def test_stakeholder_csv_import_is_all_or_nothing(db):
    await make_unit("PKM-A", "puskesmas")
    bad = (
        b"name,group,email,phone,consent,units\n"
        b"Ani,pengguna_layanan,ani@contoh.id,,ya,PKM-A\n"
        b",media,,,tidak,\n"
        b"Budi,wartawan,ani@contoh.id,,mungkin,XX\n"
    )
    created, updated, errors = await import_stakeholders_csv(Actor.system(), bad)
    assert (created, updated) == (0, 0)
    assert {(e.row, e.field) for e in errors} >= {
        (3, "name"),
        (4, "group"),
        (4, "email"),
        (4, "consent"),
        (4, "units"),
    }
    good = b"name,group,email,consent\nAni,pengguna_layanan,ani@contoh.id,ya\n"
    assert (await import_stakeholders_csv(Actor.system(), good))[:2] == (1, 0)
    assert (await import_stakeholders_csv(Actor.system(), good))[:2] == (0, 1)  # de-duplicated


async def test_forum_changes_until_held_and_a_check_in_can_be_undone(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    cycle_id = await _closed_cycle(hooks)
    people = await _stakeholders()
    system = Actor.system()
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    forum_id = await service.create_forum(system, _forum_in(cycle_id, start))
    await service.update_forum(
        system,
        forum_id,
        ForumPatch(
            title="Forum standar pelayanan",
            purpose="standar_pelayanan",
            cycle=None,
            units=["PKM-A", "PKM-B"],
            agenda=[AgendaIn("Paparan", "Kepala", 30), AgendaIn("Diskusi", "", 60)],
            narasumber="Kepala Puskesmas",
            moderator="Camat",
        ),
    )
    forum = await service.get_forum(system, forum_id)
    assert forum.title == "Forum standar pelayanan" and forum.purpose == "standar_pelayanan"
    assert forum.units == ["PKM-A", "PKM-B"] and [a.title for a in forum.agenda] == [
        "Paparan",
        "Diskusi",
    ]
    event = (
        await AuditEvent.select()
        .where(AuditEvent.action == "forum.updated")
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    before, after = json.loads(event["before"]), json.loads(event["after"])
    assert before["units"] == ["PKM-A"] and after["moderator"] == "Camat"
    with pytest.raises(ValidationFailed) as bad:
        await service.update_forum(system, forum_id, ForumPatch(purpose="tindak_lanjut_skm"))
    assert [e.field for e in bad.value.errors] == ["cycle"]

    await service.invite(system, forum_id, InvitationsIn(stakeholders=people))
    await service.schedule_forum(system, forum_id)
    with frozen_at(start + timedelta(minutes=5)):
        await service.check_in(system, forum_id, AttendanceIn(stakeholder=people[0]))
        await service.check_in(system, forum_id, AttendanceIn(stakeholder=people[1]))
        await undo_check_in(system, forum_id, people[1])
        with pytest.raises(NotFound):
            await undo_check_in(system, forum_id, people[1])
        await service.hold_forum(system, forum_id)
    undone = await AuditEvent.select().where(AuditEvent.action == "forum.attendance_undone").first()
    taken_back = json.loads(undone["before"])
    assert taken_back["stakeholder"] == people[1] and taken_back["method"] == "tap"
    assert (await service.get_forum(system, forum_id)).attended == 1
    with pytest.raises(Conflict, match="tidak dapat diubah"):
        await service.update_forum(system, forum_id, ForumPatch(title="Terlambat"))


async def test_no_hold_before_the_forum_day(db, hooks):
    await make_unit("PKM-A", "puskesmas")
    cycle_id = await _closed_cycle(hooks)
    people = await _stakeholders()
    system = Actor.system()
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    forum_id = await service.create_forum(system, _forum_in(cycle_id, start))
    await service.invite(system, forum_id, InvitationsIn(stakeholders=people))
    await service.schedule_forum(system, forum_id)
    with (
        frozen_at(datetime(2026, 12, 9, 23, 59, tzinfo=WIB)),
        pytest.raises(Conflict, match="pada hari forum"),
    ):
        await service.hold_forum(system, forum_id)
    with frozen_at(datetime(2026, 12, 10, 0, 1, tzinfo=WIB)):  # the same day in Jakarta
        await service.check_in(system, forum_id, AttendanceIn(stakeholder=people[0]))
        await service.hold_forum(system, forum_id)
    assert (await service.get_forum(system, forum_id)).status == "held"
