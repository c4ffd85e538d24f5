"""Hostile uploads and bodies answer 4xx, and one upload never stalls the others (issue 14 items 2, 3)."""

from __future__ import annotations

import asyncio
import io
import re
import threading
import zipfile
from collections.abc import AsyncIterator

import httpx
import pytest

from core import tabular
from tests.conftest import bearer
from tests.factories import make_unit, make_user

HEADER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "layanan", "metode", "saran"]
GOOD = [3, 3, 3, 3, 3, 3, 3, 3, 3, "UMUM", "mandiri", "baik"]


@pytest.fixture
async def live(live_url) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app served by uvicorn (requests really run at once)."""
    async with httpx.AsyncClient(base_url=live_url, timeout=60) as client:
        yield client


async def _open_cycle(client, headers, period: str = "tahunan") -> int:
    draft = await client.post(
        "/api/v1/cycles",
        headers=headers,
        json={
            "unit": "PKM-A",
            "period_type": period,
            "year": 2026,
            "population": 10,
            "services": ["UMUM"],
        },
    )
    assert draft.status_code == 201, draft.text
    opened = await client.post(f"/api/v1/cycles/{draft.json()['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    return draft.json()["id"]


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_part(content: bytes, name: str, transform) -> bytes:
    """The XLSX with one part rewritten (or added)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for item in names:
            data = source.read(item)
            target.writestr(item, transform(data) if item == name else data)
        if name not in names:
            target.writestr(name, transform(b""))
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_an_xlsx_with_a_dtd_is_refused_before_parsing(prolog):
    book = _xlsx([["kode", "nama"], ["A", "Unit"]])
    hostile = _with_part(book, "xl/worksheets/sheet1.xml", lambda data: prolog + data)
    with pytest.raises(tabular.ValidationFailed) as refused:
        tabular.read_table(hostile, "units.xlsx")
    assert refused.value.errors[0].field == "file"
    assert "DTD" in refused.value.errors[0].message


def test_an_xlsx_whose_parts_unpack_too_big_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_INFLATED_BYTES", 1024 * 1024)
    padded = _with_part(_xlsx([["kode"], ["A"]]), "xl/media/pad.bin", lambda _: b"\0" * 2**21)
    assert len(padded) < 100_000  # small on the wire, big once unpacked
    with pytest.raises(tabular.ValidationFailed) as refused:
        tabular.read_table(padded, "units.xlsx")
    assert "terlalu besar" in refused.value.errors[0].message


def test_reading_stops_at_the_row_limit_without_reading_the_rest():
    consumed = 0

    def endless():
        nonlocal consumed
        yield ["kode", "nama"]
        while True:
            consumed += 1
            yield ["A", "Unit"]

    with pytest.raises(tabular.ValidationFailed) as refused:
        tabular.rows_from_records(endless(), max_rows=50)
    assert consumed == 51
    assert (refused.value.errors[0].field, refused.value.errors[0].row) == ("file", 52)


def test_blank_rows_do_not_count_towards_the_limit_and_trailing_ones_are_dropped():
    records = [["kode"], ["A"], [""], ["B"], [""], [""]]
    assert tabular.rows_from_records(records, max_rows=2) == [
        {"kode": "A"},
        {"kode": ""},
        {"kode": "B"},
    ]


async def test_the_same_file_imports_into_a_second_cycle(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    first, second = (
        await _open_cycle(client, headers, "tw1"),
        await _open_cycle(client, headers, "tw2"),
    )
    upload = {"file": ("a.xlsx", _xlsx([HEADER, GOOD, GOOD]), "x")}
    for cycle_id in (first, second):
        answer = await client.post(
            f"/api/v1/cycles/{cycle_id}/imports", headers=headers, files=upload
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["imported"] == 2
    again = await client.post(f"/api/v1/cycles/{first}/imports", headers=headers, files=upload)
    assert again.status_code == 409, again.text


async def test_parallel_imports_of_one_file_store_it_once(live, db):
    client = live
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    cycle_id = await _open_cycle(client, headers)
    upload = {"file": ("a.xlsx", _xlsx([HEADER, GOOD, GOOD, GOOD]), "x")}
    answers = await asyncio.gather(
        *(
            client.post(f"/api/v1/cycles/{cycle_id}/imports", headers=headers, files=upload)
            for _ in range(4)
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409], [a.text for a in answers]
    cycle = (await client.get(f"/api/v1/cycles/{cycle_id}", headers=headers)).json()
    assert cycle["collected"] == 3


async def test_parallel_questionnaire_saves_each_get_a_version_or_a_conflict(live, db):
    client = live
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    current = (await client.get("/api/v1/units/PKM-A/questionnaire", headers=headers)).json()
    answers = await asyncio.gather(
        *(
            client.put("/api/v1/units/PKM-A/questionnaire", headers=headers, json=current)
            for _ in range(4)
        )
    )
    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    assert 200 in {a.status_code for a in answers}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cycles?year=2147483648",
        "/api/v1/recap?year=-2147483649",
        "/api/v1/responses?cycle=99999999999999",
        "/api/v1/units/PKM-A/follow-up?year=2147483648",
    ],
)
async def test_integers_past_int32_in_a_query_are_refused_naming_the_parameter(client, db, path):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("adm", "admin")
    answer = await client.get(path, headers=await bearer(client, "adm"))
    assert answer.status_code in (400, 422), answer.text
    assert answer.json()["errors"][0]["field"] in ("year", "cycle")


async def test_a_body_nested_2000_deep_is_refused_on_every_json_endpoint(client, db):
    await make_user("adm", "admin")
    headers = {**await bearer(client, "adm"), "Content-Type": "application/json"}
    schema = (await client.get("/schema/openapi.json")).json()
    deep = "[" * 2000 + "]" * 2000
    tried = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "application/json" not in operation.get("requestBody", {}).get("content", {}):
                continue
            url = re.sub(r"\{[a-z_]+\}", "1", path)
            answer = await client.request(method.upper(), url, headers=headers, content=deep)
            assert 400 <= answer.status_code < 500, (method, path, answer.status_code, answer.text)
            tried += 1
    assert tried > 30


async def test_other_requests_are_answered_while_an_upload_is_parsed(live, db, monkeypatch):
    """The parse is held until /healthz has answered: parsed on the event loop, it would hold
    the loop and /healthz could only answer after the release (the order checked below)."""
    client = live
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    cycle_id = await _open_cycle(client, headers)
    parsing, release, order = threading.Event(), threading.Event(), []
    real = tabular.read_table

    def held(content: bytes, filename: str, max_rows: int = tabular.MAX_ROWS):
        parsing.set()
        release.wait(timeout=30)
        order.append("parse released")
        return real(content, filename, max_rows)

    monkeypatch.setattr(tabular, "read_table", held)
    upload = {"file": ("a.xlsx", _xlsx([HEADER, GOOD]), "x")}
    importing = asyncio.ensure_future(
        client.post(f"/api/v1/cycles/{cycle_id}/imports", headers=headers, files=upload)
    )
    while not parsing.is_set():
        await asyncio.sleep(0.01)
    other = await client.get("/api/v1/units", headers=headers)
    order.append("other answered")
    release.set()
    assert (await importing).status_code == 200
    assert other.status_code == 200
    assert order == ["other answered", "parse released"]
