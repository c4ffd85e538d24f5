"""Responses after they are in: audited entry and import, the list, void and correction."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.accounts.policy import Actor
from core.audit.service import verify
from core.audit.tables import AuditEvent
from core.surveys import cycles, importer, responses
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.tables import Channel
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")

SYSTEM = Actor.system()
FULL = {f"U{n}": 3 for n in range(1, 10)}


async def _open_cycle(hooks, unit: str = "PKM-A") -> int:
    cycle_id = await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(unit=unit, period_type="tw1", year=2026, population=100, services=["UMUM"]),
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


async def _setup(hooks) -> tuple[int, dict[str, Actor]]:
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_unit("PKM-B", "puskesmas", services=("UMUM",))
    users = {
        "opr": await make_user("opr", "operator", ("PKM-A",)),
        "oprb": await make_user("oprb", "operator", ("PKM-B",)),
        "adm": await make_user("adm", "admin"),
        "insp": await make_user("insp", "inspector"),
    }
    return await _open_cycle(hooks), users


async def _events(action: str) -> list[dict[str, Any]]:
    rows = await AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id)
    for row in rows:
        for key in ("before", "after"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
    return rows


async def test_keyed_and_imported_responses_are_audited_with_who(db, hooks):
    cycle_id, users = await _setup(hooks)
    keyed = await responses.enter_response(
        users["opr"],
        cycle_id,
        ResponseIn(answers={**FULL, "U4": None}, service="UMUM"),
        Channel.interview,
    )
    [event] = await _events("response.entered")
    assert (event["actor"], event["entity"], event["entity_id"]) == (
        "opr",
        "survey_response",
        str(keyed.id),
    )
    assert event["after"]["cycle"] == cycle_id and event["after"]["method"] == "tatap_muka"
    assert event["after"]["answers"]["U1"] == 3 and "U4" not in event["after"]["answers"]
    content = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n4,4,4,4,4,4,4,4,4,UMUM,mandiri\n"
    await importer.import_responses(users["opr"], cycle_id, content, "kertas.csv")
    [batch] = await _events("responses.imported")
    assert batch["actor"] == "opr" and batch["after"]["rows"] == 1 and batch["after"]["batch"]
    assert (await verify())[1] is None
