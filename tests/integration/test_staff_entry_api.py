"""Staff entry over the API records how and when the questionnaire was filled in, like the page."""

import pytest

from core.surveys.tables import Response
from tests.conftest import bearer
from tests.factories import make_unit, make_user
from tests.integration.test_surveys_api import ANSWERS, _open_cycle

pytestmark = pytest.mark.db


async def _opened(client) -> tuple[dict, dict[str, str]]:
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    return await _open_cycle(client, headers), headers


async def test_the_api_keeps_the_method_date_and_time_of_a_keyed_questionnaire(client, db):
    cycle, headers = await _opened(client)
    body = {
        "service": "KIA",
        "answers": ANSWERS,
        "method": "FGD",
        "filled_on": "2026-02-03",
        "filled_time": "09:15",
    }
    entered = await client.post(
        f"/api/v1/cycles/{cycle['id']}/responses?channel=interview", headers=headers, json=body
    )
    assert entered.status_code == 201, entered.text
    row = (
        await Response.select(
            Response.method, Response.filled_on, Response.filled_time, Response.channel
        )
        .where(Response.id == entered.json()["id"])
        .first()
    )
    assert row["method"] == "fgd" and str(row["filled_on"]) == "2026-02-03"
    assert row["filled_time"] == "09:15" and row["channel"] == "interview"


async def test_a_bad_method_date_or_time_is_refused_by_field_and_nothing_is_stored(client, db):
    cycle, headers = await _opened(client)
    url = f"/api/v1/cycles/{cycle['id']}/responses"
    unknown = await client.post(
        url, headers=headers, json={"service": "KIA", "answers": ANSWERS, "method": "pos"}
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["method"]
    outside = {
        "service": "KIA",
        "answers": ANSWERS,
        "filled_on": "2027-01-01",
        "filled_time": "25:99",
    }
    refused = await client.post(url, headers=headers, json=outside)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"filled_on", "filled_time"}
    assert await Response.count() == 0
