"""The evaluation pages through the browser's forms: the administrator sets the window, the
unit uploads and blacks out a file and shares a dossier link, the inspector reviews, asks and
resolves; the public link shows the copy only, and dies when revoked."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from core.inspection.reads import local_today
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_user
from tests.integration.inspection_data import build_regency

YEAR = 2026


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def world(db, hooks):
    await build_regency(hooks)
    await make_user("adm", "admin")
    await make_user("op-b", "operator", ("PKM-B",))


async def _post(client, path: str, data: dict, files: dict | None = None, page: str = ""):
    token = await csrf_token(client, page or path.rsplit("/", 1)[0])
    return await client.post(
        path, data={**data, "_csrf_token": token}, files=files, follow_redirects=False
    )


async def test_unit_files_links_and_inspector_review(client, world):
    unit_page = f"/evaluasi/{YEAR}/PKM-A"
    await login(client, "op-a", PASSWORD)
    page = await client.get(unit_page)
    assert page.status_code == 200 and "Slot bukti" in page.text and "Daftar hadir FKP" in page.text
    bad = await _post(client, f"{unit_page}/bukti", {"slot": "publikasi", "medium": ""},
                      {"file": ("a.png", _png(), "image/png")}, unit_page)  # fmt: skip
    assert bad.status_code == 422 and "pilihan:" in bad.text
    sent = await _post(client, f"{unit_page}/bukti", {"slot": "daftar_hadir", "medium": ""},
                       {"file": ("hadir.png", _png(), "image/png")}, unit_page)  # fmt: skip
    assert sent.status_code in (302, 303)
    page = await client.get(unit_page)
    file_id = int(re.search(r'id="file-(\d+)"', page.text).group(1))
    redacted = await _post(client, f"{unit_page}/samarkan/{file_id}", {"boxes": "1 0 0 50 50"},
                           page=unit_page)  # fmt: skip
    assert redacted.status_code in (302, 303)
    original = await client.get(f"/evaluasi/berkas/{file_id}/asli")
    assert original.status_code == 200 and original.content == _png()
    made = await _post(client, f"{unit_page}/tautan", {}, page=unit_page)
    token = re.search(r"/dosir/([0-9]+\.[0-9a-f]+\.[0-9a-f]+)", made.text).group(1)
    await client.get("/logout")
    client.cookies.clear()

    public = await client.get(f"/dosir/{token}")
    assert public.status_code == 200 and "Unit PKM-A" in public.text
    shared = await client.get(f"/dosir/{token}/berkas/{file_id}")
    assert shared.status_code == 200 and shared.content != _png()
    copy = Image.open(io.BytesIO(shared.content)).convert("RGB")
    assert copy.getpixel((5, 5)) == (0, 0, 0)
    anonymous = await client.get(f"/evaluasi/berkas/{file_id}/asli", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401) and anonymous.content != _png()

    await login(client, "op-b", PASSWORD)
    assert (await client.get(unit_page)).status_code == 404
    assert (await client.get(f"/evaluasi/berkas/{file_id}/asli")).status_code == 404
    client.cookies.clear()

    await login(client, "inspektur", PASSWORD)
    reviewed = await _post(client, f"{unit_page}/tinjau",
                           {"indicator": "fkp2", "verdict": "approved", "note": "Daftar hadir lengkap"},
                           page=unit_page)  # fmt: skip
    assert reviewed.status_code in (302, 303)
    asked = await _post(client, f"{unit_page}/klarifikasi",
                        {"indicator": "7", "subject": "Bukti publikasi", "text": "Mohon unggah."},
                        page=unit_page)  # fmt: skip
    assert asked.status_code in (302, 303)
    page = await client.get(unit_page)
    assert "Disetujui" in page.text and "Menunggu jawaban unit" in page.text
    pack = await client.get(f"/kepatuhan/PKM-A/paket?year={YEAR}")
    assert hashlib.sha256(_png()).hexdigest() in pack.text and "Disetujui" in pack.text
    link_id = re.search(r"/tautan/(\d+)/cabut", page.text).group(1)
    await _post(client, f"{unit_page}/tautan/{link_id}/cabut", {}, page=unit_page)
    client.cookies.clear()
    assert (await client.get(f"/dosir/{token}")).status_code == 404


async def test_admin_sets_the_window_and_it_locks(client, world):
    await login(client, "adm", PASSWORD)
    t = local_today()
    days = {
        "opens_on": t - timedelta(days=20),
        "fill_until": t - timedelta(days=1),
        "evaluate_until": t + timedelta(days=9),
        "object_until": t + timedelta(days=19),
    }
    bad = await _post(client, f"/evaluasi/{YEAR}/jadwal",
                      {**{k: v.isoformat() for k, v in days.items()}, "fill_until": "x"},
                      page=f"/evaluasi/{YEAR}")  # fmt: skip
    assert bad.status_code == 422 and "isi tanggal" in bad.text
    saved = await _post(client, f"/evaluasi/{YEAR}/jadwal",
                        {k: v.isoformat() for k, v in days.items()}, page=f"/evaluasi/{YEAR}")  # fmt: skip
    assert saved.status_code in (302, 303)
    page = await client.get(f"/evaluasi/{YEAR}")
    assert "Evaluasi oleh inspektorat" in page.text and "Kelengkapan per unit" in page.text
    assert "Penilaian mandiri (F-01) belum dikirim" in page.text
    client.cookies.clear()

    await login(client, "op-a", PASSWORD)
    unit_page = f"/evaluasi/{YEAR}/PKM-A"
    locked = await _post(client, f"{unit_page}/bukti", {"slot": "foto", "medium": ""},
                         {"file": ("f.png", _png(), "image/png")}, unit_page)  # fmt: skip
    assert locked.status_code == 409 and "tahap pengisian" in locked.text
    page = await client.get(unit_page)
    assert "setiap indikator bernilai 0" in page.text


async def test_evaluation_api(client, world):
    from tests.integration.inspection_data import token

    inspector = await token(client, "inspektur")
    review = {"year": YEAR, "indicator": "6", "verdict": "rejected", "note": "Belum dipublikasi"}
    made = await client.post("/api/v1/units/PKM-A/reviews", json=review, headers=inspector)
    assert made.status_code == 201 and made.json()["score"] == 2
    bad = await client.post(
        "/api/v1/units/PKM-A/reviews", json={**review, "verdict": "ok"}, headers=inspector
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "verdict"
    body = (
        await client.get(f"/api/v1/units/PKM-A/evaluation?year={YEAR}", headers=inspector)
    ).json()
    assert body["reviews"]["6"]["latest"]["verdict"] == "rejected"
    assert body["indicators"]["fkp2"]["score"] == 3 and body["submitted"] is True
    assert {s["code"] for s in body["slots"]} >= {"laporan_skm", "publikasi", "foto"}
    window = {"opens_on": "2027-01-01", "fill_until": "2027-01-31", "evaluate_until": "2027-02-28",
              "object_until": "2027-03-15"}  # fmt: skip
    assert (
        await client.put("/api/v1/evaluations/2027", json=window, headers=inspector)
    ).status_code == 403
    operator = await token(client, "op-b")
    assert (await client.get("/api/v1/units/PKM-A/evaluation", headers=operator)).status_code == 404


async def test_notes_and_missing_items_read_in_english(client, world):
    """The completeness list and the cells' notes are built in the visitor's language."""
    await client.get("/bahasa/en")
    await login(client, "adm", PASSWORD)
    before = (await client.get(f"/kepatuhan?year={YEAR}")).text  # no window: notes of evidence
    assert "no published RTL yet" in before and "0 media" in before and "no forum yet" in before
    assert "3 of the 5 groups of the public present" in before
    assert "Quarter I: cycle not closed yet" in before
    assert "belum ada RTL" not in before and "unsur masyarakat" not in before
    t = local_today()
    days = {"opens_on": t - timedelta(days=20), "fill_until": t - timedelta(days=1),
            "evaluate_until": t + timedelta(days=9), "object_until": t + timedelta(days=19)}  # fmt: skip
    saved = await _post(client, f"/evaluasi/{YEAR}/jadwal",
                        {k: v.isoformat() for k, v in days.items()}, page=f"/evaluasi/{YEAR}")  # fmt: skip
    assert saved.status_code in (302, 303)
    page = (await client.get(f"/evaluasi/{YEAR}")).text
    assert "Self-assessment (F-01) not sent yet" in page
    assert "Evidence missing: " in page and ": not reviewed yet" in page
    assert "belum dikirim" not in page and "Bukti belum ada" not in page
    assert "belum ditinjau" not in page
    matrix = (await client.get(f"/kepatuhan?year={YEAR}")).text
    assert "score 0 (from the evidence alone: " in matrix
    assert "nilai 0" not in matrix and "belum ada RTL" not in matrix
    unit = (await client.get(f"/evaluasi/{YEAR}/PKM-A")).text
    assert "the unit sent neither a self-assessment nor evidence" in unit
    assert "dari bukti saja" not in unit
