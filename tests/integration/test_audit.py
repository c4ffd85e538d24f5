"""The audit log: one event per write in the same transaction, the hash chain, the /audit page."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from core import db as core_db
from core.accounts import service as accounts_service
from core.accounts.service import create_user
from core.accounts.tables import User
from core.audit import service as audit
from core.audit.tables import AuditEvent
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.units import service as units
from core.units.schemas import ServiceIn, ServicePatch, UnitIn, UnitPatch
from core.units.tables import Service, Unit
from tests.factories import PASSWORD, make_unit, make_user, tamper_audit


async def events() -> list[dict[str, Any]]:
    rows = await AuditEvent.select().order_by(AuditEvent.id)
    for row in rows:
        row["before"] = audit._loads(row["before"])
        row["after"] = audit._loads(row["after"])
    return rows


async def one_new_event(count_before: int) -> dict[str, Any]:
    rows = await events()
    assert len(rows) == count_before + 1, [r["action"] for r in rows[count_before:]]
    return rows[-1]


async def test_every_write_records_exactly_one_event_with_before_and_after(db):
    admin = await make_user("adm", "admin")
    n = await AuditEvent.count()

    unit = await units.create_unit(admin, UnitIn(code="A", name="Unit A", kind="opd"))
    event = await one_new_event(n)
    assert (event["actor"], event["action"], event["entity"], event["entity_id"]) == (
        "adm",
        "unit.created",
        "unit",
        "A",
    )
    assert event["unit_id"] == unit.id
    assert event["before"] is None
    assert event["after"] == {
        "id": unit.id,
        "code": "A",
        "name": "Unit A",
        "kind": "opd",
        "parent": None,
        "address": "",
        "phone": "",
        "email": "",
        "active": True,
    }

    await units.update_unit(admin, "A", UnitPatch(name="Unit A Baru", phone="021"))
    event = await one_new_event(n + 1)
    assert event["action"] == "unit.updated"
    assert (event["before"]["name"], event["after"]["name"]) == ("Unit A", "Unit A Baru")
    assert (event["before"]["phone"], event["after"]["phone"]) == ("", "021")
    assert event["before"]["kind"] == event["after"]["kind"] == "opd"

    await units.update_unit(admin, "A", UnitPatch(active=False))
    event = await one_new_event(n + 2)
    assert event["action"] == "unit.deactivated"
    assert (event["before"]["active"], event["after"]["active"]) == (True, False)

    await units.create_service(admin, "A", ServiceIn(code="KIA", name="KIA"))
    event = await one_new_event(n + 3)
    assert (event["action"], event["entity"], event["entity_id"]) == (
        "service.created",
        "service",
        "A/KIA",
    )
    assert event["unit_id"] == unit.id
    assert event["before"] is None
    assert (event["after"]["name"], event["after"]["active"]) == ("KIA", True)

    await units.update_service(admin, "A", "KIA", ServicePatch(name="KIA Terpadu"))
    event = await one_new_event(n + 4)
    assert event["action"] == "service.updated"
    assert (event["before"]["name"], event["after"]["name"]) == ("KIA", "KIA Terpadu")

    await units.update_service(admin, "A", "KIA", ServicePatch(active=False))
    event = await one_new_event(n + 5)
    assert (event["before"]["active"], event["after"]["active"]) == (True, False)

    await create_user(admin, "opa", "operator", PASSWORD, ("A",), full_name="Operator A")
    event = await one_new_event(n + 6)
    assert (event["actor"], event["action"], event["entity"], event["entity_id"]) == (
        "adm",
        "user.created",
        "user",
        "opa",
    )
    assert event["before"] is None
    assert event["after"] == {
        "username": "opa",
        "role": "operator",
        "units": ["A"],
        "full_name": "Operator A",
    }
    assert "password" not in str(event["after"]) and PASSWORD not in str(event["after"])

    # the operator's own change is recorded under their name
    operator = await accounts_service.actor_for_user(
        (await User.select(User.id).where(User.username == "opa").first())["id"]
    )
    await units.update_unit(operator, "A", UnitPatch(email="a@contoh.go.id"))
    event = await one_new_event(n + 7)
    assert (event["actor"], event["action"]) == ("opa", "unit.updated")


async def test_failed_writes_record_nothing(db):
    admin = await make_user("adm", "admin")
    await make_unit("A")
    operator = await make_user("opa", "operator", ("A",))
    await make_unit("B", parent="A", services=("KIA",))
    before = await events()

    attempts = [
        (Conflict, lambda: units.create_unit(admin, UnitIn(code="A", name="Lagi", kind="opd"))),
        (ValidationFailed, lambda: units.create_unit(admin, UnitIn(code="C", name="", kind="opd"))),
        (ValidationFailed, lambda: units.update_unit(admin, "A", UnitPatch(parent="B"))),
        (ValidationFailed, lambda: units.update_unit(admin, "A", UnitPatch(kind="kantor"))),
        (PermissionDenied, lambda: units.update_unit(operator, "A", UnitPatch(name="X"))),
        (NotFound, lambda: units.update_unit(operator, "B", UnitPatch(phone="1"))),
        (Conflict, lambda: units.create_service(admin, "B", ServiceIn(code="KIA", name="Lagi"))),
        (NotFound, lambda: units.update_service(admin, "B", "GIGI", ServicePatch(active=False))),
        (Conflict, lambda: create_user(admin, "opa", "organizer", PASSWORD)),
        (ValidationFailed, lambda: create_user(admin, "new-op", "operator", PASSWORD, ("GHOST",))),
    ]
    for error, attempt in attempts:
        with pytest.raises(error):
            await attempt()
    assert await events() == before
    assert (await Unit.select(Unit.parent).where(Unit.code == "A").first())["parent"] is None


@pytest.mark.parametrize("fail_in", ["record", "emit_event"])
async def test_the_change_and_its_event_commit_or_roll_back_together(db, monkeypatch, fail_in):
    """A failure while auditing (or right after) undoes the change as well."""
    admin = await make_user("adm", "admin")
    await make_unit("A", services=("KIA",))
    before = await events()

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(units, fail_in, boom)
    if fail_in == "record":
        monkeypatch.setattr(accounts_service, "record", boom)
    with pytest.raises(RuntimeError):
        await units.create_unit(admin, UnitIn(code="B", name="Unit B", kind="opd"))
    with pytest.raises(RuntimeError):
        await units.update_unit(admin, "A", UnitPatch(name="Ganti"))
    with pytest.raises(RuntimeError):
        await units.create_service(admin, "A", ServiceIn(code="GIGI", name="Gigi"))
    with pytest.raises(RuntimeError):
        await units.update_service(admin, "A", "KIA", ServicePatch(active=False))
    if fail_in == "record":
        with pytest.raises(RuntimeError):
            await create_user(admin, "opa", "organizer", PASSWORD)
        assert not await User.exists().where(User.username == "opa")
    assert not await Unit.exists().where(Unit.code == "B")
    assert (await Unit.select(Unit.name).where(Unit.code == "A").first())["name"] == "Unit A"
    assert [s["code"] for s in await Service.select(Service.code)] == ["KIA"]
    assert (await Service.select(Service.active).first())["active"] is True
    assert await events() == before
    # with the failure gone, the same write succeeds and is audited
    monkeypatch.undo()
    await units.create_unit(admin, UnitIn(code="B", name="Unit B", kind="opd"))
    assert len(await events()) == len(before) + 1


# --- the hash chain -----------------------------------------------------------------------------


async def _chain() -> list[int]:
    """Seven events from several writers; their ids in order."""
    admin = await make_user("adm", "admin")
    await make_unit("A", services=("KIA",))
    await units.update_unit(admin, "A", UnitPatch(phone="021 555", address="Jl. Mawar"))
    await units.update_unit(admin, "A", UnitPatch(active=False))
    await make_unit("B", parent="A")
    await units.update_service(admin, "A", "KIA", ServicePatch(name="Kesehatan Ibu & Anak"))
    ids = [row["id"] for row in await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id)]
    assert len(ids) == 7
    return ids


async def test_verify_passes_on_an_intact_chain(db):
    assert await audit.verify() == (0, None)
    ids = await _chain()
    assert await audit.verify() == (len(ids), None)
    rows = await events()
    assert rows[0]["prev_hash"] == audit.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in pairwise(rows))


# Tampering from the newest event backwards: each new break is earlier than the previous ones, so
# verify() must name it. Events: 0 user.created, 1 unit.created A, 2 service.created A/KIA,
# 3 unit.updated, 4 unit.deactivated, 5 unit.created B, 6 service.updated.
TAMPERING = [
    (6, "actor='x'"),
    (5, 'after=\'{"phone":"0"}\''),
    (4, "before=NULL"),
    (3, "action='unit.deleted'"),
    (2, "unit_id=NULL"),
    (1, "entity_id='B'"),
    (0, "actor='x'"),
]


async def test_verify_names_the_first_tampered_event(db):
    ids = await _chain()
    found = []
    for position, assignment in TAMPERING:
        await tamper_audit(f"UPDATE audit_event SET {assignment} WHERE id={ids[position]}")
        checked, broken = await audit.verify()
        assert broken is not None, assignment
        found.append((checked, broken.event_id, broken.reason))
    assert found == [
        (position + 1, ids[position], "content does not match its hash")
        for position, _ in TAMPERING
    ]


async def test_verify_catches_a_deleted_event(db):
    ids = await _chain()
    await tamper_audit(f"DELETE FROM audit_event WHERE id={ids[3]}")
    checked, broken = await audit.verify()
    assert broken is not None
    assert broken.event_id == ids[4]
    assert broken.reason == "prev_hash does not match the previous event"
    assert checked == 4


async def test_verify_catches_an_event_rewritten_with_a_fresh_hash(db):
    """Recomputing the tampered event's own hash only moves the break to the next event."""
    ids = await _chain()
    row = (await events())[2]
    forged = audit.event_hash(
        row["prev_hash"],
        row["at"],
        "x",
        row["action"],
        row["entity"],
        row["entity_id"],
        row["unit_id"],
        row["before"],
        row["after"],
    )
    await tamper_audit(f"UPDATE audit_event SET actor='x', hash='{forged}' WHERE id={ids[2]}")
    checked, broken = await audit.verify()
    assert broken is not None
    assert (broken.event_id, checked, broken.action) == (ids[2], 3, row["action"])
    assert broken.reason == "content does not match its hash"


async def test_a_chain_rewritten_from_one_event_on_without_the_key_is_caught_there(db):
    """Every later hash recomputed (plain SHA-256: the key is not in the database)."""
    ids = await _chain()
    rows = await events()
    prev = rows[2]["prev_hash"]
    for row in rows[2:]:
        actor = "x" if row["id"] == ids[2] else row["actor"]
        digest = audit.event_hash(
            prev,
            row["at"],
            actor,
            row["action"],
            row["entity"],
            row["entity_id"],
            row["unit_id"],
            row["before"],
            row["after"],
        )
        await tamper_audit(
            f"UPDATE audit_event SET actor='{actor}', prev_hash='{prev}', hash='{digest}'"
            f" WHERE id={row['id']}"
        )
        prev = digest
    checked, broken = await audit.verify()
    assert broken is not None and (broken.event_id, checked) == (ids[2], 3)


async def test_deleting_the_newest_events_is_caught_by_the_checkpoint(db, tmp_path):
    ids = await _chain()
    checkpoint = await audit.write_checkpoint(tmp_path)
    assert (checkpoint.event_id, checkpoint.events) == (ids[-1], len(ids))
    assert await audit.verify(tmp_path) == (len(ids), None)
    last = (await events())[-1]
    await tamper_audit(f"DELETE FROM audit_event WHERE id IN ({ids[-2]}, {ids[-1]})")
    assert (await audit.verify())[1] is None  # the chain alone cannot tell
    checked, broken = await audit.verify(tmp_path)
    assert broken is not None and checked == len(ids) - 2
    assert (broken.event_id, broken.action) == (ids[-1], last["action"])
    assert broken.reason == audit.TRUNCATED


async def test_a_forged_checkpoint_is_refused(db, tmp_path):
    await _chain()
    await audit.write_checkpoint(tmp_path)
    path = tmp_path / "audit_checkpoints.jsonl"
    path.write_text(path.read_text().replace('"events": 7', '"events": 6'))
    broken = (await audit.verify(tmp_path))[1]
    assert broken is not None and broken.reason == audit.CHECKPOINT_FORGED


async def test_a_broken_chain_is_never_checkpointed(db, tmp_path):
    ids = await _chain()
    await tamper_audit(f"UPDATE audit_event SET actor='x' WHERE id={ids[1]}")
    with pytest.raises(Conflict):
        await audit.write_checkpoint(tmp_path)
    assert not (tmp_path / "audit_checkpoints.jsonl").exists()


async def test_an_unkeyed_chain_verifies_only_once_adopted(db, tmp_path):
    """Events written before keying carry plain SHA-256 hashes; adopting them is explicit."""
    ids = await _chain()
    prev = audit.GENESIS
    for row in await events():
        digest = audit.event_hash(
            prev,
            row["at"],
            row["actor"],
            row["action"],
            row["entity"],
            row["entity_id"],
            row["unit_id"],
            row["before"],
            row["after"],
        )
        await tamper_audit(
            f"UPDATE audit_event SET prev_hash='{prev}', hash='{digest}' WHERE id={row['id']}"
        )
        prev = digest
    broken = (await audit.verify(tmp_path))[1]
    assert broken is not None and broken.event_id == ids[0]
    assert await audit.adopt_legacy_chain(tmp_path) == ids[-1]
    await make_unit("C")  # a keyed event on top of the adopted chain
    assert await audit.verify(tmp_path) == (len(ids) + 1, None)
    with pytest.raises(Conflict):
        await audit.adopt_legacy_chain(tmp_path)


async def test_postgres_refuses_update_and_delete_on_the_audit_table(db):
    if not core_db.is_postgres():
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    ids = await _chain()
    for statement in (
        f"UPDATE audit_event SET actor='x' WHERE id={ids[0]}",
        f"DELETE FROM audit_event WHERE id={ids[-1]}",
    ):
        with pytest.raises(Exception, match="append-only"):
            await core_db.engine().run_ddl(statement)
    assert len(await events()) == len(ids)
