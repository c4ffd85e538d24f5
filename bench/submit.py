"""Benchmark: the public submission vs a bare Litestar handler doing the same INSERT, with wrk.

    sudo apt-get install wrk                  # Debian package, once
    .venv/bin/python bench/submit.py          # DATABASE_URL, default suara_bench_submit
    .venv/bin/python bench/submit.py --seconds 30 --connections 16

Creates its own database when missing (never the test suite's, nor bench/score.py's, which this
would grow), migrates it and seeds it once through core's services: a unit, a closed cycle
holding 1,000,000 responses and an open cycle. Then, in one run, it starts `suara run
--no-worker` (port 8118) and the bare app of bench/bare_submit.py (port 8119) on the same
database and drives both with wrk (bench/submit.lua: one questionnaire per request, each with
its own submission token and client address), at full speed and then at about 200 requests/s.
Prints throughput, p50, p99, the server's CPU per request and the PostgreSQL transactions per
request of each, and the ratios. Rows the run stored are deleted again before it starts the next
one. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/suara_bench_submit"
URL = os.environ.get("DATABASE_URL") or DEFAULT_URL
if not URL.startswith(("postgresql://", "postgres://")):
    sys.exit("bench/submit.py needs PostgreSQL (DATABASE_URL=postgresql://…)")
if urlsplit(URL).path.lstrip("/") in ("test", "suara_bench"):
    sys.exit("refusing the 'test' and 'suara_bench' databases; they belong to others")
DATA_DIR = Path(tempfile.gettempdir()) / "suara-bench-submit"
os.environ.update(DATABASE_URL=URL, SUARA_DATA_DIR=str(DATA_DIR))
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

SUARA_PORT, BARE_PORT = 8118, 8119
UNIT, SERVICE = "BENCH-SUB", "UTAMA"
BACKGROUND = 1_000_000
CLOSE_REASON = "Siklus latar bench/submit.py: satu juta jawaban"


async def ensure_database(url: str) -> None:
    """CREATE DATABASE through the maintenance database when it does not exist yet."""
    name = urlsplit(url).path.lstrip("/")
    connection = await asyncpg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    finally:
        await connection.close()


async def seed() -> dict[str, int | str]:
    """The unit, its closed 1 M-response cycle and the open cycle (once); the open cycle's ids."""
    from datetime import date

    from core.accounts.policy import Actor
    from core.db import close_pool, migrate, start_pool
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.surveys import cycles
    from core.surveys.schemas import CycleIn
    from core.surveys.tables import CycleService, SurveyCycle
    from core.units.schemas import ServiceIn, UnitIn
    from core.units.service import create_service, create_unit
    from core.units.tables import Unit

    await migrate()
    await start_pool()
    system, hooks = Actor.system(), Hooks(build_plugin_manager())
    try:
        if not await Unit.exists().where(Unit.code == UNIT):
            await create_unit(system, UnitIn(code=UNIT, name="Puskesmas Bench", kind="puskesmas"))
            await create_service(system, UNIT, ServiceIn(code=SERVICE, name="Layanan Utama"))
            made = []
            for period, start, end in (
                ("tw1", date(2026, 1, 1), date(2026, 3, 31)),
                ("tw2", date(2026, 4, 1), date(2026, 6, 30)),
            ):
                data = CycleIn(
                    unit=UNIT,
                    period_type=period,
                    start_date=start,
                    end_date=end,
                    population=5000,
                    services=[SERVICE],
                )
                made.append(await cycles.create_cycle(system, hooks, data))
                await cycles.open_cycle(system, hooks, made[-1])
            await _background_rows(made[0])
            await cycles.close_cycle(system, hooks, made[0], CLOSE_REASON)
        row = (
            await SurveyCycle.select()
            .where((SurveyCycle.unit.code == UNIT) & (SurveyCycle.status == "open"))
            .first()
        )
        service = await CycleService.select(CycleService.service).where(
            CycleService.cycle == row["id"]
        )
        return {
            "cycle": row["id"],
            "questionnaire": row["questionnaire"],
            "service": service[0]["service"],
            "token": row["public_token"],
        }
    finally:
        await close_pool()


async def _background_rows(cycle_id: int) -> None:
    """1,000,000 responses in one statement, so the table is the size the issue measured at."""
    started = time.perf_counter()
    connection = await asyncpg.connect(URL)
    try:
        await connection.execute(
            "INSERT INTO survey_response (cycle, service, questionnaire, channel, method,"
            " submission_token, source_key, u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin,"
            " usia, pendidikan, pekerjaan, pekerjaan_lain, filled_on, filled_time, saran,"
            " created_at, void_reason)"
            " SELECT c.id, s.service, c.questionnaire, 'online', 'elektronik', 'bg-' || g,"
            " md5(g::text)::varchar(32), 3, 3, 4, 3, 4, 3, 3, 4, 3, 'P', 30, 'S1', 'Swasta',"
            " '', c.start_date + g % 90, '09:30', '', c.start_date::timestamptz + g * interval"
            " '7 seconds', '' FROM survey_cycle c JOIN survey_cycle_service s ON s.cycle = c.id"
            " CROSS JOIN generate_series(1, $2) AS g WHERE c.id = $1",
            cycle_id,
            BACKGROUND,
        )
        await connection.execute("ANALYZE survey_response")
    finally:
        await connection.close()
    print(f"seeded {BACKGROUND:,} background responses in {time.perf_counter() - started:.0f} s")


async def clean_up() -> None:
    """Delete what earlier runs stored (their tokens start with ``wrk-``)."""
    connection = await asyncpg.connect(URL)
    try:
        await connection.execute("DELETE FROM survey_response WHERE submission_token LIKE 'wrk-%'")
    finally:
        await connection.close()


async def database_state() -> tuple[int, dict[int, float]]:
    """Transactions of the bench database so far (committed and rolled back, after a flush), and
    the CPU seconds of each PostgreSQL backend connected to it (the servers' pooled ones)."""
    await asyncio.sleep(1.5)  # backends report their counts when idle, at most once a second
    connection = await asyncpg.connect(URL)
    try:
        count = await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        )
        pids = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    backends = {}
    for row in pids:
        try:
            backends[row["pid"]] = cpu_seconds(row["pid"])
        except FileNotFoundError:  # gone meanwhile
            continue
    return count, backends


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(pid: int, path: str) -> subprocess.Popen[bytes]:
    """py-spy sampling the server (collapsed stacks into path) until sent SIGINT."""
    spy = [str(ROOT / ".venv/bin/py-spy"), "record", "--pid", str(pid), "--format", "raw"]
    process = subprocess.Popen([*spy, "-r", "250", "-o", path], stdout=subprocess.DEVNULL)
    time.sleep(1)
    return process


def serve(argv: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a server and wait until it accepts connections (refuses a port already in use)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"port {port} is already in use: stop that server first")
    log = open(DATA_DIR / f"server-{port}.log", "wb")  # noqa: SIM115 - lives with the process
    process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server on port {port} exited; see {log.name}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"server on port {port} did not start; see {log.name}")


async def drive(
    url: str, pid: int, label: str, seconds: int, connections: int, rate: int = 0
) -> dict[str, float]:
    """One wrk run against url; its RESULT line plus CPU ms and transactions per request."""
    before_cpu, (before_tx, before_db) = cpu_seconds(pid), await database_state()
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(ROOT / "bench/submit.lua")]
    argv += [url, "--", f"{label}{time.time_ns()}", str(rate)]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    cpu, (after_tx, after_db) = cpu_seconds(pid) - before_cpu, await database_state()
    tx = after_tx - before_tx
    db_cpu = sum(seconds - before_db.get(backend, 0.0) for backend, seconds in after_db.items())
    line = next(ln for ln in output.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    requests = max(result["requests"], 1)
    # the two `database_state()` look-ups are transactions of their own: not the server's
    return {
        **result,
        "cpu_ms": cpu * 1000 / requests,
        "db_ms": db_cpu * 1000 / requests,
        "tx": (tx - 2) / requests,
    }


def show(title: str, runs: dict[str, list[dict[str, float]]]) -> None:
    """Each round's figures, then the medians and the ratios of the medians."""
    print(f"\n{title}")
    print(
        f"{'':12} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11}"
        f" {'db CPU ms':>10} {'tx/req':>7}"
    )
    medians = {}
    for name, results in runs.items():
        for number, r in enumerate(results, start=1):
            print(
                f"{name} #{number:<5} {r['rps']:7.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}"
                f" {r['cpu_ms']:11.2f} {r['db_ms']:10.2f} {r['tx']:7.2f}"
                f"   ({r['requests']:.0f} requests,"
                f" {r['errors']:.0f} errors)"
            )
        medians[name] = {key: statistics.median(r[key] for r in results) for key in results[0]}
        m = medians[name]
        print(
            f"{name} median {m['rps']:7.0f} {m['p50_ms']:8.2f} {m['p99_ms']:8.2f}"
            f" {m['cpu_ms']:11.2f} {m['db_ms']:10.2f} {m['tx']:7.2f}"
        )
    suara, bare = medians["suara"], medians["bare"]
    print(
        f"ratio (medians): throughput {suara['rps'] / bare['rps']:.2f}×,"
        f" p50 {suara['p50_ms'] / bare['p50_ms']:.2f}×, p99 {suara['p99_ms'] / bare['p99_ms']:.2f}×,"
        f" CPU per request {suara['cpu_ms'] / bare['cpu_ms']:.2f}× (server),"
        f" {suara['db_ms'] / bare['db_ms']:.2f}× (PostgreSQL)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each app")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--profile", metavar="FILE", help="sample Suara's first run with py-spy into FILE"
    )
    args = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    asyncio.run(ensure_database(URL))
    ids = asyncio.run(seed())
    asyncio.run(clean_up())
    python = str(ROOT / ".venv/bin/python")
    suara_argv = [str(ROOT / ".venv/bin/suara"), "run", "--no-worker", "--port", str(SUARA_PORT)]
    suara = serve(suara_argv, SUARA_PORT, {})
    bare_env = {
        "BARE_DATABASE_URL": URL,
        "BARE_CYCLE": str(ids["cycle"]),
        "BARE_QUESTIONNAIRE": str(ids["questionnaire"]),
        "BARE_SERVICE": str(ids["service"]),
    }
    bare_argv = [python, "-m", "uvicorn", "--factory", "bench.bare_submit:create_app"]
    bare = serve([*bare_argv, "--port", str(BARE_PORT), "--log-level", "info"], BARE_PORT, bare_env)
    pids = {"suara": suara.pid, "bare": bare.pid}
    urls = {
        "suara": f"http://127.0.0.1:{SUARA_PORT}/api/v1/public/cycles/{ids['token']}/responses",
        "bare": f"http://127.0.0.1:{BARE_PORT}/submit",
    }
    full: dict[str, list[dict[str, float]]] = {"suara": [], "bare": []}
    paced: dict[str, list[dict[str, float]]] = {"suara": [], "bare": []}
    try:
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        for name in pids:  # warm-up
            asyncio.run(drive(urls[name], pids[name], "warm", 3, args.connections))
        for number in range(args.rounds):
            order = ["suara", "bare"] if number % 2 == 0 else ["bare", "suara"]
            for name in order:
                spy = None
                if args.profile and name == "suara" and number == 0:
                    spy = profile(suara.pid, args.profile)
                load = (args.seconds, args.connections)
                full[name].append(asyncio.run(drive(urls[name], pids[name], name, *load)))
                if spy is not None:
                    spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
                    spy.wait(timeout=60)
            # two wrk threads sending 100 requests/s each on a fixed schedule, 20 connections
            for name in order:
                load = (args.seconds, 20, 100)
                paced[name].append(asyncio.run(drive(urls[name], pids[name], f"{name}p", *load)))
        show(f"full speed: wrk -t2 -c{args.connections} -d{args.seconds}s", full)
        show(f"200 req/s on a schedule: wrk -t2 -c20 -d{args.seconds}s, 100 req/s a thread", paced)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    finally:
        for process in (suara, bare):
            process.terminate()
            process.wait(timeout=30)
        asyncio.run(clean_up())


if __name__ == "__main__":
    main()
