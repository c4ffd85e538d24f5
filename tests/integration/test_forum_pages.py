"""The forum pages with a browser session: create form, status buttons, invitations and RSVP,
check-in (tap, QR, walk-in), agreements and minutes, berita acara (HTML, PDF), uploads that lock
the forum, the public pages, permissions, and the calendar in Asia/Jakarta time."""

from __future__ import annotations

import builtins
import hashlib
import html
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from litestar.testing import AsyncTestClient

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.clock import frozen_at
from core.errors import ValidationFailed
from core.forums import documents, service
from core.forums.schemas import (
    AgreementIn,
    AttendanceIn,
    ForumIn,
    InvitationsIn,
    MinutesIn,
    StakeholderIn,
)
from core.forums.stakeholders import create_stakeholder
from core.forums.tables import Attendance, Forum, ForumDocument, Invitation, Stakeholder
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.schemas import CycleIn
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")

WIB = timezone(timedelta(hours=7))
FORUM_DAY = datetime(2026, 12, 10, 10, 0, tzinfo=WIB)
"""During the forum that new_forum() plans by default (check-ins are refused before its day)."""
GROUPS = ("pengguna_layanan", "akademisi", "instansi_terkait", "organisasi_masyarakat", "media")
SYSTEM = Actor.system()
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
async def token(client, db) -> str:
    """Two puskesmas, signed in as an organiser; the CSRF token for forms."""
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_user("org", "organizer")
    await login(client, "org", PASSWORD)
    return await csrf_token(client, "/forum/baru")


async def people(prefix: str = "w", groups: tuple[str, ...] = GROUPS) -> list[int]:
    """One consenting stakeholder per group, related to PKM-A."""
    ids = []
    for n, group in enumerate(groups):
        out = await create_stakeholder(
            SYSTEM,
            StakeholderIn(
                name=f"Warga {prefix}{n}",
                organisation=f"Org {prefix}{n}",
                group=group,
                email=f"{prefix}{n}@contoh.id",
                consent=True,
                units=["PKM-A"],
            ),
        )
        ids.append(out.id)
    return ids


@pytest.fixture
async def on_forum_day():
    """The whole test runs during the default forum."""
    with frozen_at(FORUM_DAY):
        yield


async def new_forum(start: datetime | None = None, **extra) -> int:
    start = start or datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    values = {
        "title": "Forum standar pelayanan",
        "purpose": "standar_pelayanan",
        "units": ["PKM-A"],
        "format": "tatap_muka",
        "venue": "Aula Puskesmas",
        "start": start,
        "end": start + timedelta(hours=3),
        **extra,
    }
    return await service.create_forum(SYSTEM, ForumIn(**values))


async def scheduled_forum(prefix: str = "w", **extra) -> tuple[int, list[int]]:
    """A scheduled forum with one invitee per group (named Warga <prefix><n>)."""
    forum_id = await new_forum(**extra)
    ids = await people(prefix)
    await service.invite(SYSTEM, forum_id, InvitationsIn(stakeholders=ids))
    await service.schedule_forum(SYSTEM, forum_id)
    return forum_id, ids


async def held_forum(prefix: str = "w") -> tuple[int, list[int]]:
    forum_id, ids = await scheduled_forum(prefix)
    with frozen_at(FORUM_DAY):
        for stakeholder in ids[:3]:
            await service.check_in(SYSTEM, forum_id, AttendanceIn(stakeholder=stakeholder))
        await service.hold_forum(SYSTEM, forum_id)
    return forum_id, ids


async def post(client, path: str, token: str, files=None, **data):
    return await client.post(
        path, data={**data, "_csrf_token": token}, files=files, follow_redirects=False
    )


async def actions(forum_id: int) -> list[str]:
    rows = await AuditEvent.select(AuditEvent.action).where(
        (AuditEvent.entity == "forum") & (AuditEvent.entity_id == str(forum_id))
    )
    return [r["action"] for r in rows]


async def status(forum_id: int) -> str:
    return (await Forum.select(Forum.status).where(Forum.id == forum_id).first())["status"]


def invalid(page: str, field_id: str) -> bool:
    return re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', page, re.S) is not None


def text(page: str) -> str:
    return html.unescape(page)


def day_cell(page: str, day: str) -> str:
    """The calendar cell of one local date."""
    match = re.search(
        rf'<li class="cal-day[^"]*">\s*<p class="cal-date"><time datetime="{day}">'
        r'.*?</li>\s*(?=<li class="cal-day|</ol>)',
        page,
        re.S,
    )
    assert match, f"no cell for {day}"
    return match.group(0)


async def closed_cycle(hooks) -> int:
    cycle_id = await create_cycle(
        SYSTEM, hooks, CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=50)
    )
    await open_cycle(SYSTEM, hooks, cycle_id)
    await close_cycle(
        SYSTEM, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
    )
    return cycle_id


FORM = {
    "title": "Standar pelayanan poli umum",
    "purpose": "standar_pelayanan",
    "units": ["PKM-A"],
    "format": "tatap_muka",
    "venue": "Aula Puskesmas",
    "date": "2026-12-10",
    "start_time": "09:00",
    "end_time": "12:00",
    "capacity": "40",
    "notulis": "Sari",
    "rows": "3",
    "agenda-1-title": "Pembukaan",
    "agenda-1-speaker": "Kepala Puskesmas",
    "agenda-1-duration": "15",
}


# --- create form ----------------------------------------------------------------------------------


async def test_create_form_shows_errors_then_creates_with_warnings(client, token, hooks):
    form = await client.get("/forum/baru")
    assert form.status_code == 200
    assert 'name="agenda-3-title"' in form.text and 'name="agenda-4-title"' not in form.text
    assert "Tindak lanjut hasil SKM" in form.text  # PURPOSE_LABELS

    more = await post(client, "/forum/baru", token, **{**FORM, "aksi": "tambah_baris"})
    assert more.status_code == 200
    assert 'name="agenda-4-title"' in more.text and 'value="Pembukaan"' in more.text
    assert not await Forum.exists()

    bad = await post(
        client,
        "/forum/baru",
        token,
        **{
            **FORM,
            "title": "",
            "purpose": "tindak_lanjut_skm",
            "format": "daring",
            "venue": "",
            "end_time": "08:00",
            "agenda-2-speaker": "tanpa judul",
        },
    )
    assert bad.status_code == 422
    for field in ("f-title", "f-cycle", "f-link", "f-end_time", "f-agenda-2-title"):
        assert invalid(bad.text, field), field
    assert "harus setelah waktu mulai" in bad.text
    summary = text(bad.text)  # the list above the form names each field, in page order
    assert summary.index("Judul forum: wajib diisi") < summary.index("Agenda baris 2, acara: wajib")
    assert not await Forum.exists()

    bad_date = await post(client, "/forum/baru", token, **{**FORM, "date": "2026-13-45"})
    assert bad_date.status_code == 422 and invalid(bad_date.text, "f-date")

    created = await post(client, "/forum/baru", token, **FORM)
    assert created.status_code in (302, 303), created.text
    forum_id = int(re.search(r"/forum/(\d+)", created.headers["location"]).group(1))
    row = await Forum.select().where(Forum.id == forum_id).first()
    assert row["start_at"] == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 09.00 WIB
    assert row["end_at"] == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert row["capacity"] == 40 and row["status"] == "draft"
    page = text((await client.get(created.headers["location"])).text)
    assert "Forum tersimpan sebagai draf" in page
    assert "Baru 0 dari 5 unsur masyarakat yang diundang" in page
    assert "Kamis, 10 Desember 2026, 09.00–12.00 WIB" in page
    assert "Pembukaan" in page

    clash = await post(client, "/forum/baru", token, **{**FORM, "start_time": "10:00"})
    clash_page = text((await client.get(clash.headers["location"])).text)
    assert f"Bentrok tempat dengan forum #{forum_id}" in clash_page

    cycle_id = await closed_cycle(hooks)
    follow_up = {
        **FORM,
        "purpose": "tindak_lanjut_skm",
        "cycle": str(cycle_id),
        "date": "2026-12-20",
    }
    listed = (await client.get("/forum/baru")).text
    assert f'<option value="{cycle_id}" data-unit="PKM-A"' in listed
    assert "Unit PKM-A — Triwulan I 2026" in text(listed)
    done = await post(client, "/forum/baru", token, **follow_up)
    detail = (await client.get(done.headers["location"])).text
    assert f"/units/PKM-A/skm?cycle={cycle_id}" in detail


# --- status buttons, invitations, agreements, minutes ---------------------------------------------


async def test_buttons_drive_the_status_with_audit_events(client, token):
    forum_id = await new_forum()
    stakeholder_ids = await people()
    page = (await client.get(f"/forum/{forum_id}")).text
    assert "Jadwalkan" in page and "Tandai berlangsung" not in page
    assert f'value="{stakeholder_ids[0]}"' in page  # invite form lists the registry

    invited = await post(
        client,
        f"/forum/{forum_id}/undang",
        token,
        groups=["pengguna_layanan", "akademisi", "media"],
    )
    assert invited.status_code in (302, 303)
    assert await Invitation.count().where(Invitation.forum == forum_id) == 3
    none = await post(client, f"/forum/{forum_id}/undang", token)
    assert none.status_code == 422 and "pilih minimal satu pemangku kepentingan" in none.text

    assert (await post(client, f"/forum/{forum_id}/jadwalkan", token)).status_code in (302, 303)
    assert await status(forum_id) == "scheduled"

    with frozen_at(datetime(2026, 12, 9, 16, 0, tzinfo=WIB)):
        eve = await post(client, f"/forum/{forum_id}/berlangsung", token)
        assert eve.status_code == 409 and "baru dapat dilakukan pada hari forum" in eve.text
        tap = await post(
            client, f"/forum/{forum_id}/hadir", token, stakeholder=str(stakeholder_ids[0])
        )
        assert tap.status_code == 409 and "Pencatatan kehadiran baru dapat" in tap.text
    with frozen_at(FORUM_DAY):
        early = await post(client, f"/forum/{forum_id}/berlangsung", token)
    assert early.status_code == 409
    assert "Forum belum dapat ditandai berlangsung: belum ada daftar hadir." in early.text
    assert await status(forum_id) == "scheduled"

    moved = await post(
        client,
        f"/forum/{forum_id}/ubah-jadwal",
        token,
        date="2026-12-11",
        start_time="13:00",
        end_time="15:00",
        venue="Balai Desa",
    )
    assert moved.status_code == 422 and invalid(moved.text, "r-reason")
    moved = await post(
        client,
        f"/forum/{forum_id}/ubah-jadwal",
        token,
        date="2026-12-11",
        start_time="13:00",
        end_time="15:00",
        venue="Balai Desa",
        reason="Aula direnovasi",
    )
    assert moved.status_code in (302, 303)
    row = await Forum.select().where(Forum.id == forum_id).first()
    assert row["start_at"] == datetime(2026, 12, 11, 6, 0, tzinfo=UTC)
    assert row["venue"] == "Balai Desa" and row["status_reason"] == "Aula direnovasi"

    with frozen_at(datetime(2026, 12, 11, 13, 30, tzinfo=WIB)):
        tapped = await post(
            client, f"/forum/{forum_id}/hadir", token, stakeholder=str(stakeholder_ids[0])
        )
        assert tapped.status_code in (302, 303)
        held = await post(client, f"/forum/{forum_id}/berlangsung", token)
        assert held.status_code in (302, 303)
    assert await status(forum_id) == "held"

    publish = await post(client, f"/forum/{forum_id}/terbitkan", token)
    assert publish.status_code == 409 and "notulen forum masih kosong" in publish.text

    missing = await post(client, f"/forum/{forum_id}/kesepakatan", token, owner_unit="PKM-A")
    assert missing.status_code == 422 and invalid(missing.text, "a-text")
    for n, wording in enumerate(("Tambah loket pendaftaran", "Papan alur layanan"), start=1):
        added = await post(
            client,
            f"/forum/{forum_id}/kesepakatan",
            token,
            text=wording,
            owner_unit="PKM-A",
            owner_person="Kepala TU",
            due_date=f"2027-0{n}-28",
        )
        assert added.status_code in (302, 303)
    minutes = await post(
        client,
        f"/forum/{forum_id}/notulen",
        token,
        notulen="Dibuka **09.00**\n\n<script>alert(1)</script>",
    )
    assert minutes.status_code in (302, 303)
    page = (await client.get(f"/forum/{forum_id}")).text
    assert "Tambah loket pendaftaran" in page and "Unit PKM-A / Kepala TU" in page
    assert "<strong>09.00</strong>" in page and "<script>alert(1)" not in page

    assert (await post(client, f"/forum/{forum_id}/terbitkan", token)).status_code in (302, 303)
    assert await status(forum_id) == "minutes_published"
    page = (await client.get(f"/forum/{forum_id}")).text
    assert "Terbitkan notulen" not in page and 'name="text"' not in page

    other = await new_forum(datetime(2026, 12, 20, 9, 0, tzinfo=WIB))
    short = await post(client, f"/forum/{other}/batalkan", token, reason="x")
    assert short.status_code == 422 and invalid(short.text, "c-reason")
    cancelled = await post(client, f"/forum/{other}/batalkan", token, reason="Banjir di lokasi")
    assert cancelled.status_code in (302, 303) and await status(other) == "cancelled"

    assert {
        "forum.invited",
        "forum.scheduled",
        "forum.rescheduled",
        "forum.attendance",
        "forum.held",
        "forum.agreement_added",
        "forum.minutes_saved",
        "forum.minutes_published",
    } <= set(await actions(forum_id))
    assert "forum.cancelled" in await actions(other)


# --- RSVP -----------------------------------------------------------------------------------------


async def test_edit_form_changes_a_forum_until_it_is_held(client, token):
    forum_id, ids = await scheduled_forum()
    form = (await client.get(f"/forum/{forum_id}/ubah")).text
    assert 'value="Forum standar pelayanan"' in form and 'value="2026-12-10"' in form
    assert 'value="09:00"' in form and 'name="reason"' in form
    changed = {
        **FORM,
        "title": "Standar pelayanan poli gigi",
        "units": ["PKM-A", "PKM-B"],
        "narasumber": "drg. Ani\nKepala Puskesmas",
        "moderator": "Camat",
        "agenda-2-title": "Diskusi",
        "agenda-2-duration": "45",
    }
    saved = await post(client, f"/forum/{forum_id}/ubah", token, **changed)
    assert saved.status_code in (302, 303), saved.text
    forum = await service.get_forum(SYSTEM, forum_id)
    assert forum.title == "Standar pelayanan poli gigi" and forum.units == ["PKM-A", "PKM-B"]
    assert forum.narasumber == "drg. Ani\nKepala Puskesmas" and forum.moderator == "Camat"
    assert [(a.title, a.duration) for a in forum.agenda] == [("Pembukaan", 15), ("Diskusi", 45)]
    assert "forum.updated" in await actions(forum_id)

    moved = await post(client, f"/forum/{forum_id}/ubah", token, **{**changed, "venue": "Lain"})
    assert moved.status_code == 422 and invalid(moved.text, "f-reason")
    empty = await post(client, f"/forum/{forum_id}/ubah", token, **{**changed, "title": ""})
    assert empty.status_code == 422 and invalid(empty.text, "f-title")

    with frozen_at(FORUM_DAY):
        tap = await post(client, f"/forum/{forum_id}/hadir", token, stakeholder=str(ids[0]))
        assert tap.status_code in (302, 303)
        screen = (await client.get(f"/forum/{forum_id}/hadir")).text
        assert "Batalkan kehadiran Warga w0" in screen
        undo = await post(client, f"/forum/{forum_id}/hadir/batal", token, stakeholder=str(ids[0]))
        assert undo.status_code in (302, 303)
        after = text((await client.get(undo.headers["location"])).text)
        assert "Kehadiran Warga w0 dibatalkan." in after
        assert "forum.attendance_undone" in await actions(forum_id)
        await service.check_in(SYSTEM, forum_id, AttendanceIn(stakeholder=ids[0]))
        await service.hold_forum(SYSTEM, forum_id)
    assert (await client.get(f"/forum/{forum_id}/ubah")).status_code == 409
    late = await post(client, f"/forum/{forum_id}/ubah", token, **changed)
    assert late.status_code == 409 and "tidak dapat diubah" in late.text


async def test_rsvp_page_records_answers_and_frees_a_seat(app, client, token):
    forum_id = await new_forum(capacity=1)
    first, second = await people(groups=("pengguna_layanan", "media"))
    await service.invite(SYSTEM, forum_id, InvitationsIn(stakeholders=[first, second]))
    await service.schedule_forum(SYSTEM, forum_id)
    invitations = await service.list_invitations(SYSTEM, forum_id)
    assert [i.waitlisted for i in invitations] == [False, True]
    own, waiting = invitations

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as visitor:
        page = await visitor.get(f"/undangan/{own.token}")
        assert page.status_code == 200
        assert page.headers["referrer-policy"] == "no-referrer"
        body = text(page.text)
        assert "Forum standar pelayanan" in body and "Yth. Warga w0" in body
        for answer in ("hadir", "tidak_hadir", "diwakilkan"):
            assert f'name="rsvp" value="{answer}"' in body
        assert f"/undangan/{own.token}/qr.svg" in body
        visitor_token = await csrf_token(visitor, f"/undangan/{own.token}")

        no_name = await post(visitor, f"/undangan/{own.token}", visitor_token, rsvp="diwakilkan")
        assert no_name.status_code == 422 and invalid(no_name.text, "r-representative")
        forged = await visitor.post(f"/undangan/{own.token}", data={"rsvp": "hadir"})
        assert forged.status_code == 403  # CSRF applies to the public form too

        saved = await post(
            visitor,
            f"/undangan/{own.token}",
            visitor_token,
            rsvp="diwakilkan",
            representative="Ibu Sari",
        )
        assert saved.status_code in (302, 303)
        again = text((await visitor.get(saved.headers["location"])).text)
        assert "jawaban Anda tersimpan" in again and "diwakili Ibu Sari" in again

        await post(visitor, f"/undangan/{own.token}", visitor_token, rsvp="tidak_hadir")
        row = await Invitation.select().where(Invitation.id == waiting.id).first()
        assert row["waitlisted"] is False  # the freed seat went to the waitlist
        assert (await Invitation.select().where(Invitation.id == own.id).first())["rsvp"] == (
            "tidak_hadir"
        )
        qr = await visitor.get(f"/undangan/{waiting.token}/qr.svg")
        assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
        assert (await visitor.get("/undangan/tidak-ada")).status_code == 404

    await service.cancel_forum(SYSTEM, forum_id, "Banjir di lokasi")
    closed = text((await client.get(f"/undangan/{waiting.token}")).text)
    assert "Forum ini dibatalkan." in closed and "Banjir di lokasi" in closed
    assert 'value="hadir"' not in closed


# --- check-in -------------------------------------------------------------------------------------


async def test_check_in_by_tap_qr_and_walk_in(app, client, token, settings, on_forum_day):
    forum_id, ids = await scheduled_forum()
    invitations = await service.list_invitations(SYSTEM, forum_id)

    screen = text((await client.get(f"/forum/{forum_id}/hadir", params={"q": "w1"})).text)
    assert "Warga w1" in screen and "Warga w2" not in screen
    tapped = await post(client, f"/forum/{forum_id}/hadir", token, stakeholder=str(ids[1]), q="w1")
    assert tapped.status_code in (302, 303)
    after = text((await client.get(tapped.headers["location"])).text)
    assert "Warga w1 tercatat hadir." in after and "1 orang hadir" in after

    target = invitations[0]
    svg = await client.get(f"/forum/{forum_id}/undangan/{target.id}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    url = f"{settings.base_url}/forum/{forum_id}/checkin/{target.token}"
    assert url in html.unescape(svg.text)  # segno writes the encoded URL as the SVG title

    confirm = await client.get(f"/forum/{forum_id}/checkin/{target.token}")
    assert confirm.status_code == 200 and "Catat hadir" in confirm.text
    assert not await Attendance.exists().where(Attendance.stakeholder == target.stakeholder)
    recorded = await post(client, f"/forum/{forum_id}/checkin/{target.token}", token)
    assert recorded.status_code in (302, 303)
    row = await Attendance.select().where(Attendance.stakeholder == target.stakeholder).first()
    assert row["method"] == "qr"
    assert (
        "sudah tercatat hadir"
        in (await client.get(f"/forum/{forum_id}/checkin/{target.token}")).text
    )
    assert (await client.get(f"/forum/{forum_id}/checkin/bukan-token")).status_code == 404
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as stranger:
        away = await stranger.get(
            f"/forum/{forum_id}/checkin/{target.token}", follow_redirects=False
        )
        assert away.status_code in (302, 303) and away.headers["location"].startswith("/login")

    no_group = await post(client, f"/forum/{forum_id}/hadir/baru", token, name="Pak Budi")
    assert no_group.status_code == 422 and invalid(no_group.text, "w-group")
    walk_in = await post(
        client,
        f"/forum/{forum_id}/hadir/baru",
        token,
        name="Pak Budi",
        organisation="Radio Contoh",
        group="media",
        phone="0812 1111 2222",
        consent="1",
    )
    assert walk_in.status_code in (302, 303)
    budi = await Stakeholder.select().where(Stakeholder.name == "Pak Budi").first()
    assert budi["phone"] == "+6281211112222" and budi["consent"] is True
    attendance = await Attendance.select().where(Attendance.stakeholder == budi["id"]).first()
    assert attendance["method"] == "walkin" and attendance["invitation"] is None
    assert "Pak Budi tercatat hadir." in text((await client.get(walk_in.headers["location"])).text)

    known = await post(
        client,
        f"/forum/{forum_id}/hadir/baru",
        token,
        name="Ibu Rina",
        group="akademisi",
        email="w3@contoh.id",  # already in the registry as Warga w3
    )
    assert known.status_code in (302, 303)
    assert await Attendance.exists().where(Attendance.stakeholder == ids[3])
    assert not await Stakeholder.exists().where(Stakeholder.name == "Ibu Rina")


# --- berita acara, daftar hadir, PDF ----------------------------------------------------------------


async def test_berita_acara_daftar_hadir_and_pdf_without_weasyprint(client, token, monkeypatch):
    forum_id, _ = await held_forum()
    await service.add_agreement(
        SYSTEM,
        forum_id,
        AgreementIn(
            text="Tambah loket pendaftaran", owner_unit="PKM-A", due_date=date(2027, 3, 31)
        ),
    )
    await service.add_agreement(
        SYSTEM,
        forum_id,
        AgreementIn(
            text="Papan informasi alur", owner_person="Kepala TU", due_date=date(2027, 4, 30)
        ),
    )
    page = await client.get(f"/forum/{forum_id}/berita-acara")
    assert page.status_code == 200
    body = text(page.text)
    assert "Tambah loket pendaftaran" in body and "Papan informasi alur" in body
    assert re.search(
        r'<td class="num">1</td><td>Tambah loket pendaftaran</td><td>Unit PKM-A</td>'
        r'<td class="date">31 Mar 2027</td>',
        body,
    )
    assert re.search(r'<td class="num">2</td><td>Papan informasi alur</td><td>Kepala TU</td>', body)
    for block in ("Kepala Unit PKM-A", "Perwakilan masyarakat,", "Notulis,"):
        assert block in body
    assert "Lampiran: daftar hadir" in body and "Warga w0" in body
    assert f"/forum/{forum_id}/berita-acara.pdf" in body

    sheet = text((await client.get(f"/forum/{forum_id}/daftar-hadir")).text)
    assert "Tanda tangan" in sheet and "Warga w4" in sheet
    assert sheet.count('<tr class="blank">') == 10

    real_import = builtins.__import__

    def without(error: type[Exception]):
        def fake(name, *args, **kwargs):
            if name == "weasyprint" or name.startswith("weasyprint."):
                raise error("cannot load library 'libpango-1.0-0'")
            return real_import(name, *args, **kwargs)

        return fake

    for error in (ImportError, OSError):
        monkeypatch.setattr(builtins, "__import__", without(error))
        answer = await client.get(f"/forum/{forum_id}/berita-acara.pdf")
        monkeypatch.setattr(builtins, "__import__", real_import)
        assert answer.status_code == 503, error
        message = text(answer.text)
        assert "PDF belum tersedia di server ini: pasang pustaka Pango" in message
        assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in message
        assert "Cetak → Simpan sebagai PDF" in message
        assert "Traceback" not in message


async def test_berita_acara_pdf_with_weasyprint(client, token):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint (and Pango) not installed: the PDF path is optional")
    forum_id, _ = await held_forum()
    await service.add_agreement(
        SYSTEM,
        forum_id,
        AgreementIn(text="Tambah loket", owner_unit="PKM-A", due_date=date(2027, 3, 31)),
    )
    answer = await client.get(f"/forum/{forum_id}/berita-acara.pdf")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-") and len(answer.content) > 2000


async def test_berita_acara_pdf_keeps_the_signatures_with_the_closing_text(client, token):
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError):
        pytest.skip("WeasyPrint (and Pango) not installed: the PDF path is optional")
    from web.forums.documents import STYLESHEET

    forum_id, _ = await held_forum()
    first = text((await client.get(f"/forum/{forum_id}/berita-acara")).text)
    assert '<p class="lh-unit">UNIT PKM-A</p>' in first  # the organiser's letterhead
    for n in range(1, 6):  # each agreement pushes the closing down; at 2 it meets a page break
        await service.add_agreement(
            SYSTEM,
            forum_id,
            AgreementIn(
                text=f"Kesepakatan nomor {n} tentang perbaikan layanan",
                owner_unit="PKM-A",
                due_date=date(2027, 3, 31),
            ),
        )
        html = (await client.get(f"/forum/{forum_id}/berita-acara")).text
        document = HTML(string=html).render(stylesheets=[CSS(filename=str(STYLESHEET))])
        texts = [
            "".join(getattr(box, "text", "") for box in page._page_box.descendants())
            for page in document.pages
        ]
        closing = next(i for i, t in enumerate(texts) if "Demikian berita acara" in t)
        assert "NIP." in texts[closing], f"{n} agreements: the signatures left their text"


# --- uploads and the lock -------------------------------------------------------------------------


async def test_signed_scan_locks_the_forum_and_bad_files_are_refused(
    client, token, settings, on_forum_day
):
    forum_id, ids = await scheduled_forum()
    early = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("ba.pdf", PDF_BYTES, "application/pdf")},
        kind="berita_acara_signed",
    )
    assert early.status_code == 409 and "setelah forum berlangsung" in early.text

    material = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("../../rtl draft.pdf", PDF_BYTES, "application/pdf")},
        kind="material",
    )
    assert material.status_code in (302, 303)
    await service.check_in(SYSTEM, forum_id, AttendanceIn(stakeholder=ids[0]))
    await service.hold_forum(SYSTEM, forum_id)

    exe = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("berita-acara.pdf", EXE_BYTES, "application/pdf")},
        kind="berita_acara_signed",
    )
    assert exe.status_code == 422 and invalid(exe.text, "u-file")
    assert "bukan dari nama berkas" in exe.text
    assert await ForumDocument.count().where(ForumDocument.forum == forum_id) == 1

    signed = await post(
        client,
        f"/forum/{forum_id}/dokumen",
        token,
        files={"file": ("ba-ttd.pdf", PDF_BYTES, "application/pdf")},
        kind="berita_acara_signed",
    )
    assert signed.status_code in (302, 303)
    row = await Forum.select().where(Forum.id == forum_id).first()
    assert row["locked"] is True
    assert row["berita_acara_sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert {"forum.document_added", "forum.locked"} <= set(await actions(forum_id))
    stored = await ForumDocument.select().where(ForumDocument.kind == "berita_acara_signed").first()
    assert stored["media_type"] == "application/pdf" and stored["size"] == len(PDF_BYTES)
    assert stored["path"].startswith(f"forums/{forum_id}/") and "ba-ttd" not in stored["path"]
    assert (settings.data_dir / stored["path"]).read_bytes() == PDF_BYTES
    names = [r["filename"] for r in await ForumDocument.select(ForumDocument.filename)]
    assert "rtl draft.pdf" in names  # folders stripped from the user's file name

    page = text((await client.get(f"/forum/{forum_id}")).text)
    assert "forum terkunci" in page and hashlib.sha256(PDF_BYTES).hexdigest() in page
    later = await post(
        client, f"/forum/{forum_id}/kesepakatan", token, text="Tambahan", owner_unit="PKM-A"
    )
    assert later.status_code == 409
    assert "Kesepakatan dicatat setelah forum berlangsung dan sebelum notulen terbit." in later.text
    assert (await post(client, f"/forum/{forum_id}/terbitkan", token)).status_code == 409

    download = await client.get(f"/forum/{forum_id}/dokumen/{stored['id']}")
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert download.headers["content-type"] == "application/pdf"

    with pytest.raises(ValidationFailed):
        await documents.save_document(
            SYSTEM,
            forum_id,
            "photo",
            "besar.png",
            b"\x89PNG\r\n\x1a\n" + b"0" * documents.MAX_BYTES,
            data_dir=settings.data_dir,
        )


# --- public pages and permissions -----------------------------------------------------------------


async def test_public_pages_show_only_published_minutes(app, client, token):
    draft = await new_forum(datetime(2026, 12, 1, 9, 0, tzinfo=WIB), title="Rapat internal draf")
    future = datetime.now(UTC) + timedelta(days=10)
    await scheduled_forum("u", start=future, title="Forum maklumat pelayanan")
    held, _ = await held_forum()
    await service.add_agreement(
        SYSTEM,
        held,
        AgreementIn(text="Kotak pengaduan di lobi", owner_unit="PKM-A", due_date=date(2027, 1, 31)),
    )
    await service.save_minutes(SYSTEM, held, MinutesIn(notulen="<p>Notulen rahasia dulu</p>"))
    cancelled = await new_forum(future + timedelta(days=1), title="Forum yang batal", venue="Lain")
    await service.schedule_forum(SYSTEM, cancelled)
    await service.cancel_forum(SYSTEM, cancelled, "Banjir di lokasi")

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as visitor:
        listing = text((await visitor.get("/forum")).text)
        assert "Forum maklumat pelayanan" in listing and "Forum yang batal" in listing
        assert "Rapat internal draf" not in listing
        assert (await visitor.get(f"/forum/{draft}")).status_code == 404

        before = text((await visitor.get(f"/forum/{held}")).text)
        assert "Forum telah berlangsung" in before
        assert "Kotak pengaduan di lobi" not in before and "Notulen rahasia" not in before
        assert "Warga w0" not in before  # invitees never appear publicly

        await service.publish_minutes(SYSTEM, held)
        after = text((await visitor.get(f"/forum/{held}")).text)
        assert "Kotak pengaduan di lobi" in after and "Notulen rahasia dulu" in after
        assert "Warga w0" not in after and "Undang peserta" not in after
        assert "Forum standar pelayanan" in text((await visitor.get("/forum")).text)

        gone = text((await visitor.get(f"/forum/{cancelled}")).text)
        assert "Forum ini dibatalkan." in gone and "Banjir di lokasi" in gone

    staff_view = text((await client.get(f"/forum/{held}/publik")).text)
    assert "Kotak pengaduan di lobi" in staff_view and "Warga w0" not in staff_view


async def test_operator_of_another_unit_gets_404(app, client, token):
    draft = await new_forum()
    scheduled, _ = await scheduled_forum(start=datetime(2026, 12, 12, 9, 0, tzinfo=WIB))
    await make_user("op-b", "operator", ("PKM-B",))
    await make_user("op-a", "operator", ("PKM-A",))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as other:
        await login(other, "op-b", PASSWORD)
        assert (await other.get(f"/forum/{draft}")).status_code == 404
        for path in ("hadir", "daftar-hadir", "berita-acara", "berita-acara.pdf"):
            assert (await other.get(f"/forum/{scheduled}/{path}")).status_code == 404, path
        public = text((await other.get(f"/forum/{scheduled}")).text)  # the iCal link still works
        assert "Warga w0" not in public and "Undangan" not in public
        calendar = text((await other.get("/forum/kalender", params={"bulan": "2026-12"})).text)
        assert f'href="/forum/{scheduled}"' not in calendar
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as own:
        await login(own, "op-a", PASSWORD)
        page = text((await own.get(f"/forum/{scheduled}")).text)
        assert "Warga w0" in page and "Tandai berlangsung" not in page  # may see, not manage
        assert (await own.get("/forum/baru")).status_code == 403


# --- calendar -------------------------------------------------------------------------------------


async def test_calendar_places_forums_on_their_jakarta_day(client, token):
    # 06.30 WIB on 1 December is still 30 November in UTC.
    forum_id = await new_forum(datetime(2026, 12, 1, 6, 30, tzinfo=WIB), title="Forum pagi")
    link = f'href="/forum/{forum_id}"'

    month = (await client.get("/forum/kalender", params={"bulan": "2026-12"})).text
    assert link in day_cell(month, "2026-12-01") and "06.30" in day_cell(month, "2026-12-01")
    assert link not in day_cell(month, "2026-11-30")
    assert "Desember 2026" in month
    november = (await client.get("/forum/kalender", params={"bulan": "2026-11"})).text
    assert link not in november

    week = (await client.get("/forum/kalender", params={"minggu": "2026-W49"})).text
    assert link in day_cell(week, "2026-12-01") and link not in day_cell(week, "2026-11-30")
    assert "06.30–09.30 WIB" in week

    listing = text(
        (
            await client.get("/forum/kalender", params={"bulan": "2026-12", "tampilan": "daftar"})
        ).text
    )
    assert re.search(r"Selasa, 1 Desember 2026.*Forum pagi", listing, re.S)

    assert (
        link
        not in (
            await client.get("/forum/kalender", params={"bulan": "2026-12", "unit": "PKM-B"})
        ).text
    )
    assert (
        link
        not in (
            await client.get("/forum/kalender", params={"bulan": "2026-12", "tujuan": "maklumat"})
        ).text
    )
    filtered = (
        await client.get("/forum/kalender", params={"bulan": "2026-12", "unit": "PKM-A"})
    ).text
    assert link in filtered and 'href="/calendar/PKM-A.ics"' in filtered
    assert 'href="/calendar.ics"' in filtered
    assert (await client.get("/forum/kalender", params={"bulan": "bukan"})).status_code == 200
