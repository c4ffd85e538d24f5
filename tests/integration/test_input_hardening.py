"""Hostile input answers 4xx naming the field, never 500 (issue 14 item 2)."""

import pytest

from tests.conftest import bearer
from tests.factories import make_unit, make_user


@pytest.mark.parametrize("year", [10000, -1, 1999, 2147483648])
async def test_a_cycle_year_out_of_range_is_refused(client, db, year):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    answer = await client.post(
        "/api/v1/cycles",
        headers=await bearer(client, "opr"),
        json={"unit": "PKM-A", "period_type": "tw2", "year": year, "population": 10},
    )
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["year"]


async def _open_cycle(client, headers) -> int:
    draft = await client.post(
        "/api/v1/cycles",
        headers=headers,
        json={
            "unit": "PKM-A",
            "period_type": "tahunan",
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
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "layanan", "metode", "saran"]
GOOD = [3, 3, 3, 3, 3, 3, 3, 3, 3, "UMUM", "mandiri"]


async def test_an_import_refuses_a_long_saran_and_formula_cells_by_row(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    cycle_id = await _open_cycle(client, headers)
    long_saran = await client.post(
        f"/api/v1/cycles/{cycle_id}/imports",
        headers=headers,
        files={"file": ("a.xlsx", _xlsx([HEADER, [*GOOD, "baik"], [*GOOD, "x" * 2001]]), "x")},
    )
    assert long_saran.status_code == 422, long_saran.text
    assert [(e["row"], e["field"]) for e in long_saran.json()["errors"]] == [(3, "saran")]
    formula = await client.post(
        f"/api/v1/cycles/{cycle_id}/imports",
        headers=headers,
        files={"file": ("b.xlsx", _xlsx([HEADER, [*GOOD, "ok"], ["=1+2", *GOOD[1:], "=A1"]]), "x")},
    )
    assert formula.status_code == 422, formula.text
    assert [(e["row"], e["field"]) for e in formula.json()["errors"]] == [(3, "U1"), (3, "saran")]
    fresh = (await client.get(f"/api/v1/cycles/{cycle_id}", headers=headers)).json()
    assert fresh["collected"] == 0


@pytest.mark.parametrize("path", ["/s/%00", "/undangan/%00", "/s/abc%00def/terima-kasih"])
async def test_a_nul_byte_in_a_public_path_is_not_found(client, db, path):
    answer = await client.get(path)
    assert answer.status_code == 404, answer.text


async def test_ids_past_int32_are_not_found_and_nul_in_a_query_is_refused(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    for path in ("/api/v1/cycles/2147483648", "/api/v1/cycles/-2147483649"):
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 404, (path, answer.text)
    nul = await client.get("/api/v1/cycles?status=%00", headers=headers)
    assert nul.status_code in (400, 422), nul.text
    assert nul.json()["errors"][0]["field"] == "status"
