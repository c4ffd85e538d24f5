"""Benchmark: scoring a scope vs the bare SQL aggregation behind it, on 1,000,000 responses.

    .venv/bin/python bench/score.py            # DATABASE_URL, default suara_bench on localhost

Creates the database if missing, migrates it, seeds 100 units x 2 years (only when it is not
seeded yet; one transaction, INSERT ... SELECT over generate_series), then times each scope several
times and prints medians. PostgreSQL only. Prints figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/suara_bench"
URL = os.environ.get("DATABASE_URL") or DEFAULT_URL
if not URL.startswith(("postgresql://", "postgres://")):
    sys.exit("bench/score.py needs PostgreSQL (DATABASE_URL=postgresql://…)")
if urlsplit(URL).path.lstrip("/") == "test":
    sys.exit("refusing to use the 'test' database; it belongs to the test suite")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
os.environ.setdefault("SUARA_DATA_DIR", str(Path(tempfile.gettempdir()) / "suara-bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402

TOTAL_RESPONSES = 1_000_000
UNITS = 100
YEARS = (2025, 2026)
CURRENT_YEAR = 2026
KINDS = ("opd", "kecamatan", "kelurahan_desa", "puskesmas", "rsud", "upt", "sekolah")
SCHEMES = {  # periods per year, by unit number modulo 3
    0: ("tw1", "tw2", "tw3", "tw4"),
    1: ("s1", "s2"),
    2: ("tahunan",),
}
ADMIN = ("bench-admin", "bench-admin-password-1")
REPS = 15


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


async def ensure_database(url: str) -> None:
    """CREATE DATABASE through the maintenance database when it does not exist yet."""
    name = urlsplit(url).path.lstrip("/")
    connection = await asyncpg.connect(_admin_url(url))
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    finally:
        await connection.close()


def _plan() -> list[dict[str, Any]]:
    """Units, their yearly response counts and cycles (deterministic)."""
    from core.surveys.periods import period_dates

    rng = random.Random(1)
    weights = [rng.uniform(0.4, 1.6) for _ in range(UNITS)]
    scale = TOTAL_RESPONSES / sum(weights)
    counts = [round(w * scale) for w in weights]
    counts[-1] += TOTAL_RESPONSES - sum(counts)
    units = []
    for index, total in enumerate(counts, start=1):
        periods = SCHEMES[index % 3]
        cycles = []
        per_year = [total // 2, total - total // 2]
        for year, n_year in zip(YEARS, per_year, strict=True):
            for number, period in enumerate(periods):
                n = n_year // len(periods) + (1 if number < n_year % len(periods) else 0)
                start, end = period_dates(period, year)
                is_last = number == len(periods) - 1
                status = "open" if year == CURRENT_YEAR and is_last else "closed"
                cycles.append(
                    {
                        "year": year,
                        "period": period,
                        "start": start,
                        "end": end,
                        "n": n,
                        "status": status,
                        "population": max(n, round(n * rng.uniform(4, 30))),
                    }
                )
        units.append(
            {
                "code": f"B{index:03d}",
                "kind": KINDS[index % len(KINDS)],
                "mean": rng.uniform(2.9, 3.6),
                "cycles": cycles,
            }
        )
    return units


RESPONSE_INSERT = """
INSERT INTO survey_response (cycle, service, questionnaire, channel, entered_by, import_batch,
    submission_token, source_key, u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin, usia,
    pendidikan, pekerjaan, pekerjaan_lain, filled_on, filled_time, saran, created_at)
SELECT p.cycle, p.services[1 + g % 3], p.questionnaire,
    (ARRAY['online', 'kiosk', 'paper'])[1 + floor(random() * 3)::int], NULL, NULL,
    'bench-' || p.cycle || '-' || g, '',
    {answers},
    CASE WHEN random() < 0.55 THEN 'P' ELSE 'L' END,
    17 + floor(random() * 59)::int,
    (ARRAY['SD', 'SMP', 'SMA', 'SMA', 'SMA', 'D3', 'S1', 'S1', 'S2'])[1 + floor(random() * 9)::int],
    (ARRAY['PNS', 'Swasta', 'Wirausaha', 'Lainnya'])[1 + floor(random() * 4)::int], '',
    p.start_date + floor(random() * p.days)::int, '09:30',
    CASE WHEN random() < 0.3 THEN 'Antrean di loket terlalu lama.' ELSE '' END,
    p.start_date::timestamptz + interval '9 hours'
FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n) AS g
WHERE p.unit_code = ANY($1::text[])
"""


def _answer(code: str) -> str:
    value = "LEAST(4, GREATEST(1, round(p.mean + random() + random() + random() - 1.5)))::smallint"
    blank = 0.03 if code in ("u4", "u9") else 0.005
    return f"CASE WHEN random() < {blank} THEN NULL ELSE {value} END"


async def seed(url: str) -> None:
    """Units, services, questionnaires, cycles and 1,000,000 responses in one transaction."""
    import msgspec

    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.surveys.questionnaires import standard_items

    items = msgspec.json.encode(standard_items(Hooks(build_plugin_manager()))).decode()
    plan = _plan()
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        async with connection.transaction():
            regency = await connection.fetchval(
                "INSERT INTO unit (code, name, kind, parent, address, phone, email, active,"
                " created_at, updated_at) VALUES ('KAB', 'Kabupaten Bench', 'pemda', NULL,"
                " '', '', '', true, now(), now()) RETURNING id"
            )
            await connection.execute(
                "CREATE TEMP TABLE bench_plan (cycle int, unit_code text, services int[],"
                " questionnaire int, mean float8, start_date date, days int, n int)"
                " ON COMMIT DROP"
            )
            plan_rows = []
            for unit in plan:
                unit_id = await connection.fetchval(
                    "INSERT INTO unit (code, name, kind, parent, address, phone, email, active,"
                    " created_at, updated_at) VALUES ($1, $2, $3, $4, '', '', '', true, now(),"
                    " now()) RETURNING id",
                    unit["code"],
                    f"Unit Bench {unit['code']}",
                    unit["kind"],
                    regency,
                )
                services = [
                    await connection.fetchval(
                        "INSERT INTO unit_service (unit, code, name, active, created_at,"
                        " updated_at) VALUES ($1, $2, $3, true, now(), now()) RETURNING id",
                        unit_id,
                        code,
                        f"Layanan {code}",
                    )
                    for code in ("UTAMA", "INFO", "PENGADUAN")
                ]
                questionnaire = await connection.fetchval(
                    "INSERT INTO questionnaire_version (unit, number, items, created_at,"
                    " created_by) VALUES ($1, 1, $2, now(), 'bench') RETURNING id",
                    unit_id,
                    items,
                )
                for number, cycle in enumerate(unit["cycles"]):
                    cycle_id = await connection.fetchval(
                        "INSERT INTO survey_cycle (unit, year, period_type, start_date, end_date,"
                        " population, channels, scoring_method, status, questionnaire,"
                        " public_token, kiosk_token, opened_at, closed_at, created_at,"
                        " updated_at) VALUES ($1, $2, $3, $4, $5, $6,"
                        ' \'["online", "kiosk", "paper"]\', \'skm-14-2017\', $7, $8, $9, $10,'
                        " now(), CASE WHEN $7::varchar = 'closed' THEN now() END, now(), now())"
                        " RETURNING id",
                        unit_id,
                        cycle["year"],
                        cycle["period"],
                        cycle["start"],
                        cycle["end"],
                        cycle["population"],
                        cycle["status"],
                        questionnaire,
                        f"pub-{unit['code']}-{number}",
                        f"kiosk-{unit['code']}-{number}",
                    )
                    for service in services:
                        await connection.execute(
                            "INSERT INTO survey_cycle_service (cycle, service) VALUES ($1, $2)",
                            cycle_id,
                            service,
                        )
                    days = (min(cycle["end"], date(2026, 11, 29)) - cycle["start"]).days + 1
                    plan_rows.append(
                        (
                            cycle_id,
                            unit["code"],
                            services,
                            questionnaire,
                            unit["mean"],
                            cycle["start"],
                            days,
                            cycle["n"],
                        )
                    )
            await connection.copy_records_to_table("bench_plan", records=plan_rows)
            answers = ",\n    ".join(_answer(f"u{n}") for n in range(1, 10))
            insert = RESPONSE_INSERT.format(answers=answers)
            codes = [unit["code"] for unit in plan]
            for chunk in range(0, len(codes), 10):
                await connection.execute(insert, codes[chunk : chunk + 10])
                done = await connection.fetchval("SELECT COUNT(*) FROM survey_response")
                print(f"  seeded {done:>9,} responses  ({time.perf_counter() - started:5.1f} s)")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    print(f"seeded in {time.perf_counter() - started:.1f} s")


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


async def render_dashboard(hooks: Any) -> str:
    """GET the regency dashboard through litestar's test client, or say why it was skipped."""
    from litestar.testing import AsyncTestClient

    from core.settings import Settings
    from web.app import create_app

    # The test client runs the app on a loop of its own: the app opens (and closes) its own pool.
    settings = replace(Settings.from_env(), db_pool=True)
    app = create_app(settings=settings, hooks=hooks)
    paths = {getattr(route, "path", "") for route in app.routes}
    path = next((p for p in ("/rekap", "/recap") if p in paths), None)
    if path is None:
        return "GET /rekap: skipped (the app has no /rekap page yet)"
    import re

    async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
        page = await client.get("/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        form = {"username": ADMIN[0], "password": ADMIN[1]}
        if token:
            form["_csrf_token"] = token.group(1)
        await client.post("/login", data=form)
        url = f"{path}?year={CURRENT_YEAR}"
        first = await client.get(url)
        if first.status_code != 200:
            return f"GET {path}: HTTP {first.status_code}, not timed"
        ms = await median_ms(lambda: client.get(url), reps=5)
    return f"GET {url} (page, HTML {len(first.text):,} bytes): {ms:8.1f} ms"


async def main() -> None:
    from piccolo.querystring import QueryString

    from core import db
    from core.accounts.policy import Actor
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.surveys.recap import year_recap
    from core.surveys.scores import score_scope
    from core.surveys.tables import Response, SurveyCycle
    from core.surveys.tallies import Scope, tallies_by_cycle, tally_sql
    from core.units.tables import Unit

    await ensure_database(URL)
    await db.migrate()
    count = await Response.count()
    if count == 0:
        print(f"seeding {TOTAL_RESPONSES:,} responses across {UNITS} units …")
        await seed(URL)
    elif count != TOTAL_RESPONSES:
        sys.exit(f"{URL} holds {count:,} responses (not a bench database?); drop it to reseed")
    else:
        print(f"already seeded: {count:,} responses")
    hooks = Hooks(build_plugin_manager())
    await db.start_pool()
    try:
        await ensure_admin()
        engine = db.engine()

        # A typical cycle: the one with the median number of responses in the current year.
        sizes = await Response.raw(
            "SELECT r.cycle AS id, COUNT(*) AS n FROM survey_response r"
            " JOIN survey_cycle c ON c.id = r.cycle WHERE c.year = {}"
            " GROUP BY r.cycle ORDER BY n, r.cycle",
            CURRENT_YEAR,
        )
        typical = sizes[len(sizes) // 2]
        cycle = await SurveyCycle.select(SurveyCycle.unit).where(SurveyCycle.id == typical["id"])
        unit_id = cycle[0]["unit"]
        unit = await Unit.select(Unit.code).where(Unit.id == unit_id).first()
        scopes = [
            (f"cycle {typical['id']}", Scope.cycle(typical["id"])),
            (f"unit-year {unit['code']}", Scope.unit_year(unit_id, CURRENT_YEAR)),
            (f"regency-year {CURRENT_YEAR}", Scope.regency_year(CURRENT_YEAR)),
        ]
        print()
        print(f"PostgreSQL, {os.cpu_count()} cores; median of {REPS} runs after a warm-up")
        header = (
            f"{'scope':24} {'responses':>10} {'bare SQL':>9} {'score_scope':>11} {'ratio':>6}"
            f"   {'(min: bare':>10} {'score':>7} {'ratio)':>6}"
        )
        print(header)
        print("-" * len(header))
        for label, scope in scopes:
            sql, params = tally_sql(scope)

            async def bare(sql: str = sql, params: tuple = params) -> Any:
                return await engine.run_querystring(QueryString(sql, *params))

            async def full(scope: Scope = scope) -> Any:
                return await score_scope(hooks, None, scope)

            n = (await bare())[0]["n"]
            bare_times, full_times = await paired_ms(bare, full)
            bare_ms, full_ms = statistics.median(bare_times), statistics.median(full_times)
            bare_min, full_min = min(bare_times), min(full_times)
            flag = "" if full_ms / bare_ms <= 1.5 else "  > 1.5x"
            print(
                f"{label:24} {n:>10,} {bare_ms:>7.1f}ms {full_ms:>9.1f}ms {full_ms / bare_ms:>5.2f}x"
                f"   {bare_min:>8.1f}ms {full_min:>5.1f}ms {full_min / bare_min:>5.2f}x{flag}"
            )
        print()
        actor = Actor.system()
        by_cycle_times, recap_times = await paired_ms(
            lambda: tallies_by_cycle(CURRENT_YEAR),
            lambda: year_recap(actor, hooks, CURRENT_YEAR),
            reps=7,
        )
        by_cycle_ms, recap_ms = statistics.median(by_cycle_times), statistics.median(recap_times)
        recap = await year_recap(actor, hooks, CURRENT_YEAR)
        cells = sum(len(row.cells) for row in recap.rows)
        print(f"tallies_by_cycle({CURRENT_YEAR}) (one grouped query): {by_cycle_ms:8.1f} ms")
        print(
            f"year_recap({CURRENT_YEAR}) ({len(recap.rows)} units, {cells} cycles):"
            f"          {recap_ms:8.1f} ms  ({recap_ms / by_cycle_ms:.2f}x the grouped query)"
        )
    finally:
        await db.close_pool()
    print(await render_dashboard(hooks))


if __name__ == "__main__":
    asyncio.run(main())
