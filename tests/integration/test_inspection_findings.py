"""Findings (temuan) through the API and the pages: who may do what, the life cycle, evidence
files with their sha256, the notices to the unit and the inspector, and the audit trail."""

from __future__ import annotations

import hashlib

import pytest

from core.audit.tables import AuditEvent
from core.inspection.tables import FindingEvidence
from core.jobs.tables import OutboxJob
from tests.conftest import bearer, csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

PDF = b"%PDF-1.4\n% bukti tindak lanjut\n"
FINDING = {
    "unit": "PKM-A",
    "title": "Puskesmas tidak melaksanakan SKM tahun ini",
    "kondisi": "Tidak ada siklus SKM yang dibuka sepanjang 2026.",
    "kriteria": "PermenPAN-RB 14/2017: SKM paling sedikit sekali setahun.",
    "akibat": "Pendapat masyarakat tentang layanan tidak diketahui.",
    "rekomendasi": "Laksanakan SKM triwulan I 2027 dan laporkan hasilnya.",
    "due_date": "2027-01-31",
    "indicator": "6",
}


@pytest.fixture
async def people(db):
    await make_unit("PKM-A", kind="puskesmas")
    await make_unit("PKM-B", kind="puskesmas")
    await make_user("inspektur", "inspector")
    await make_user("op-a", "operator", ("PKM-A",))
    await make_user("op-b", "operator", ("PKM-B",))
    await make_user("admin1", "admin")


async def _jobs(kind: str) -> list[dict]:
    return await OutboxJob.select().where(OutboxJob.kind == kind).order_by(OutboxJob.id)


async def test_life_cycle_over_the_api(client, people):
    inspector = await bearer(client, "inspektur")
    unit_a = await bearer(client, "op-a")
    unit_b = await bearer(client, "op-b")
    admin = await bearer(client, "admin1")

    # Only inspectors record findings: not the unit, not the administrator.
    for headers in (unit_a, admin):
        response = await client.post("/api/v1/findings", json=FINDING, headers=headers)
        assert response.status_code == 403, response.text
    response = await client.post("/api/v1/findings", json=FINDING, headers=inspector)
    assert response.status_code == 201, response.text
    finding = response.json()
    fid = finding["id"]
    assert finding["status"] == "open" and finding["unit"] == "PKM-A"

    # The other unit neither sees nor answers it; the unit sees only its own.
    assert (await client.get(f"/api/v1/findings/{fid}", headers=unit_b)).status_code == 404
    answer = {"text": "SKM TW I 2027 sudah dijadwalkan, SK tim terlampir."}
    response = await client.post(f"/api/v1/findings/{fid}/responses", json=answer, headers=unit_b)
    assert response.status_code == 404
    assert (await client.get("/api/v1/findings", headers=unit_b)).json() == []
    listed = await client.get("/api/v1/findings?unit=PKM-A&status=open", headers=inspector)
    assert [f["id"] for f in listed.json()] == [fid]

    # Nothing to accept before a tanggapan; the refusal names the allowed moves.
    response = await client.post(f"/api/v1/findings/{fid}/accept", headers=inspector)
    assert response.status_code == 409

    response = await client.post(f"/api/v1/findings/{fid}/responses", json=answer, headers=unit_a)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "responded"
    # The unit cannot settle its own finding.
    response = await client.post(f"/api/v1/findings/{fid}/accept", headers=unit_a)
    assert response.status_code == 403

    short = await client.post(
        f"/api/v1/findings/{fid}/return", json={"text": "x"}, headers=inspector
    )
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "text"
    note = {"text": "Lampirkan SK tim dan jadwal pengumpulan data."}
    response = await client.post(f"/api/v1/findings/{fid}/return", json=note, headers=inspector)
    assert response.json()["status"] == "returned"
    response = await client.post(
        f"/api/v1/findings/{fid}/accept", headers=inspector
    )  # returned: the unit must answer again first
    assert response.status_code == 409
    assert "sudah ditanggapi" in response.json()["detail"]

    await client.post(f"/api/v1/findings/{fid}/responses", json=answer, headers=unit_a)
    response = await client.post(f"/api/v1/findings/{fid}/accept", headers=inspector)
    assert response.status_code == 200, response.text
    done = response.json()
    assert done["status"] == "closed"
    assert [e["kind"] for e in done["entries"]] == ["response", "returned", "response", "accepted"]

    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.entity == "finding")
        .order_by(AuditEvent.id)
    ]
    assert actions == [
        "finding.created",
        "finding.responded",
        "finding.returned",
        "finding.responded",
        "finding.closed",
    ]
    events = [job["payload"] for job in await _jobs("finding_notice")]
    assert len(events) == 5
    assert "finding.opened" in str(events[0]) and "finding.closed" in str(events[-1])


async def test_bad_finding_names_every_field(client, people):
    inspector = await bearer(client, "inspektur")
    body = {**FINDING, "unit": "NOPE", "kondisi": " ", "indicator": "12"}
    response = await client.post("/api/v1/findings", json=body, headers=inspector)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"unit", "kondisi", "indicator"}
    response = await client.get("/api/v1/findings?status=maybe", headers=inspector)
    assert response.status_code == 422


async def test_pages_record_answer_with_evidence_and_notify(client, people, settings, hooks):
    from core.inspection.notices import finding_notice
    from core.notifications.tables import Delivery

    await login(client, "inspektur", PASSWORD)
    token = await csrf_token(client, "/temuan/baru")
    form = {**FINDING, "_csrf_token": token}
    response = await client.post("/temuan", data={**form, "due_date": "besok"})
    assert response.status_code == 422 and "isi tanggal" in response.text
    response = await client.post("/temuan", data=form, follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    path = response.headers["location"].split("?")[0]
    page = await client.get(path)
    assert "Puskesmas tidak melaksanakan SKM" in page.text and "Kirim tanggapan" not in page.text
    await client.get("/logout")

    # The new finding reaches the unit's operator (the in-app channel at least).
    job = (await _jobs("finding_notice"))[0]
    assert await finding_notice(_payload(job), hooks, settings) >= 1
    recipients = [r["recipient"] for r in await Delivery.select(Delivery.recipient)]
    assert recipients  # op-a's in-app inbox and e-mail (if any) — never op-b
    op_b = await make_user("op-b2", "operator", ("PKM-B",))
    assert str(op_b.user_id) not in recipients

    await login(client, "op-a", PASSWORD)
    page = await client.get(path)
    assert "Kirim tanggapan" in page.text and "Keputusan pemeriksa" not in page.text
    token = await csrf_token(client, path)
    bad = await client.post(
        f"{path}/tanggapan",
        data={"text": "Bukti terlampir", "_csrf_token": token},
        files={"files": ("bukti.pdf", b"MZ not a pdf", "application/pdf")},
    )
    assert bad.status_code == 422 and "bukti.pdf" in bad.text
    assert await FindingEvidence.count() == 0
    response = await client.post(
        f"{path}/tanggapan",
        data={"text": "SK tim SKM terlampir.", "_csrf_token": token},
        files={"files": ("SK tim.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    evidence = await FindingEvidence.select().first()
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (settings.data_dir / evidence["path"]).read_bytes() == PDF
    page = await client.get(path)
    assert "SK tim.pdf" in page.text and evidence["sha256"][:12] in page.text
    download = await client.get(f"{path}/bukti/{evidence['id']}")
    assert download.status_code == 200 and download.content == PDF
    await client.get("/logout")

    await login(client, "op-b", PASSWORD)
    assert (await client.get(path)).status_code == 404
    assert (await client.get(f"{path}/bukti/{evidence['id']}")).status_code == 404


def _payload(job: dict) -> dict:
    import json

    payload = job["payload"]
    return json.loads(payload) if isinstance(payload, str) else payload
