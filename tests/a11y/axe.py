"""Run axe-core (from npm, tests/a11y/node_modules) in headless Chromium over pages of Suara.

Reports WCAG 2.0/2.1 A and AA violations of impact *serious* or *critical*, requests to another
origin (no outside fonts, scripts or styles), page weight, and whether the first Tab reaches the
skip link and it moves focus to the content. Pages come either from a live server or, in tests,
from a fetch function (the in-process test client) through Playwright's request routing.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
MAX_WEIGHT = 200_000
WIDTHS = (390, 1280)

Fetch = Callable[[str], Awaitable[tuple[int, dict[str, str], bytes]]]


@dataclass
class PageReport:
    """What the checks found on one page at one width."""

    path: str
    width: int
    violations: list[dict] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    weight: int = 0
    keyboard: str = ""

    @property
    def failures(self) -> list[str]:
        """Every problem, as a line."""
        lines = [
            f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])}×: "
            f"{', '.join(str(n['target']) for n in v['nodes'][:3])})"
            for v in self.violations
        ]
        lines += [f"outside request: {url}" for url in self.outside]
        if self.weight > MAX_WEIGHT:
            lines.append(f"page weighs {self.weight} bytes (> {MAX_WEIGHT})")
        if self.keyboard:
            lines.append(f"keyboard: {self.keyboard}")
        return lines


def missing() -> str | None:
    """Why the check cannot run here (None when it can)."""
    if not AXE_JS.exists():
        return f"axe-core not installed: run `npm ci --prefix {HERE}`"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Python playwright not installed: .venv/bin/pip install playwright"
    return None


async def _keyboard(page) -> str:
    await page.keyboard.press("Tab")
    first = await page.evaluate("document.activeElement && document.activeElement.className")
    if first != "skip":
        return f"the first Tab stops on {first!r}, not the skip link"
    await page.keyboard.press("Enter")
    target = await page.evaluate("document.activeElement && document.activeElement.id")
    return "" if target == "isi" else f"the skip link moves focus to {target!r}, not #isi"


async def check(
    base_url: str, paths: Sequence[str], fetch: Fetch | None = None, widths=WIDTHS
) -> list[PageReport]:
    """Open every path at every width and run the checks; ``fetch`` serves requests in-process."""
    from playwright.async_api import async_playwright

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    reports: list[PageReport] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for width in widths:
                # The site's CSP forbids inline script; only the injected checker is let through.
                context = await browser.new_context(
                    viewport={"width": width, "height": 900}, bypass_csp=True
                )
                for path in paths:
                    reports.append(await _page(context, origin, path, width, fetch))
                await context.close()
        finally:
            await browser.close()
    return reports


async def _page(context, origin: str, path: str, width: int, fetch: Fetch | None) -> PageReport:
    report = PageReport(path, width)
    page = await context.new_page()

    async def route(request_route) -> None:
        url = request_route.request.url
        if not url.startswith(origin):
            if url not in report.outside:
                report.outside.append(url)
            await request_route.abort()
            return
        if fetch is None:
            response = await request_route.fetch()
            body = await response.body()
            report.weight += len(body)
            await request_route.fulfill(response=response, body=body)
            return
        status, headers, body = await fetch(url[len(origin) :])
        report.weight += len(body)
        await request_route.fulfill(status=status, headers=headers, body=body)

    await page.route("**/*", route)
    await page.goto(origin + path, wait_until="load")
    await page.add_script_tag(content=AXE_JS.read_text())
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    report.violations = [v for v in result["violations"] if v["impact"] in BLOCKING]
    report.keyboard = await _keyboard(page)
    await page.close()
    return report
