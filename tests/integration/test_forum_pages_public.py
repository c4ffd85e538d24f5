"""What invitees, the public and other units see of a forum: the RSVP page, published minutes
only, 404 for another unit's operator, and the calendar in Asia/Jakarta time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from litestar.testing import AsyncTestClient

from core.forums import service
from core.forums.schemas import (
    AgreementIn,
    InvitationsIn,
    MinutesIn,
)
from core.forums.tables import Invitation
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_user
from tests.integration.forum_data import (
    SYSTEM,
    WIB,
    day_cell,
    held_forum,
    invalid,
    new_forum,
    people,
    post,
    scheduled_forum,
    text,
)


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
