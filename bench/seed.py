"""Seeding the bench databases: a regency of 100 units over two years, N responses, in one go.

Units, services, questionnaires and cycles are plain INSERTs; the responses one
``INSERT … SELECT … FROM generate_series`` per ten units, in one transaction. Deterministic plan
(unit sizes, means), random answers; every response unsealed (``bench/score.py`` then seals
them as the beat would).
"""

from __future__ import annotations

import random
import time
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

UNITS = 100
YEARS = (2025, 2026)
CURRENT_YEAR = 2026
SEEDED_UNTIL = date(2026, 11, 29)  # the current year's responses are spread up to this day
SEEDED_DAYS = (SEEDED_UNTIL - date(CURRENT_YEAR, 1, 1)).days + 1
KINDS = ("opd", "kecamatan", "kelurahan_desa", "puskesmas", "rsud", "upt", "sekolah")
SCHEMES = {  # periods per year, by unit number modulo 3
    0: ("tw1", "tw2", "tw3", "tw4"),
    1: ("s1", "s2"),
    2: ("tahunan",),
}


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


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


def _plan(total_responses: int) -> list[dict[str, Any]]:
    """Units, their yearly response counts and cycles (deterministic)."""
    from core.surveys.periods import period_dates

    rng = random.Random(1)
    weights = [rng.uniform(0.4, 1.6) for _ in range(UNITS)]
    scale = total_responses / sum(weights)
    counts = [round(w * scale) for w in weights]
    counts[-1] += total_responses - sum(counts)
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


async def seed(url: str, total_responses: int) -> None:
    """Units, services, questionnaires, cycles and N responses in one transaction."""
    import msgspec

    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.surveys.questionnaires import standard_items

    items = msgspec.json.encode(standard_items(Hooks(build_plugin_manager()))).decode()
    plan = _plan(total_responses)
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
                        " public_token, opened_at, closed_at, created_at,"
                        " updated_at) VALUES ($1, $2, $3, $4, $5, $6,"
                        ' \'["online", "kiosk", "paper"]\', \'skm-14-2017\', $7, $8, $9,'
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
                    )
                    for service in services:
                        await connection.execute(
                            "INSERT INTO survey_cycle_service (cycle, service) VALUES ($1, $2)",
                            cycle_id,
                            service,
                        )
                    days = (min(cycle["end"], SEEDED_UNTIL) - cycle["start"]).days + 1
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
