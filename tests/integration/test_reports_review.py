"""The report's review loop and the publication register move a cycle to reported and published."""

from __future__ import annotations

from core.audit.tables import AuditEvent
from tests.factories import PASSWORD
from tests.integration.test_reports import answer, open_cycle, run_pending, setup, token

__all__ = ["setup"]  # the shared fixture

BELOW_MINIMUM = {"reason": "uji: sampel di bawah minimum"}


async def test_review_finalise_and_first_publication(client, setup, hooks, settings):
    headers = setup
    admin = await token(client, "boss")
    cycle = await open_cycle(client, headers)
    cid = cycle["id"]
    await answer(client, cycle, 3)

    early = await client.post(f"/api/v1/cycles/{cid}/submit-report", headers=headers)
    assert early.status_code == 409 and "ditutup" in early.json()["detail"]
    closed = await client.post(f"/api/v1/cycles/{cid}/close", headers=headers, json=BELOW_MINIMUM)
    assert closed.status_code == 200
    no_report = await client.post(f"/api/v1/cycles/{cid}/submit-report", headers=headers)
    assert no_report.status_code == 409 and "Buat laporan" in no_report.json()["detail"]

    texts = {
        "kesimpulan": "Pelayanan baik.\n\nPerlu perbaikan waktu.",
        "signature": {"nama": "dr. Siti", "nip": "198001012005012001"},
    }
    saved = await client.put(f"/api/v1/cycles/{cid}/report-texts", headers=headers, json=texts)
    assert saved.status_code == 200, saved.text
    await client.post(f"/api/v1/cycles/{cid}/report", headers=headers)
    await run_pending(hooks, settings)

    submitted = await client.post(f"/api/v1/cycles/{cid}/submit-report", headers=headers)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert (await client.post(f"/api/v1/cycles/{cid}/finalise", headers=headers)).status_code == 403
    short = await client.post(f"/api/v1/cycles/{cid}/return", headers=admin, json={"note": "x"})
    assert short.status_code == 422
    back = await client.post(
        f"/api/v1/cycles/{cid}/return", headers=admin, json={"note": "Lengkapi rekomendasi U3."}
    )
    assert back.json()["status"] == "returned" and back.json()["note"] == "Lengkapi rekomendasi U3."
    await client.post(f"/api/v1/cycles/{cid}/submit-report", headers=headers)

    too_soon = await client.post(
        f"/api/v1/cycles/{cid}/publications",
        headers=headers,
        json={"media": "website", "date": "2026-04-10", "url": "https://pkm.example.id/skm"},
    )
    assert too_soon.status_code == 409
    final = await client.post(f"/api/v1/cycles/{cid}/finalise", headers=admin)
    assert final.json()["cycle_status"] == "reported"
    assert final.json()["status"] == "finalised"

    bad = await client.post(
        f"/api/v1/cycles/{cid}/publications",
        headers=headers,
        json={"media": "tv", "date": "2999-01-01", "url": "ftp://x"},
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"media", "date", "url"}
    first = await client.post(
        f"/api/v1/cycles/{cid}/publications",
        headers=headers,
        json={"media": "website", "date": "2026-04-10", "url": "https://pkm.example.id/skm"},
    )
    assert first.status_code == 201, first.text
    assert first.json()["media_label"] == "Website"
    status = (await client.get(f"/api/v1/cycles/{cid}", headers=headers)).json()["status"]
    assert status == "published"
    await client.post(
        f"/api/v1/cycles/{cid}/publications",
        headers=headers,
        json={"media": "papan_pengumuman", "date": "2026-04-11", "url": "https://x.id/foto"},
    )
    listed = (await client.get(f"/api/v1/cycles/{cid}/publications", headers=headers)).json()
    assert [p["media"] for p in listed] == ["website", "papan_pengumuman"]

    actions = {r["action"] for r in await AuditEvent.select(AuditEvent.action)}
    assert {
        "report.submitted",
        "report.returned",
        "report.finalised",
        "cycle.reported",
        "cycle.published",
        "report.publication_recorded",
        "report.texts_saved",
    } <= actions


async def test_admin_may_finalise_directly_and_edited_texts_reach_the_report(
    client, setup, hooks, settings
):
    from core.accounts.policy import Actor
    from core.reports.content import cycle_report_content

    headers = setup
    admin = await token(client, "boss")
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 2)
    await client.post(f"/api/v1/cycles/{cycle['id']}/close", headers=headers, json=BELOW_MINIMUM)
    await client.put(
        f"/api/v1/cycles/{cycle['id']}/report-texts",
        headers=headers,
        json={"latar_belakang": "Puskesmas kami melayani 3 desa."},
    )
    content = await cycle_report_content(Actor.system(), settings, hooks, cycle["id"])
    assert content.narrative.latar_belakang == ["Puskesmas kami melayani 3 desa."]
    assert content.narrative.edited == ["latar_belakang"]
    assert "Unit PKM-A" in content.narrative.kesimpulan[0]  # written from the data
    await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
    await run_pending(hooks, settings)
    final = await client.post(f"/api/v1/cycles/{cycle['id']}/finalise", headers=admin)
    assert final.status_code == 200 and final.json()["cycle_status"] == "reported"
    locked = await client.put(
        f"/api/v1/cycles/{cycle['id']}/report-texts", headers=headers, json={"kesimpulan": "x"}
    )
    assert locked.status_code == 409


async def test_report_page_generates_shows_progress_then_downloads(client, setup, hooks, settings):
    from tests.conftest import csrf_token, login

    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 3)
    await client.post(f"/api/v1/cycles/{cycle['id']}/close", headers=headers, json=BELOW_MINIMUM)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle['id']}/laporan")
    assert page.status_code == 200, page.text
    assert "BAB III" in page.text and "Belum ada berkas laporan" in page.text
    assert (
        f'href="/cycles/{cycle["id"]}/laporan"' in (await client.get(f"/cycles/{cycle['id']}")).text
    )
    csrf = await csrf_token(client, f"/cycles/{cycle['id']}/laporan")
    made = await client.post(
        f"/cycles/{cycle['id']}/laporan/buat", data={"_csrf_token": csrf}, follow_redirects=False
    )
    assert made.status_code in (302, 303)
    waiting = await client.get(f"/cycles/{cycle['id']}/laporan?ok=dibuat")
    assert 'http-equiv="refresh"' in waiting.text and "Dalam antrean" in waiting.text
    await run_pending(hooks, settings)
    ready = await client.get(f"/cycles/{cycle['id']}/laporan")
    assert 'http-equiv="refresh"' not in ready.text
    assert "/laporan/berkas/" in ready.text and "Unduh XLSX" in ready.text
    printable = await client.get(f"/cycles/{cycle['id']}/laporan/cetak")
    assert printable.status_code == 200 and "@page" in printable.text
    bad = await client.post(
        f"/cycles/{cycle['id']}/laporan/teks",
        data={"_csrf_token": csrf, "kesimpulan": "x" * 5001},
    )
    assert bad.status_code == 422 and "paling panjang 5000 karakter" in bad.text
