"""The baseline of bench/submit.py: a bare Litestar handler doing the INSERT a public submission
stores, on an asyncpg pool of the size Suara's is — no validation, no pace, no duplicate check.

    uvicorn --factory bench.bare_submit:create_app   (bench/submit.py starts it)

Reads BARE_DATABASE_URL, BARE_CYCLE, BARE_QUESTIONNAIRE and BARE_SERVICE from the environment.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, post

COLUMNS = (
    "cycle, questionnaire, service, channel, method, submission_token, source_key, "
    "u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin, usia, pendidikan, pekerjaan, "
    "pekerjaan_lain, filled_on, filled_time, saran, created_at, void_reason"
)
INSERT = (
    f"INSERT INTO survey_response ({COLUMNS}) VALUES ("
    + ", ".join(f"${n}" for n in range(1, 27))
    + ") RETURNING id"
)


class Body(msgspec.Struct):
    """The public submission's body."""

    answers: dict[str, int]
    service: str | None = None
    profile: dict[str, Any] = msgspec.field(default_factory=dict)
    saran: str = ""
    submission_token: str | None = None


def create_app() -> Litestar:
    """The bare app: POST /submit stores the body as one response."""
    cycle = int(os.environ["BARE_CYCLE"])
    questionnaire = int(os.environ["BARE_QUESTIONNAIRE"])
    service = int(os.environ["BARE_SERVICE"])
    pools: list[asyncpg.Pool] = []

    async def start() -> None:
        pools.append(
            await asyncpg.create_pool(os.environ["BARE_DATABASE_URL"], min_size=1, max_size=10)
        )

    async def stop() -> None:
        await pools[0].close()

    @post("/submit")
    async def submit(data: Body) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC)
        answers = [data.answers.get(f"U{n}") for n in range(1, 10)]
        p = data.profile
        row_id = await pools[0].fetchval(
            INSERT,
            cycle,
            questionnaire,
            service,
            "online",
            "elektronik",
            data.submission_token,
            "",
            *answers,
            p.get("jenis_kelamin", ""),
            p.get("usia"),
            p.get("pendidikan", ""),
            p.get("pekerjaan", ""),
            "",
            now.date(),
            now.strftime("%H:%M"),
            data.saran,
            now,
            "",
        )
        return {"id": row_id, "cycle": cycle, "duplicate": False}

    return Litestar(route_handlers=[submit], on_startup=[start], on_shutdown=[stop])
