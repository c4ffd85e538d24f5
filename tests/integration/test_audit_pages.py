"""The /audit page: labels, filters by actor, action, record and local days, CSV, the chain check."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest

from core.accounts import service as accounts_service
from core.accounts.tables import User
from core.audit import service as audit
from core.audit.tables import AuditEvent
from core.clock import frozen_at
from core.errors import PermissionDenied
from core.units import service as units
from core.units.schemas import ServiceIn, UnitIn, UnitPatch
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user, tamper_audit
from web.formatting import LocalTime

ROW_RE = re.compile(
    r'<td data-label="Pengguna">([^<]*)</td>\s*<td data-label="Tindakan">([^<]*)</td>'
    r'\s*<td data-label="Data">([^<]*) <code>([^<]*)</code></td>'
)


def audit_rows(page: str) -> list[tuple[str, str, str, str]]:
    return [tuple(m) for m in ROW_RE.findall(page)]


async def test_audit_page_filters_by_user_and_entity(client, db):
    admin = await make_user("adm", "admin")
    await units.create_unit(admin, UnitIn(code="A", name="Unit A", kind="opd"))
    operator = await make_user("opa", "operator", ("A",))
    await units.update_unit(operator, "A", UnitPatch(phone="021 777"))
    await units.create_service(operator, "A", ServiceIn(code="KIA", name="KIA"))
    await units.create_service(admin, "A", ServiceIn(code="GIGI", name="Gigi"))
    await make_user("insp", "inspector")
    await login(client, "insp", PASSWORD)

    everything = await client.get("/audit")
    assert everything.status_code == 200
    assert len(audit_rows(everything.text)) == await AuditEvent.count() == 7
    by_user = audit_rows((await client.get("/audit", params={"user": "opa"})).text)
    assert by_user == [  # newest first
        ("opa", "Jenis layanan: Dibuat", "Jenis layanan", "A/KIA"),
        ("opa", "Unit layanan: Diubah", "Unit layanan", "A"),
    ]
    by_entity = audit_rows((await client.get("/audit", params={"entity": "service"})).text)
    assert by_entity == [
        ("adm", "Jenis layanan: Dibuat", "Jenis layanan", "A/GIGI"),
        ("opa", "Jenis layanan: Dibuat", "Jenis layanan", "A/KIA"),
    ]
    both = await client.get("/audit", params={"user": "opa", "entity": "unit"})
    assert audit_rows(both.text) == [("opa", "Unit layanan: Diubah", "Unit layanan", "A")]
    assert "<li><code>phone</code>:  → 021 777</li>" in both.text  # the change is shown
    assert '<option value="opa" selected>opa</option>' in both.text
    nothing = await client.get("/audit", params={"user": "nobody"})
    assert audit_rows(nothing.text) == []
    assert "Tidak ada peristiwa yang cocok." in nothing.text


async def test_audit_page_is_refused_to_operators_and_organizers(client, db):
    await make_unit("A")
    for role in ("operator", "organizer"):
        await make_user(f"u-{role}", role, ("A",) if role == "operator" else ())
        await login(client, f"u-{role}", PASSWORD)
        response = await client.get("/audit")
        assert response.status_code == 403, role
        assert "Akses ditolak" in response.text
        assert "unit.created" not in response.text
        user = await User.select(User.id).where(User.username == f"u-{role}").first()
        actor = await accounts_service.actor_for_user(user["id"])
        with pytest.raises(PermissionDenied):
            await audit.list_events(actor, audit.AuditFilter())


async def test_audit_page_shows_times_in_the_configured_zone(client, db, settings):
    admin = await make_user("adm", "admin")
    await units.create_unit(admin, UnitIn(code="A", name="Unit A", kind="opd"))
    await login(client, "adm", PASSWORD)
    page = (await client.get("/audit")).text
    at = (await AuditEvent.select(AuditEvent.at).order_by(AuditEvent.id).first())["at"]
    assert LocalTime(settings.timezone).moment(at, seconds=True) in page
    assert "Waktu (WIB)" in page
    assert "UTC" not in page


async def _three_days_of_events(admin) -> list[int]:
    """Three unit events, moved to 23.30 WIB on 1, 2 and 3 December 2026 (16.30 UTC).

    Moving them breaks the hash chain, which these tests do not look at.
    """
    for code in ("A", "B", "C"):
        await units.create_unit(admin, UnitIn(code=code, name=f"Unit {code}", kind="opd"))
    ids = [row["id"] for row in await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id)]
    for day, event_id in zip((1, 2, 3), ids[-3:], strict=True):
        await tamper_audit(
            f"UPDATE audit_event SET at='2026-12-0{day} 16:30:00+00:00' WHERE id={event_id}"
        )
    return ids[-3:]


async def test_a_local_day_starts_at_local_midnight(client, db):
    """17.30 UTC on 2 December is 00.30 WIB on the 3rd: it belongs to the 3rd."""
    admin = await make_user("adm", "admin")
    ids = await _three_days_of_events(admin)
    for day, event_id in zip((1, 2, 3), ids, strict=True):
        await tamper_audit(
            f"UPDATE audit_event SET at='2026-12-0{day} 17:30:00+00:00' WHERE id={event_id}"
        )
    filters = audit.AuditFilter(
        entity="unit", since=date(2026, 12, 3), until=date(2026, 12, 3), zone="Asia/Jakarta"
    )
    assert [e["entity_id"] for e in await audit.list_events(admin, filters)] == ["B"]
    utc_day = audit.AuditFilter(entity="unit", since=date(2026, 12, 3), until=date(2026, 12, 3))
    assert [e["entity_id"] for e in await audit.list_events(admin, utc_day)] == ["C"]


async def test_audit_page_filters_by_action_and_local_days(client, db):
    # The other events happen well before the three days, whatever today's date is (run on
    # 2 December WIB they were on the filtered day).
    with frozen_at(datetime(2026, 11, 20, 3, 0, tzinfo=UTC)):
        admin = await make_user("adm", "admin")
        await _three_days_of_events(admin)
        await units.create_service(admin, "A", ServiceIn(code="KIA", name="KIA"))
        await make_user("insp", "inspector")
    await login(client, "insp", PASSWORD)
    page = await client.get("/audit", params={"action": "unit.created"})
    assert [row[3] for row in audit_rows(page.text)] == ["C", "B", "A"]
    assert '<option value="unit.created" selected>Unit layanan: Dibuat</option>' in page.text
    assert '<option value="adm">adm</option>' in page.text  # actors to choose from
    # 23.30 WIB on 2 December is still that day locally (16.30 UTC)
    one_day = await client.get("/audit", params={"since": "2026-12-02", "until": "2026-12-02"})
    assert [row[3] for row in audit_rows(one_day.text)] == ["B"]
    assert "02/12/2026 23.30.00 WIB" in one_day.text
    from_second = await client.get("/audit", params={"since": "2026-12-02", "entity": "unit"})
    assert [row[3] for row in audit_rows(from_second.text)] == ["C", "B"]
    # the pager keeps the filters
    assert "entity=unit" in from_second.text and "since=2026-12-02" in from_second.text


async def test_audit_page_names_a_bad_date_field(client, db):
    await make_user("insp", "inspector")
    await login(client, "insp", PASSWORD)
    bad = await client.get("/audit", params={"since": "2026-13-40"})
    assert bad.status_code == 422
    assert '<p class="error" id="e-since">tanggal tidak valid (TTTT-BB-HH)</p>' in bad.text
    assert 'value="2026-13-40"' in bad.text
    backwards = await client.get("/audit", params={"since": "2026-12-03", "until": "2026-12-01"})
    assert backwards.status_code == 422
    assert '<p class="error" id="e-until">tanggal akhir sebelum tanggal awal</p>' in backwards.text


async def test_audit_csv_has_every_field_in_local_time_and_no_formulas(client, db):
    admin = await make_user("adm", "admin")
    await _three_days_of_events(admin)
    await units.update_unit(admin, "A", UnitPatch(name='=HYPERLINK("http://x")'))
    await make_user("insp", "inspector")
    await login(client, "insp", PASSWORD)
    response = await client.get("/audit.csv", params={"entity": "unit"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "log-audit.csv" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "waktu", "pengguna", "tindakan", "kode_tindakan"]
    body = rows[1:]
    assert [(r[1], r[3], r[7]) for r in body[:3]] == [
        ("2026-12-01T23:30:00+07:00", "Unit layanan: Dibuat", "A"),
        ("2026-12-02T23:30:00+07:00", "Unit layanan: Dibuat", "B"),
        ("2026-12-03T23:30:00+07:00", "Unit layanan: Dibuat", "C"),
    ]
    update = body[3]  # the latest change comes last
    assert len(body) == 4
    assert (update[4], update[7]) == ("unit.updated", "A")
    assert '"name": "\'=HYPERLINK' not in update[10]  # JSON cells start with {, never =
    stored = await AuditEvent.select().where(AuditEvent.action == "unit.updated").first()
    assert update[-1] == stored["hash"] and update[-2] == stored["prev_hash"]


def test_audit_csv_cells_that_look_like_formulas_are_defused():
    from core.audit.export import event_row

    row = event_row(
        {
            "id": 1,
            "at": audit.utcnow(),
            "actor": "=cmd|' /C calc'!A0",
            "action": "unit.created",
            "entity": "unit",
            "entity_id": "+A",
            "unit_id": None,
            "before": None,
            "after": {"name": "x"},
            "prev_hash": audit.GENESIS,
            "hash": "f" * 64,
        },
        "Asia/Jakarta",
    )
    assert row[2] == "'=cmd|' /C calc'!A0"
    assert row[7] == "'+A"
    assert row[8] == "" and row[10] == '{"name": "x"}'


async def test_only_admins_and_inspectors_export_and_verify(client, db):
    await make_unit("A")
    await make_user("opa", "operator", ("A",))
    await login(client, "opa", PASSWORD)
    for path in ("/audit", "/audit.csv", "/audit/verifikasi"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "text/csv" not in response.headers["content-type"]


async def test_verify_button_shows_an_intact_chain_and_then_the_break(client, db):
    admin = await make_user("adm", "admin")
    for code in ("A", "B", "C"):
        await units.create_unit(admin, UnitIn(code=code, name=f"Unit {code}", kind="opd"))
    await make_user("insp", "inspector")
    ids = [row["id"] for row in await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id)]
    await login(client, "insp", PASSWORD)
    assert 'href="/audit/verifikasi"' in (await client.get("/audit")).text
    total = await AuditEvent.count()
    intact = await client.get("/audit/verifikasi")
    assert intact.status_code == 200
    assert f"Rantai audit utuh: {total} peristiwa diperiksa" in intact.text
    await tamper_audit(f"DELETE FROM audit_event WHERE id={ids[2]}")
    broken = await client.get("/audit/verifikasi")
    assert f"Rantai audit RUSAK pada peristiwa #{ids[3]} (unit.created)." in broken.text
    assert "Peristiwa sebelumnya dihapus atau diubah" in broken.text
    assert "3 peristiwa diperiksa." in broken.text  # the break is the third event read
