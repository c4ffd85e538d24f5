"""Benchmark: `suara skm score FILE.csv` vs a bare streaming Python reader of the same file.

    .venv/bin/python bench/cli_score.py                  # 100,000 and 1,000,000 rows, 3 runs
    .venv/bin/python bench/cli_score.py --rows 250000 --runs 5

Writes respondent files once (deterministic answers, a few blanks, profile and saran columns)
under the temp directory, then runs, alternately, the command as a user would (a new process:
start-up included) and the baseline: a new Python process that streams the file through
csv.reader and counts each U column's values, nothing else (no checks, no scoring). Prints the
median wall time, CPU time and peak memory (RSS) of each and the ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(tempfile.gettempdir()) / "suara-bench-cli"
HEADER = ["No", "Jenis Kelamin", "Usia", *[f"U{n}" for n in range(1, 10)], "Saran"]

BASELINE = """
import csv, sys
from collections import Counter
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    reader = csv.reader(handle)
    header = next(reader)
    columns = [i for i, name in enumerate(header) if name.strip().upper().startswith("U")]
    counts = [Counter() for _ in columns]
    for record in reader:
        for counter, i in zip(counts, columns):
            counter[record[i]] += 1
print(sum(sum(c.values()) for c in counts))
"""


def respondent_file(rows: int) -> Path:
    """A CSV of ``rows`` questionnaires (written once)."""
    path = FILES / f"skm-{rows}.csv"
    if path.exists():
        return path
    FILES.mkdir(parents=True, exist_ok=True)
    rng = random.Random(rows)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for number in range(1, rows + 1):
            answers = [
                "" if rng.random() < 0.01 else str(rng.choice((2, 3, 3, 4, 4))) for _ in range(9)
            ]
            saran = "Antrean di loket terlalu lama" if number % 7 == 0 else ""
            gender = "LP"[number % 2]
            out.write(f"{number},{gender},{18 + number % 60},{','.join(answers)},{saran}\n")
    partial.rename(path)
    return path


def measure(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one process run to its end."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{argv[0]} failed with exit code {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    suara = str(ROOT / ".venv/bin/suara")
    python = str(ROOT / ".venv/bin/python")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    small = respondent_file(10)
    start_up = [measure([suara, "skm", "score", str(small)]) for _ in range(args.runs)]
    print(f"`suara skm score` of a 10-row file (start-up): {_line(start_up)}")
    for rows in args.rows:
        path = respondent_file(rows)
        size = path.stat().st_size / 2**20
        results: dict[str, list[tuple[float, float, float]]] = {"suara": [], "reader": []}
        for _ in range(args.runs):
            results["suara"].append(measure([suara, "skm", "score", str(path)]))
            results["reader"].append(measure([python, "-c", BASELINE, str(path)]))
        print(f"\n{rows:,} rows ({size:.1f} MiB)")
        for name, runs in results.items():
            print(f"  {name:7} {_line(runs)}")
        s, r = (_medians(results[name]) for name in ("suara", "reader"))
        print(
            f"  ratio   wall {s[0] / r[0]:.2f}×, CPU {s[1] / r[1]:.2f}×, memory {s[2] / r[2]:.2f}×"
        )
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


def _medians(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    wall, cpu, rss = (statistics.median(column) for column in zip(*runs, strict=True))
    return wall, cpu, rss


def _line(runs: list[tuple[float, float, float]]) -> str:
    wall, cpu, rss = _medians(runs)
    return f"wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:6.1f} MiB  (median of {len(runs)})"


if __name__ == "__main__":
    main()
