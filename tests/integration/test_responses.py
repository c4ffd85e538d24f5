"""Responses after they are in: audited entry and import, the list, void and correction."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.accounts.policy import Action, Actor, can
from core.accounts.tables import Role
from core.audit.service import verify
from core.audit.tables import AuditEvent
from core.clock import utcnow
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.surveys import cycles, importer, responses
from core.surveys.corrections import CorrectionIn, VoidIn, correct_response, void_response
from core.surveys.insights import staff_entered_count
from core.surveys.public import open_survey
from core.surveys.response_list import (
    ResponseFilter,
    list_responses,
    people_who_entered,
    response_versions,
)
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.scores import score_scope
from core.surveys.submission import submit_public
from core.surveys.tables import Channel, Response
from core.surveys.tallies import Scope, tally
from tests.factories import make_unit, make_user

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


async def _three(cycle_id: int, actor: Actor) -> list[int]:
    """A keyed 4-everywhere, a keyed 1-everywhere (with a unit unsur-free cycle) and an import."""
    ids = []
    for value, channel in ((4, Channel.paper), (1, Channel.interview)):
        answers = dict.fromkeys(FULL, value)
        out = await responses.enter_response(
            actor, cycle_id, ResponseIn(answers=answers, service="UMUM"), channel
        )
        ids.append(out.id)
    content = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n3,3,3,3,3,3,3,3,3,UMUM,mandiri\n"
    await importer.import_responses(actor, cycle_id, content, "kertas.csv")
    ids.append(
        (await Response.select(Response.id).order_by(Response.id, ascending=False).first())["id"]
    )
    return ids


async def _konversi(hooks, cycle_id: int) -> tuple[int, float | None]:
    result = await tally(Scope.cycle(cycle_id))
    score = await score_scope(hooks, None, Scope.cycle(cycle_id))
    return result.respondents, score.konversi if score else None


async def test_a_voided_response_is_kept_shown_and_never_counted(db, hooks, settings):
    cycle_id, users = await _setup(hooks)
    _, low, _ = await _three(cycle_id, users["opr"])
    assert await _konversi(hooks, cycle_id) == (3, pytest.approx((4 + 1 + 3) / 3 * 25))
    with pytest.raises(ValidationFailed):
        await void_response(users["opr"], cycle_id, low, VoidIn(reason="salah"))
    await void_response(
        users["opr"], cycle_id, low, VoidIn(reason="kuesioner ganda, sudah dientri")
    )
    assert await _konversi(hooks, cycle_id) == (2, pytest.approx((4 + 3) / 2 * 25))
    cycle = await cycles.get_cycle(users["opr"], settings, hooks, cycle_id)
    assert cycle.collected == 2 and cycle.services[0].collected == 2
    assert await staff_entered_count(users["opr"], cycle_id) == 1
    page = await list_responses(users["opr"], settings.timezone, cycle_id, ResponseFilter())
    assert page.total == 3  # kept and listed
    void = next(r for r in page.rows if r.id == low)
    assert (void.status, void.voided_by, void.void_reason) == (
        "voided",
        "opr",
        "kuesioner ganda, sudah dientri",
    )
    [event] = await _events("response.voided")
    assert event["actor"] == "opr" and event["before"]["answers"]["U1"] == 1
    assert event["after"]["reason"] == "kuesioner ganda, sudah dientri"
    with pytest.raises(Conflict):
        await void_response(users["opr"], cycle_id, low, VoidIn(reason="sekali lagi dibatalkan"))


async def test_a_correction_keeps_the_earlier_version(db, hooks, settings):
    cycle_id, users = await _setup(hooks)
    keyed, low, imported = await _three(cycle_id, users["opr"])
    fixed = await correct_response(
        users["adm"],
        cycle_id,
        imported,
        CorrectionIn(
            answers={**FULL, "U2": 4},
            service="UMUM",
            method="FGD",
            reason="U2 salah ketik saat impor",
        ),
    )
    assert await _konversi(hooks, cycle_id) == (3, pytest.approx((4 + 1 + 3 + 1 / 9) / 3 * 25))
    versions = await response_versions(users["opr"], cycle_id, imported)
    assert [(v.id, v.status) for v in versions] == [(fixed.id, "counted"), (imported, "superseded")]
    new, old = versions
    assert (new.answers["U2"], old.answers["U2"]) == (4, 3)
    assert (new.channel, new.method, new.entered_by, new.replaces) == (
        "import",
        "fgd",
        "adm",
        imported,
    )
    [event] = await _events("response.corrected")
    assert event["actor"] == "adm" and event["entity_id"] == str(imported)
    assert (event["before"]["answers"]["U2"], event["after"]["answers"]["U2"]) == (3, 4)
    assert event["after"]["version"] == fixed.id
    with pytest.raises(Conflict):  # the earlier version is history now
        await correct_response(
            users["adm"], cycle_id, imported, CorrectionIn(answers=FULL, reason="sekali lagi ya")
        )
    default = await list_responses(users["opr"], settings.timezone, cycle_id, ResponseFilter())
    assert {r.id for r in default.rows} == {keyed, low, imported, fixed.id}


async def test_citizens_answers_are_voided_not_corrected(db, hooks, settings):
    cycle_id, users = await _setup(hooks)
    row = await cycles.cycle_row(SYSTEM, cycle_id)
    profile = {"jenis_kelamin": "L", "usia": 30, "pendidikan": "SMA", "pekerjaan": "Swasta"}
    opened = await open_survey(row["public_token"])
    online = await submit_public(
        settings, opened, ResponseIn(answers=FULL, service="UMUM", profile=profile), "x"
    )
    with pytest.raises(Conflict, match="batalkan bila tidak sah"):
        await correct_response(
            users["opr"],
            cycle_id,
            online.id,
            CorrectionIn(answers=FULL, reason="ingin diubah saja"),
        )


async def test_a_closed_cycle_is_changed_only_after_an_audited_reopening(db, hooks):
    cycle_id, users = await _setup(hooks)
    keyed, *_ = await _three(cycle_id, users["opr"])
    await cycles.close_cycle(users["opr"], hooks, cycle_id, reason="uji: sampel di bawah minimum")
    for change in (
        void_response(users["opr"], cycle_id, keyed, VoidIn(reason="tidak sah, ganda")),
        correct_response(
            users["opr"], cycle_id, keyed, CorrectionIn(answers=FULL, reason="salah ketik U1")
        ),
    ):
        with pytest.raises(Conflict, match="dibuka kembali"):
            await change
    with pytest.raises(PermissionDenied):  # operators cannot reopen
        await cycles.reopen_cycle(users["opr"], cycle_id, "koreksi entri kertas")
    await cycles.reopen_cycle(users["adm"], cycle_id, "koreksi entri kertas yang salah")
    await correct_response(
        users["opr"],
        cycle_id,
        keyed,
        CorrectionIn(answers=FULL, service="UMUM", reason="salah ketik U1"),
    )
    actions = [
        e["action"] for e in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)
    ]
    assert actions[-3:] == ["cycle.closed", "cycle.open", "response.corrected"]


async def test_who_may_list_void_and_correct(db, hooks, settings):
    cycle_id, users = await _setup(hooks)
    keyed, *_ = await _three(cycle_id, users["opr"])
    for role in ("admin", "operator"):
        actor = Actor(user_id=None, username=role, role=Role(role), unit_ids=frozenset())
        for action in (Action.view_responses, Action.void_responses, Action.correct_responses):
            assert can(actor, action, None) == (role == "admin")
    assert can(users["insp"], Action.view_responses, 1)
    assert not can(users["insp"], Action.void_responses, 1)
    page = await list_responses(users["insp"], settings.timezone, cycle_id, ResponseFilter())
    assert page.total == 3
    with pytest.raises(PermissionDenied):
        await void_response(
            users["insp"], cycle_id, keyed, VoidIn(reason="tidak boleh membatalkan")
        )
    with pytest.raises(NotFound):  # another unit's operator does not even see the cycle
        await list_responses(users["oprb"], settings.timezone, cycle_id, ResponseFilter())
    with pytest.raises(NotFound):
        await void_response(users["oprb"], cycle_id, keyed, VoidIn(reason="unit lain mencoba"))


async def test_the_list_filters_by_channel_person_and_day(db, hooks, settings):
    cycle_id, users = await _setup(hooks)
    keyed, low, imported = await _three(cycle_id, users["opr"])
    await responses.enter_response(users["adm"], cycle_id, ResponseIn(answers=FULL, service="UMUM"))

    async def ids(**filters: Any) -> set[int]:
        page = await list_responses(
            users["adm"], settings.timezone, cycle_id, ResponseFilter(**filters)
        )
        return {row.id for row in page.rows}

    assert await ids(channel="interview") == {low}
    assert await ids(channel="import") == {imported}
    assert len(await ids(entered_by=users["adm"].user_id)) == 1
    assert await ids(entered_by=users["opr"].user_id) == {keyed, low, imported}
    today = utcnow().astimezone(ZoneInfo(settings.timezone)).date()
    assert len(await ids(entered_from=today, entered_to=today)) == 4
    assert await ids(entered_to=today - timedelta(days=1)) == set()
    people = await people_who_entered(users["adm"], cycle_id)
    assert [name for _, name in people] == ["adm", "opr"]
