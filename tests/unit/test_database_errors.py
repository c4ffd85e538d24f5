"""A database that refuses connections answers 503 with Retry-After; a refused value 422 (item 2)."""

import asyncpg
from litestar import get
from litestar.testing import create_test_client

from web.errors import EXCEPTION_HANDLERS


@get("/api/v1/down")
async def down() -> None:
    raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")


@get("/api/v1/nul")
async def nul() -> None:
    raise asyncpg.CharacterNotInRepertoireError("invalid byte sequence for encoding UTF8: 0x00")


def test_refused_connection_is_503_with_retry_after():
    with create_test_client([down, nul], exception_handlers=EXCEPTION_HANDLERS) as client:
        answer = client.get("/api/v1/down")
        assert answer.status_code == 503
        assert int(answer.headers["retry-after"]) > 0
        assert client.get("/api/v1/nul").status_code == 422
