"""Accessibility check of the portal against a running Suara (see README, "Accessibility check").

    npm ci --prefix tests/a11y && .venv/bin/pip install playwright
    .venv/bin/python -m tests.a11y.check_portal http://127.0.0.1:8000

Checks the home page, a search, every unit page the public API lists (up to --units) and the
open-data page at 390 and 1280 px; exits 1 on any serious or critical axe-core violation, a
request to another site, a page over 200 KB, or a broken skip link.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import urllib.request

from tests.a11y.axe import check, missing


def _unit_paths(base_url: str, limit: int) -> list[str]:
    with urllib.request.urlopen(f"{base_url}/api/v1/public/units", timeout=30) as response:
        units = json.load(response)
    published = [u for u in units if u["latest"]] + [u for u in units if not u["latest"]]
    return [f"/transparansi/unit/{u['code']}" for u in published[:limit]]


def main(argv: list[str] | None = None) -> int:
    """Run the check; 0 when nothing blocking was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--units", type=int, default=3, help="unit pages to check")
    args = parser.parse_args(argv)
    reason = missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    base = args.base_url.rstrip("/")
    paths = ["/", "/transparansi?q=puskesmas", "/data-terbuka", *_unit_paths(base, args.units)]
    failed = 0
    for report in asyncio.run(check(base, paths)):
        problems = report.failures
        failed += bool(problems)
        status = "ok" if not problems else "FAIL"
        print(f"{status:4} {report.width:>4}px {report.path} ({report.weight // 1024} KB)")
        for line in problems:
            print(f"     {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
