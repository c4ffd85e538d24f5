"""The Laporan Hasil SKM as a job: queued through the outbox, idempotent, files with sha256."""

from __future__ import annotations

import hashlib
import io

import pytest

from core import pdf
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from tests.factories import PASSWORD, make_unit, make_user

ANSWERS = {"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 2}


async def token(client, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def open_cycle(client, headers) -> dict:
    created = await client.post(
        "/api/v1/cycles",
        headers=headers,
        json={
            "unit": "PKM-A",
            "period_type": "tw1",
            "start_date": "2026-01-01",
            "end_date": "2026-03-31",
            "population": 100,
            "services": ["UMUM", "KIA"],
        },
    )
    assert created.status_code == 201, created.text
    opened = await client.post(f"/api/v1/cycles/{created.json()['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    return opened.json()


async def answer(client, cycle: dict, n: int, service: str = "UMUM", **changes) -> None:
    for i in range(n):
        body = {
            "service": service,
            "answers": {**ANSWERS, **changes},
            "profile": {
                "jenis_kelamin": "LP"[i % 2],
                "usia": 30 + i,
                "pendidikan": "S1",
                "pekerjaan": "Swasta",
            },
            "saran": "Waktu tunggu terlalu lama" if i % 3 == 0 else "",
        }
        response = await client.post(f"/api/v1/public/cycles/{cycle['token']}/responses", json=body)
        assert response.status_code == 201, response.text


async def run_pending(hooks, settings) -> int:
    handlers = default_handlers(hooks, settings)
    pending = await OutboxJob.select(OutboxJob.id).where(OutboxJob.done_at.is_null())
    for row in pending:
        await run_job(row["id"], handlers)
    return len(pending)


@pytest.fixture
async def setup(client, db):
    await make_unit("KAB", "pemda")
    await make_unit("PKM-A", "puskesmas", parent="KAB", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("boss", "admin")
    await make_unit("PKM-B", "puskesmas", parent="KAB")
    await make_user("other", "operator", ("PKM-B",))
    return await token(client, "opr")


async def test_report_job_makes_pdf_and_xlsx_once_per_inputs(client, setup, hooks, settings):
    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 6)
    await answer(client, cycle, 3, service="KIA", U9=4)

    asked = await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
    assert asked.status_code == 202, asked.text
    job_id = asked.json()["job"]
    queued = (await client.get(f"/api/v1/jobs/{job_id}", headers=headers)).json()
    assert queued["status"] == "queued" and queued["artifacts"] == []
    assert await OutboxJob.count().where(OutboxJob.kind == "report.render") == 1

    await run_pending(hooks, settings)
    done = (await client.get(f"/api/v1/jobs/{job_id}", headers=headers)).json()
    formats = {a["format"]: a for a in done["artifacts"]}
    pdf_ok = pdf.pdf_available()
    assert done["status"] == ("done" if pdf_ok else "failed"), done
    assert set(formats) >= ({"pdf", "xlsx", "docx", "svg"} if pdf_ok else {"xlsx", "docx", "svg"})
    for artifact in formats.values():
        download = await client.get(artifact["url"], headers=headers)
        assert download.status_code == 200
        assert hashlib.sha256(download.content).hexdigest() == artifact["sha256"]
        assert len(download.content) == artifact["bytes"]
    if pdf_ok:
        assert (await client.get(formats["pdf"]["url"], headers=headers)).content[:5] == b"%PDF-"
    svg = (await client.get(formats["svg"]["url"], headers=headers)).text
    assert "Unit PKM-A" in svg and "Kritik dan saran" in svg and "Mutu pelayanan" in svg
    if "png" in formats:
        png = await client.get(formats["png"]["url"], headers=headers)
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    from docx import Document

    word = Document(io.BytesIO((await client.get(formats["docx"]["url"], headers=headers)).content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "BAB V" in text and "Unit PKM-A" in text and "NIP" in text
    assert len(word.tables[-1].rows) == 1 + 9 + 5  # the processing table: 9 respondents + footer

    # Unchanged data: the same job and files; no new outbox row.
    again = await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
    assert again.json()["job"] == job_id
    assert await OutboxJob.count().where(OutboxJob.kind == "report.render") == 1

    # A new response changes the inputs: a new job.
    await answer(client, cycle, 1)
    changed = await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
    assert changed.json()["job"] != job_id


async def test_processing_footer_matches_the_dashboard_score(client, setup, hooks, settings):
    from openpyxl import load_workbook

    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 4)
    await answer(client, cycle, 3, service="KIA", U3=4, U9=1)
    score = (await client.get(f"/api/v1/cycles/{cycle['id']}/score", headers=headers)).json()[
        "score"
    ]
    job_id = (await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)).json()[
        "job"
    ]
    await run_pending(hooks, settings)
    job = (await client.get(f"/api/v1/jobs/{job_id}", headers=headers)).json()
    xlsx = next(a for a in job["artifacts"] if a["format"] == "xlsx")
    book = load_workbook(io.BytesIO((await client.get(xlsx["url"], headers=headers)).content))
    assert book.sheetnames == [
        "Ringkasan",
        "Pengolahan",
        "Per unsur",
        "Per layanan",
        "Profil responden",
        "Saran",
        "Data mentah",
    ]
    rows = list(book["Pengolahan"].iter_rows(values_only=True))
    assert rows[0][:10] == ("No", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert len(rows) == 1 + 7 + 5
    footer = {row[0]: row[1:] for row in rows[-5:]}
    assert footer["Jumlah nilai per unsur"][2] == 4 * 2 + 3 * 4
    nrr = {u["code"]: u["nrr"] for u in score["unsur"]}
    assert footer["NRR per unsur"][8] == pytest.approx(nrr["U9"], abs=1e-12)
    assert footer["NRR tertimbang per unsur"][0] == pytest.approx(nrr["U1"] / 9, abs=1e-12)
    assert footer["Σ NRR tertimbang"][0] == pytest.approx(score["index"], abs=1e-12)
    assert footer["IKM unit"][0] == pytest.approx(score["konversi"], abs=1e-12)
    raw_header = next(book["Data mentah"].iter_rows(values_only=True))
    assert "source_key" not in raw_header and "submission_token" not in raw_header


async def test_jobs_and_files_are_private_to_who_may_see_the_cycle(client, setup, hooks, settings):
    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 2)
    job_id = (await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)).json()[
        "job"
    ]
    await run_pending(hooks, settings)
    stranger = await token(client, "other")
    assert (
        await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=stranger)
    ).status_code == 404
    assert (await client.get(f"/api/v1/jobs/{job_id}", headers=stranger)).status_code == 404
    assert (
        await client.get(f"/api/v1/jobs/{job_id}/files/xlsx", headers=stranger)
    ).status_code == 404
    assert (await client.get(f"/api/v1/jobs/{job_id}/files/xlsx")).status_code == 401
    assert (await client.get("/api/v1/jobs/999999", headers=headers)).status_code == 404


async def test_without_pango_the_pdf_fails_with_the_berita_acara_message(
    client, setup, hooks, settings, monkeypatch
):
    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 2)

    def no_pango(html: str) -> bytes:
        raise pdf.PdfUnavailable()

    monkeypatch.setattr("core.reports.cycle_report.html_to_pdf", no_pango)
    job_id = (await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)).json()[
        "job"
    ]
    await run_pending(hooks, settings)
    job = (await client.get(f"/api/v1/jobs/{job_id}", headers=headers)).json()
    assert job["status"] == "failed"
    assert "pasang pustaka Pango (apt install libpango-1.0-0 libpangoft2-1.0-0)" in job["error"]
    assert [a["format"] for a in job["artifacts"]][:3] == ["xlsx", "docx", "svg"]
    # Asking again re-queues the failed job instead of piling up new ones.
    again = await client.post(f"/api/v1/cycles/{cycle['id']}/report", headers=headers)
    assert again.json()["job"] == job_id


async def test_per_cycle_exports_without_source_keys(client, setup):
    import csv
    import json

    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 3)
    base = f"/api/v1/cycles/{cycle['id']}/exports"
    raw = await client.get(f"{base}/jawaban.csv", headers=headers)
    assert raw.status_code == 200 and "attachment" in raw.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["no", "layanan", "metode"] and len(rows) == 4
    assert not {"source_key", "submission_token", "entered_by"} & set(rows[0])
    assert (await client.get(f"{base}/jawaban.xlsx", headers=headers)).content[:2] == b"PK"
    results = json.loads((await client.get(f"{base}/hasil.json", headers=headers)).content)
    score = (await client.get(f"/api/v1/cycles/{cycle['id']}/score", headers=headers)).json()
    assert results["konversi"] == pytest.approx(score["score"]["konversi"])
    assert "saran" not in results and "processing" not in results
    assert (await client.get(f"{base}/hasil.csv", headers=headers)).status_code == 200
    missing = await client.get(f"{base}/lain.pdf", headers=headers)
    assert missing.status_code == 404 and "pilihan" in missing.json()["detail"]


async def test_recap_report_job_for_a_year(client, setup, hooks, settings):
    from openpyxl import load_workbook

    headers = setup
    cycle = await open_cycle(client, headers)
    await answer(client, cycle, 3)
    admin = await token(client, "boss")
    assert (await client.post("/api/v1/recap/report?year=2026", headers=headers)).status_code == 403
    asked = await client.post("/api/v1/recap/report?year=2026", headers=admin)
    assert asked.status_code == 202, asked.text
    await run_pending(hooks, settings)
    job = (await client.get(f"/api/v1/jobs/{asked.json()['job']}", headers=admin)).json()
    assert job["kind"] == "recap" and job["year"] == 2026
    formats = {a["format"]: a for a in job["artifacts"]}
    assert "xlsx" in formats and ("pdf" in formats) == pdf.pdf_available()
    book = load_workbook(io.BytesIO((await client.get(formats["xlsx"]["url"], headers=admin)).content))
    assert "Rekap" in book.sheetnames
    again = await client.post("/api/v1/recap/report?year=2026", headers=admin)
    assert again.json()["job"] == asked.json()["job"]
    assert (await client.get(f"/api/v1/jobs/{asked.json()['job']}", headers=headers)).status_code == 403
