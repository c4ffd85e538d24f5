"""Benchmark: the score call and the recap vs the minimal SQL and vs rows loaded into Python.

    .venv/bin/python bench/score.py                 # 10k, 100k and 1M responses, one run
    .venv/bin/python bench/score.py 100000          # one size

Per size a database <BENCH_DB>_<size> (BENCH_DB defaults to suara_bench_g1) on BENCH_POSTGRES
(default postgres@127.0.0.1:5432) is created if missing, migrated and seeded once (100 units x 2
years; one transaction, INSERT ... SELECT over generate_series). Every run then leaves it as the
beat would: every cycle sealed (core.surveys.kept.seal_all), except an unsealed tail of the latest
responses of open cycles, one sealing interval at TAIL_PEAK times the year's average rate. Each
figure is timed several times and the medians printed. PostgreSQL only; asserts nothing.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

SERVER = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
SIZES = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
if len(SIZES) > 1:  # one process per size: the Piccolo engine is chosen once, at import
    import subprocess

    for size in SIZES:
        subprocess.run([sys.executable, __file__, str(size)], check=True)
    sys.exit(0)
TOTAL_RESPONSES = SIZES[0]
URL = f"{SERVER}/{os.environ.get('BENCH_DB', 'suara_bench_g1')}_{TOTAL_RESPONSES}"
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
os.environ.setdefault("SUARA_DATA_DIR", str(Path(tempfile.gettempdir()) / "suara-bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from seed import CURRENT_YEAR, SEEDED_DAYS, UNITS, ensure_database, seed  # noqa: E402

ADMIN = ("bench-admin", "bench-admin-password-1")
REPS = 11
TAIL_PEAK = 10
"""The unsealed tail: one sealing interval of submissions at this many times the average rate."""


async def ensure_admin() -> None:
    from core.accounts.policy import Actor
    from core.accounts.service import create_user
    from core.accounts.tables import User

    if not await User.exists().where(User.username == ADMIN[0]):
        await create_user(Actor.system(), ADMIN[0], "admin", ADMIN[1])


async def median_ms(fn: Callable[[], Awaitable[Any]], reps: int = REPS) -> float:
    await fn()  # warm-up
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def paired_ms(
    bare: Callable[[], Awaitable[Any]], full: Callable[[], Awaitable[Any]], reps: int = REPS
) -> tuple[list[float], list[float]]:
    """Times of the two, run alternately so drift (cache, other load) hits both alike."""
    await bare()
    await full()
    bare_times: list[float] = []
    full_times: list[float] = []
    for _ in range(reps):
        for fn, bucket in ((bare, bare_times), (full, full_times)):
            started = time.perf_counter()
            await fn()
            bucket.append((time.perf_counter() - started) * 1000)
    return bare_times, full_times


async def render_recap(hooks: Any, year: int) -> list[tuple[str, float, int]]:
    """GET /rekap, /rekap.xlsx and /rekap.csv for a year through litestar's test client."""
    import re

    from litestar.testing import AsyncTestClient

    from core.settings import Settings
    from web.app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per timed request
    # The test client runs the app on a loop of its own: the app opens (and closes) its own pool.
    settings = replace(Settings.from_env(), db_pool=True)
    app = create_app(settings=settings, hooks=hooks)
    found = []
    async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
        page = await client.get("/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        form = {"username": ADMIN[0], "password": ADMIN[1]}
        if token:
            form["_csrf_token"] = token.group(1)
        await client.post("/login", data=form)
        for path in ("/rekap", "/rekap.xlsx", "/rekap.csv"):
            url = f"{path}?year={year}"
            first = await client.get(url)
            if first.status_code != 200:
                raise RuntimeError(f"GET {url}: HTTP {first.status_code}")
            found.append(
                (url, await median_ms(lambda u=url: client.get(u), reps=7), len(first.content))
            )
    return found


def minimal_sql(scope: Any) -> tuple[str, tuple[Any, ...]]:
    """The least SQL that yields a scope's tally: COUNT(*) FILTER per unsur and value."""
    from core.surveys.tables import COUNTED_SQL

    columns = ", ".join(
        f"COUNT(*) FILTER (WHERE r.u{n} = {v}) AS u{n}_{v}"
        for n in range(1, 10)
        for v in (1, 2, 3, 4)
    )
    sql = (
        f"SELECT COUNT(*) AS n, {columns} FROM survey_response r"
        f" JOIN survey_cycle c ON c.id = r.cycle WHERE {COUNTED_SQL} AND {scope.where}"
    )
    return sql, scope.params


def rows_sql(scope: Any) -> tuple[str, tuple[Any, ...]]:
    """Every counted response of a scope, its nine answers only (to count them in Python)."""
    from core.surveys.tables import COUNTED_SQL

    columns = ", ".join(f"r.u{n}" for n in range(1, 10))
    sql = (
        f"SELECT {columns} FROM survey_response r JOIN survey_cycle c ON c.id = r.cycle"
        f" WHERE {COUNTED_SQL} AND {scope.where}"
    )
    return sql, scope.params


def tail_size() -> int:
    """One sealing interval's submissions: the current year's responses over its working
    quarter-hours (8 h a day, every seeded day), times TAIL_PEAK."""
    from core.surveys.kept import SEAL_EVERY

    intervals = SEEDED_DAYS * 8 * 3600 / SEAL_EVERY.total_seconds()
    return math.ceil(TAIL_PEAK * TOTAL_RESPONSES / 2 / intervals)


async def seal_as_the_beat_would(tail: int) -> int:
    """Seal every cycle (what the beat does), then leave the latest ``tail`` responses of open
    cycles unsealed, as if they arrived after the last seal. Returns the cycles sealed."""
    from core.db import atomic
    from core.surveys.kept import hold, rewrite, seal_all
    from core.surveys.tables import Response

    sealed = await seal_all()
    latest = await Response.raw(
        "SELECT r.id, r.cycle FROM survey_response r JOIN survey_cycle c ON c.id = r.cycle"
        " WHERE c.status = 'open' ORDER BY r.created_at DESC, r.id DESC LIMIT {}",
        tail,
    )
    async with atomic():
        cycles = sorted({row["cycle"] for row in latest})
        for cycle_id in cycles:
            await hold(cycle_id)
        await Response.update({Response.sealed: False}).where(
            Response.id.is_in([row["id"] for row in latest] or [0])
        )
        for cycle_id in cycles:  # the invariant: kept rows = the sealed responses' counts
            await rewrite(cycle_id)
    return sealed


async def typical_cycle(status: str) -> dict[str, Any]:
    """The cycle of the current year with the median number of responses, among ``status`` ones."""
    from core.surveys.tables import Response

    sizes = await Response.raw(
        "SELECT r.cycle AS id, c.unit AS unit, COUNT(*) AS n FROM survey_response r"
        " JOIN survey_cycle c ON c.id = r.cycle WHERE c.year = {} AND c.status = {}"
        " GROUP BY r.cycle, c.unit ORDER BY n, r.cycle",
        CURRENT_YEAR,
        status,
    )
    return sizes[len(sizes) // 2]


async def main() -> None:
    from piccolo.querystring import QueryString

    from core import db
    from core.accounts.policy import Actor
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.surveys.recap import year_recap
    from core.surveys.scores import score_of, score_scope, standard_only
    from core.surveys.tables import Response
    from core.surveys.tallies import Scope, TallyResult

    await ensure_database(URL)
    await db.migrate()
    count = await Response.count()
    if count == 0:
        print(f"seeding {TOTAL_RESPONSES:,} responses across {UNITS} units …")
        await seed(URL, TOTAL_RESPONSES)
    elif count != TOTAL_RESPONSES:
        sys.exit(f"{URL} holds {count:,} responses (not a bench database?); drop it to reseed")
    hooks = Hooks(build_plugin_manager())
    await db.start_pool()
    try:
        await ensure_admin()
        started = time.perf_counter()
        tail = tail_size()
        sealed = await seal_as_the_beat_would(tail)
        print(
            f"sealed {sealed} cycles and left the latest {tail:,} responses of open cycles unsealed"
            f" (one {TAIL_PEAK}x-average interval) in {time.perf_counter() - started:.1f} s"
        )
        await Response.raw("ANALYZE")  # kept rows and flags written just now
        engine = db.engine()
        closed, live = await typical_cycle("closed"), await typical_cycle("open")
        scopes = [
            ("cycle, closed (kept)", Scope.cycle(closed["id"])),
            ("cycle, open (kept+tail)", Scope.cycle(live["id"])),
            (f"unit-year {CURRENT_YEAR}", Scope.unit_year(live["unit"], CURRENT_YEAR)),
            (f"regency-year {CURRENT_YEAR - 1}", Scope.regency_year(CURRENT_YEAR - 1)),
            (f"regency-year {CURRENT_YEAR}", Scope.regency_year(CURRENT_YEAR)),
        ]
        standard = standard_only(hooks, None)
        print()
        print(
            f"PostgreSQL, {TOTAL_RESPONSES:,} responses, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f};"
            f" median of {REPS} alternated runs after a warm-up"
        )
        header = (
            f"{'scope':24} {'responses':>10} {'minimal SQL':>11} {'score call':>10} {'ratio':>6}"
            f" {'rows→Python':>11} {'ratio':>6}"
        )
        print(header)
        print("-" * len(header))
        for label, scope in scopes:
            sql, params = minimal_sql(scope)
            rows_query, _ = rows_sql(scope)

            async def bare(sql: str = sql, params: tuple = params) -> Any:
                return await engine.run_querystring(QueryString(sql, *params))

            async def full(scope: Scope = scope) -> Any:
                return await score_scope(hooks, None, scope)

            async def python(sql: str = rows_query, params: tuple = params) -> Any:
                result = TallyResult()
                for row in await engine.run_querystring(QueryString(sql, *params)):
                    result.respondents += 1
                    for n in range(1, 10):
                        if (value := row[f"u{n}"]) is not None:
                            counts = result.tally.setdefault(f"U{n}", {})
                            counts[value] = counts.get(value, 0) + 1
                return score_of(hooks, None, result, standard)

            n = (await bare())[0]["n"]
            bare_times, full_times = await paired_ms(bare, full)
            python_ms = await median_ms(python, reps=max(3, REPS // 3))
            bare_ms, full_ms = statistics.median(bare_times), statistics.median(full_times)
            print(
                f"{label:24} {n:>10,} {bare_ms:>9.2f}ms {full_ms:>8.2f}ms {full_ms / bare_ms:>5.2f}x"
                f" {python_ms:>9.1f}ms {python_ms / bare_ms:>5.1f}x"
            )
        print()
        actor = Actor.system()
        for year in (CURRENT_YEAR - 1, CURRENT_YEAR):
            recap = await year_recap(actor, hooks, year)
            cells = [cell for row in recap.rows for cell in row.cells]
            open_n = sum(cell.collected for cell in cells if cell.provisional)
            unsealed = await Response.count().where(
                Response.sealed.eq(False) & (Response.cycle.year == year)
            )
            ms = await median_ms(lambda y=year: year_recap(actor, hooks, y), reps=7)
            print(
                f"year_recap({year}): {len(recap.rows)} units, {len(cells)} cycles,"
                f" {open_n:,} responses in open cycles, {unsealed:,} unsealed (counted live):"
                f" {ms:8.1f} ms"
            )
    finally:
        await db.close_pool()
    for year in (CURRENT_YEAR - 1, CURRENT_YEAR):
        for url, ms, size in await render_recap(hooks, year):
            print(f"GET {url:24} ({size:>9,} bytes): {ms:8.1f} ms")
    print(f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min)")


if __name__ == "__main__":
    asyncio.run(main())
