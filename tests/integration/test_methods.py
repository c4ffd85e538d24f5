"""Collection methods (tatap muka, mandiri, elektronik, FGD, wawancara mendalam) on every route in."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.accounts.policy import Actor
from core.errors import ValidationFailed
from core.surveys import cycles, importer, responses
from core.surveys.methods import parse_method
from core.surveys.public import open_survey
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.submission import submit_public
from core.surveys.tables import Channel, Method, Response
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

SYSTEM = Actor.system()
FULL = {f"U{n}": 3 for n in range(1, 10)}


async def _open_cycle(hooks) -> int:
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    cycle_id = await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=100, services=["UMUM"]),
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


def test_methods_are_read_by_code_or_label():
    assert parse_method("Wawancara mendalam") is Method.wawancara_mendalam
    assert parse_method(" tatap-muka ") is Method.tatap_muka
    assert parse_method("FGD") is Method.fgd
    assert parse_method("online") is None and parse_method("") is None


async def test_import_keeps_each_rows_method(db, hooks):
    cycle_id = await _open_cycle(hooks)
    content = (
        b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n"
        b"3,3,3,3,3,3,3,3,3,UMUM,FGD\n"
        b"4,4,4,4,4,4,4,4,4,UMUM,Wawancara mendalam\n"
        b"2,3,3,3,3,3,3,3,3,UMUM,tatap muka\n"
        b"3,3,3,3,3,3,3,3,3,UMUM,elektronik\n"
    )
    imported, errors = await importer.import_responses(SYSTEM, cycle_id, content, "b.csv")
    assert (imported, errors) == (4, [])
    stored = await Response.select(Response.channel, Response.method).order_by(Response.id)
    assert [r["method"] for r in stored] == [
        "fgd",
        "wawancara_mendalam",
        "tatap_muka",
        "elektronik",
    ]
    assert {r["channel"] for r in stored} == {"import"}


async def test_import_needs_the_method_column_and_a_known_method_on_every_row(db, hooks):
    cycle_id = await _open_cycle(hooks)
    no_column = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan\n3,3,3,3,3,3,3,3,3,UMUM\n"
    _, errors = await importer.import_responses(SYSTEM, cycle_id, no_column, "a.csv")
    assert [(e.row, e.field) for e in errors] == [(1, "metode")]
    bad = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n3,3,3,3,3,3,3,3,3,UMUM,\n" + (
        b"3,3,3,3,3,3,3,3,3,UMUM,telepon\n"
    )
    imported, errors = await importer.import_responses(SYSTEM, cycle_id, bad, "b.csv")
    assert imported == 0 and [(e.row, e.field) for e in errors] == [(2, "metode"), (3, "metode")]
    assert "wajib diisi" in errors[0].message and "'telepon' tidak dikenal" in errors[1].message
    assert "Wawancara mendalam" in errors[1].message
    assert await Response.count() == 0


async def test_templates_carry_the_method_column(client, db, hooks):
    cycle_id = await _open_cycle(hooks)
    await login(client, "opr", PASSWORD)
    text = await client.get(f"/cycles/{cycle_id}/templat.csv")
    assert "layanan,metode," in text.text.splitlines()[0]
    book = load_workbook(io.BytesIO((await client.get(f"/cycles/{cycle_id}/templat.xlsx")).content))
    guide = {row[0]: row[1] for row in book["Petunjuk"].iter_rows(values_only=True)}
    assert "FGD" in guide["metode"] and "Wawancara mendalam" in guide["metode"]
    form = await client.get(f"/cycles/{cycle_id}/impor")
    assert (
        "Kolom metode wajib diisi" in form.text and "<code>Wawancara mendalam</code>" in form.text
    )


async def test_public_and_keyed_responses_get_their_method(db, hooks, settings):
    cycle_id = await _open_cycle(hooks)
    row = await cycles.cycle_row(SYSTEM, cycle_id)
    profile = {"jenis_kelamin": "L", "usia": 30, "pendidikan": "SMA", "pekerjaan": "Swasta"}
    opened = await open_survey(row["public_token"])
    await submit_public(
        settings, opened, ResponseIn(answers=FULL, service="UMUM", profile=profile), "10.0.0.1"
    )
    await responses.enter_response(SYSTEM, cycle_id, ResponseIn(answers=FULL, service="UMUM"))
    await responses.enter_response(
        SYSTEM, cycle_id, ResponseIn(answers=FULL, service="UMUM"), Channel.interview
    )
    await responses.enter_response(
        SYSTEM,
        cycle_id,
        ResponseIn(answers=FULL, service="UMUM"),
        Channel.interview,
        method=Method.wawancara_mendalam,
    )
    methods = [r["method"] for r in await Response.select(Response.method).order_by(Response.id)]
    assert methods == ["elektronik", "mandiri", "tatap_muka", "wawancara_mendalam"]
    with pytest.raises(ValidationFailed) as refused:
        await responses.enter_response(
            SYSTEM, cycle_id, ResponseIn(answers=FULL, service="UMUM"), method=Method.elektronik
        )
    assert refused.value.errors[0].field == "method"


async def test_staff_entry_takes_the_date_time_and_method(client, db, hooks):
    cycle_id = await _open_cycle(hooks)
    await login(client, "opr", PASSWORD)
    form = await client.get(f"/cycles/{cycle_id}/entri")
    assert 'name="filled_time" type="time"' in form.text and 'value="fgd"' in form.text
    token = await csrf_token(client, f"/cycles/{cycle_id}/entri")
    body = {
        "_csrf_token": token,
        "submission_token": "s-1",
        **{code: str(v) for code, v in FULL.items()},
        "layanan": "UMUM",
        "channel": "interview",
        "method": "fgd",
        "filled_on": "2026-02-03",
        "filled_time": "25:00",
    }
    wrong = await client.post(f"/cycles/{cycle_id}/entri", data=body)
    assert wrong.status_code == 422 and 'id="f-jam"' in wrong.text
    assert "format jam HH:MM" in wrong.text and await Response.count() == 0
    saved = await client.post(
        f"/cycles/{cycle_id}/entri", data={**body, "filled_time": "09:45"}, follow_redirects=False
    )
    assert saved.status_code in (302, 303), saved.text
    row = await Response.select().first()
    assert (str(row["filled_on"]), row["filled_time"], row["method"], row["channel"]) == (
        "2026-02-03",
        "09:45",
        "fgd",
        "interview",
    )
