"""A fuzz run over the whole OpenAPI document: no operation answers a 5xx (issue 14).

Schemathesis generates requests for every operation from the app's own document, as data that
fits the schema and as data that does not, and sends them to the app served by uvicorn, signed in
as the administrator and as nobody. A few examples per operation and mode keep the run to a
couple of minutes; any 5xx fails it, naming the operation and the request that caused it.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.integration import route_world as rw

EXAMPLES_PER_MODE = 3
# /healthz answers 503 while no worker runs, as here: it reports, it does not fail.
NO_WORKER = ("/healthz", 503)


@pytest.fixture
async def world(demo_regency):
    """The demo regency (restored from its snapshot) and the route world on top."""
    return await rw.seed_world()


def _headers(live_url: str, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    answer = requests.post(
        f"{live_url}/api/v1/auth/token",
        json={"username": role, "password": rw.PASSWORDS[role]},
        timeout=30,
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _server_errors(live_url: str, headers: dict[str, str], operation, mode) -> list[str]:
    found: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @examples(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        answer = case.call(base_url=live_url, headers=headers, timeout=60)
        if answer.status_code >= 500 and (case.path, answer.status_code) != NO_WORKER:
            found.append(
                f"{operation.label} ({mode}) → {answer.status_code}: {case.as_curl_command()}"
            )

    try:
        run()
    except Unsatisfiable:  # nothing in the operation can be made invalid (no parameters, no body)
        assert mode == GenerationMode.NEGATIVE, operation.label
    return found


@pytest.mark.parametrize("role", ["admin", "anonymous"])
def test_no_operation_answers_a_server_error(live_url, world, no_worker, role):
    document = requests.get(f"{live_url}/schema/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    headers = _headers(live_url, role)
    errors: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            errors += _server_errors(live_url, headers, operation, mode)
    assert operations == len(document_operations(document))
    assert not errors, "\n".join(errors)


def document_operations(document: dict) -> list[tuple[str, str]]:
    """Every (method, path) of the document."""
    return [(method, path) for path, item in document["paths"].items() for method in item]
