"""Benchmark: the Laporan Hasil SKM of a large cycle vs a bare WeasyPrint render and a bare openpyxl write.

    .venv/bin/python bench/report.py                 # 10,000 responses (the issue's size)
    .venv/bin/python bench/report.py --responses 2000
    .venv/bin/python bench/report.py --only xlsx     # the XLSX pair only (the PDF pair takes minutes)

Builds a fresh SQLite database in a temporary data directory (one unit, one cycle, N responses
with random answers and profiles), then times, in one run:

- **report PDF**: the job's path — content from core's data and the scoring service, HTML from the
  shared template, WeasyPrint — against a **bare WeasyPrint** render of the very same HTML;
- **report XLSX**: the content (which reads the responses once, for the processing table, the
  saran and data mentah) and the seven-sheet workbook against a **bare openpyxl** write-only
  workbook of the same rows (data mentah and the processing table), computed outside the timing.

Prints the medians and ratios of wall time and of the process's CPU time (the machine is shared;
CPU time is what load does not inflate) and the load average (target ≤ 1.3× each); asserts nothing.
``--only xlsx`` (or ``pdf``) times one pair.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA_DIR = Path(tempfile.mkdtemp(prefix="suara-bench-report-"))
os.environ["SUARA_DATA_DIR"] = str(DATA_DIR)
os.environ["DATABASE_URL"] = f"sqlite:///{DATA_DIR / 'bench.sqlite3'}"
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def seed(responses: int) -> int:
    """One regency, one puskesmas with two services, one closed cycle of ``responses`` answers."""
    from datetime import date

    from core import db
    from core.accounts.policy import Actor
    from core.clock import utcnow
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.surveys import cycles
    from core.surveys.schemas import CycleIn
    from core.surveys.tables import Response, SurveyCycle
    from core.units.schemas import ServiceIn, UnitIn
    from core.units.service import create_service, create_unit

    await db.migrate()
    system, hooks = Actor.system(), Hooks(build_plugin_manager(load_entry_points=False))
    await create_unit(system, UnitIn(code="KAB", name="Pemerintah Kabupaten Bench", kind="pemda"))
    unit = await create_unit(
        system, UnitIn(code="PKM", name="Puskesmas Bench", kind="puskesmas", parent="KAB")
    )
    for code in ("UMUM", "KIA"):
        await create_service(system, "PKM", ServiceIn(code=code, name=f"Layanan {code}"))
    cycle_id = await cycles.create_cycle(
        system,
        hooks,
        CycleIn(
            unit="PKM",
            period_type="tahunan",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            population=50_000,
            services=["UMUM", "KIA"],
        ),
    )
    await cycles.open_cycle(system, hooks, cycle_id)
    cycle = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    rng, now = random.Random(1), utcnow()
    rows = [
        Response(
            cycle=cycle_id,
            questionnaire=cycle["questionnaire"],
            channel="paper",
            submission_token=f"bench-{i}",
            created_at=now,
            jenis_kelamin=rng.choice("LP"),
            usia=rng.randint(17, 75),
            pendidikan=rng.choice(("SMA", "S1", "SMP", "D3")),
            pekerjaan=rng.choice(("Swasta", "PNS", "Wirausaha", "Lainnya")),
            saran=rng.choice(("", "", "", "Waktu tunggu terlalu lama", "Petugas ramah")),
            **{f"u{n}": rng.choice((2, 3, 3, 4, 4)) for n in range(1, 10)},
        )
        for i in range(responses)
    ]
    for start in range(0, len(rows), 1000):
        await Response.insert(*rows[start : start + 1000])
    await cycles.close_cycle(system, hooks, cycle_id)
    assert unit.id
    return cycle_id


def median_of(runs: int, action: Callable[[], Any]) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (every thread) of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


async def main(responses: int, runs: int, only: str | None) -> None:
    from openpyxl import Workbook
    from weasyprint import HTML

    from core.accounts.policy import Actor
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager
    from core.reports.content import cycle_report_content
    from core.reports.exports import raw_rows
    from core.reports.render import html_to_pdf, report_document
    from core.reports.workbook import report_workbook
    from core.settings import Settings

    print(f"seeding {responses:,} responses into {DATA_DIR} …")
    cycle_id = await seed(responses)
    settings, hooks = Settings.from_env(), Hooks(build_plugin_manager(load_entry_points=False))
    loop = asyncio.get_running_loop()

    async def content():
        return await cycle_report_content(Actor.system(), settings, hooks, cycle_id)

    def ours_pdf() -> None:
        c = asyncio.run_coroutine_threadsafe(content(), loop).result()
        html_to_pdf(report_document(c))

    def ours_xlsx() -> None:
        report_workbook(asyncio.run_coroutine_threadsafe(content(), loop).result())

    c = await content()
    html = report_document(c) if only != "xlsx" else ""
    header, raw = raw_rows(c)

    def bare_pdf() -> None:
        HTML(string=html).write_pdf()

    def bare_xlsx() -> None:
        book = Workbook(write_only=True)
        for name, table in (("Data mentah", [header, *raw]), ("Pengolahan", c.processing.rows)):
            sheet = book.create_sheet(name)
            for row in table:
                sheet.append(row)
        book.save(io.BytesIO())

    def measure(action: Callable[[], Any]) -> tuple[float, float]:
        return median_of(runs, action)

    pairs = {
        "PDF": (("report PDF", ours_pdf), ("bare WeasyPrint", bare_pdf)),
        "XLSX": (("report XLSX", ours_xlsx), ("bare openpyxl", bare_xlsx)),
    }
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for kind, pair in pairs.items():
        if only and kind.lower() != only:
            continue
        figures = {}
        for name, action in pair:
            figures[name] = await asyncio.to_thread(measure, action)
            wall, cpu = figures[name]
            print(f"{name:>16}: {wall:8.2f} s wall, {cpu:8.2f} s CPU (medians of {runs})")
        (ours, ours_cpu), (bare, bare_cpu) = (figures[name] for name, _ in pair)
        print(
            f"{kind:<4} ratio: {ours / bare:.2f}× wall, {ours_cpu / bare_cpu:.2f}× CPU (target ≤ 1.3×)"
        )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", choices=("pdf", "xlsx"), help="time one pair only (default: both)"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.responses, arguments.runs, arguments.only))
