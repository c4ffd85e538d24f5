"""Hostile input answers 4xx naming the field, never 500 (issue 14 item 2)."""

import pytest

from tests.factories import PASSWORD, make_unit, make_user


async def _token(client, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.parametrize("year", [10000, -1, 1999, 2147483648])
async def test_a_cycle_year_out_of_range_is_refused(client, db, year):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    answer = await client.post(
        "/api/v1/cycles",
        headers=await _token(client, "opr"),
        json={"unit": "PKM-A", "period_type": "tw2", "year": year, "population": 10},
    )
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["year"]
