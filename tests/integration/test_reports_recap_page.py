"""The «Unduh laporan rekap» button on /rekap queues the recap report and links to its files."""

from __future__ import annotations

from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.integration.test_reports import answer, open_cycle, run_pending, setup

__all__ = ["setup"]  # the shared fixture


async def test_recap_page_queues_the_recap_report_and_links_to_it(client, setup, hooks, settings):
    cycle = await open_cycle(client, setup)
    await answer(client, cycle, 3)
    await login(client, "boss", PASSWORD)
    csrf = await csrf_token(client, "/rekap?year=2026")
    assert "Unduh laporan rekap" in (await client.get("/rekap?year=2026")).text
    asked = await client.post(
        "/rekap/laporan", data={"_csrf_token": csrf, "year": "2026"}, follow_redirects=False
    )
    assert asked.status_code in (302, 303), asked.text
    target = asked.headers["location"]
    assert target.startswith("/rekap?year=2026&laporan=")
    waiting = await client.get(target)
    assert 'http-equiv="refresh"' in waiting.text and "sedang dibuat" in waiting.text
    await run_pending(hooks, settings)
    ready = await client.get(target)
    assert 'http-equiv="refresh"' not in ready.text and "siap diunduh" in ready.text
    job = target.rsplit("=", 1)[1]
    assert f'href="/laporan/berkas/{job}/xlsx"' in ready.text
    download = await client.get(f"/laporan/berkas/{job}/xlsx")
    assert download.status_code == 200 and download.content.startswith(b"PK")
