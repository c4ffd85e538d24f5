"""The SKM flow over the JSON API: cycle, open, public answers, paper entry, import, close, score."""

import json
from fractions import Fraction

from core.audit.tables import AuditEvent
from tests.conftest import bearer
from tests.factories import make_unit, make_user

ANSWERS = {"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 2}
PROFILE = {"jenis_kelamin": "L", "usia": 34, "pendidikan": "S1", "pekerjaan": "Swasta"}


async def _open_cycle(client, headers, population=100) -> dict:
    response = await client.post(
        "/api/v1/cycles",
        headers=headers,
        json={
            "unit": "PKM-A",
            "period_type": "tw1",
            "start_date": "2026-01-01",
            "end_date": "2026-03-31",
            "population": population,
            "services": ["UMUM", "KIA"],
        },
    )
    assert response.status_code == 201, response.text
    cycle = response.json()
    assert cycle["status"] == "draft"
    assert cycle["minimum_sample"] == {10: 10, 100: 80}[population]
    opened = await client.post(f"/api/v1/cycles/{cycle['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    return opened.json()


async def test_full_flow_gives_the_exact_index(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    cycle = await _open_cycle(client, headers)
    assert cycle["status"] == "open" and cycle["public_url"].endswith(cycle["token"])

    url = f"/api/v1/public/cycles/{cycle['token']}/responses"
    body = {
        "service": "UMUM",
        "answers": ANSWERS,
        "profile": PROFILE,
        "saran": "Antrean lama",
        "submission_token": "tap-1",
    }
    first = await client.post(url, json=body)
    assert first.status_code == 201, first.text
    again = await client.post(url, json=body)  # a double tap stores nothing new
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"]

    bad = await client.post(
        url,
        json={
            "service": "XX",
            "answers": {**ANSWERS, "U3": 5},
            "profile": {**PROFILE, "usia": "tua"},
        },
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"answers.U3", "profile.usia", "service"} <= fields

    paper = {"service": "KIA", "answers": {**ANSWERS, "U9": None, "U4": 1}}
    entered = await client.post(
        f"/api/v1/cycles/{cycle['id']}/responses", headers=headers, json=paper
    )
    assert entered.status_code == 201, entered.text

    csv = (
        "U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode,jenis_kelamin,usia\n"
        "3,3,3,3,3,3,3,3,3,UMUM,mandiri,P,40\n4,4,4,4,4,4,4,4,4,KIA,FGD,L,22\n"
    )
    imported = await client.post(
        f"/api/v1/cycles/{cycle['id']}/imports",
        headers=headers,
        files={"file": ("batch.csv", csv.encode(), "text/csv")},
    )
    assert imported.json() == {"imported": 2, "errors": []}
    twice = await client.post(
        f"/api/v1/cycles/{cycle['id']}/imports",
        headers=headers,
        files={"file": ("batch.csv", csv.encode(), "text/csv")},
    )
    assert twice.status_code == 409

    closed = await client.post(
        f"/api/v1/cycles/{cycle['id']}/close",
        headers=headers,
        json={"reason": "Uji alur: ditutup sebelum sampel minimum"},
    )
    assert closed.json()["status"] == "closed"
    late = await client.post(url, json={**body, "submission_token": "late"})
    assert late.status_code == 409

    scored = await client.get(f"/api/v1/cycles/{cycle['id']}/score", headers=headers)
    assert scored.status_code == 200, scored.text
    score = scored.json()
    rows = [
        ANSWERS,
        {**ANSWERS, "U9": None, "U4": 1},
        dict.fromkeys(ANSWERS, 3),
        dict.fromkeys(ANSWERS, 4),
    ]
    nrr = []
    for code in ANSWERS:
        given = [r[code] for r in rows if r[code] is not None]
        nrr.append(Fraction(sum(given), len(given)))
    expected = sum(nrr) / 9 * 25
    assert score["respondents"] == 4
    assert abs(score["score"]["konversi"] - float(expected)) < 1e-9
    u9 = next(u for u in score["score"]["unsur"] if u["code"] == "U9")
    assert u9["answered"] == 3
    assert set(score["services"]) == {"UMUM", "KIA"}
    genders = {g["group"]: g["respondents"] for g in score["breakdowns"]["jenis_kelamin"]}
    assert genders == {"L": 2, "P": 1, "": 1}


async def test_import_with_bad_rows_imports_nothing(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    cycle = await _open_cycle(client, headers)
    csv = (
        "U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n"
        "3,3,3,3,3,3,3,3,3,UMUM,mandiri\n5,3,a,3,3,3,3,3,3,UMUM,mandiri\n"
        "3,3,3,3,3,3,3,3,3,GIGI,mandiri\n"
    )
    result = await client.post(
        f"/api/v1/cycles/{cycle['id']}/imports",
        headers=headers,
        files={"file": ("bad.csv", csv.encode(), "text/csv")},
    )
    assert result.status_code == 422, result.text
    body = result.json()
    assert {(e["row"], e["field"]) for e in body["errors"]} == {
        (3, "U1"),
        (3, "U3"),
        (4, "layanan"),
    }
    fresh = (await client.get(f"/api/v1/cycles/{cycle['id']}", headers=headers)).json()
    assert fresh["collected"] == 0


async def test_recap_lists_units_without_survey(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_unit("PKM-B", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("insp", "inspector")
    cycle = await _open_cycle(client, await bearer(client, "opr"), population=10)
    url = f"/api/v1/public/cycles/{cycle['token']}/responses"
    for n in range(3):
        await client.post(
            url,
            json={
                "service": "UMUM",
                "answers": ANSWERS,
                "profile": PROFILE,
                "submission_token": f"s{n}",
            },
        )
    recap = (
        await client.get("/api/v1/recap?year=2026", headers=await bearer(client, "insp"))
    ).json()
    assert recap["not_surveyed"] == ["PKM-B"]
    assert recap["below_minimum"] == ["PKM-A"]  # 3 of the 10 the K&M table asks for
    unit = next(u for u in recap["units"] if u["code"] == "PKM-A")
    assert unit["respondents"] == 3 and unit["cycles"][0]["minimum_sample"] == 10
    assert recap["regency"]["pooled"]["konversi"] == unit["konversi"]
    op_recap = await client.get("/api/v1/recap?year=2026", headers=await bearer(client, "opr"))
    assert op_recap.status_code == 403


async def test_unit_questionnaire_reworded_and_extended_is_frozen_per_cycle(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_unit("PKM-B", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    url = "/api/v1/units/PKM-A/questionnaire"
    items = (await client.get(url, headers=headers)).json()
    assert [i["code"] for i in items] == [f"U{n}" for n in range(1, 10)]
    items[0]["question"] = "Apakah persyaratan berobat mudah dipenuhi?"
    items.append(
        {
            "code": "U10",
            "name": "Kebersihan",
            "question": "Kebersihan ruang tunggu",
            "labels": ["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"],
        }
    )
    saved = await client.put(url, headers=headers, json=items)
    assert saved.status_code == 200, saved.text
    swapped = [dict(i) for i in items]
    swapped[7]["name"], swapped[8]["name"] = items[8]["name"], items[7]["name"]  # U8 ⇄ U9
    refused = await client.put(url, headers=headers, json=swapped)
    assert refused.status_code == 422
    fields = {e["field"]: e["message"] for e in refused.json()["errors"]}
    assert set(fields) == {"U8.name", "U9.name"}
    assert "Sarana" in fields["U8.name"] and "Pengaduan" in fields["U9.name"]
    reworded = [dict(i) for i in items]
    reworded[7]["name"] = reworded[7]["name"].upper()  # the same unsur, written differently
    reworded[7]["labels"] = ["Buruk", "Cukup", "Baik", "Sangat baik"]
    assert (await client.put(url, headers=headers, json=reworded)).status_code == 200
    missing = await client.put(url, headers=headers, json=items[1:])
    assert missing.status_code == 422
    assert "U1" in {e["field"] for e in missing.json()["errors"]}
    assert (
        await client.put("/api/v1/units/PKM-B/questionnaire", headers=headers, json=items)
    ).status_code == 404

    response = await client.post(
        "/api/v1/cycles",
        headers=headers,
        json={
            "unit": "PKM-A",
            "period_type": "tw2",
            "year": 2026,
            "population": 1000,
            "services": ["UMUM", "KIA"],
            "service_populations": {"UMUM": 600, "KIA": 100},
        },
    )
    assert response.status_code == 201, response.text
    per_service = {s["code"]: s["minimum_sample"] for s in response.json()["services"]}
    assert per_service == {"UMUM": 234, "KIA": 80}
    cycle = (
        await client.post(f"/api/v1/cycles/{response.json()['id']}/open", headers=headers)
    ).json()
    survey = (await client.get(f"/api/v1/public/cycles/{cycle['token']}")).json()
    assert survey["questions"][0]["question"] == "Apakah persyaratan berobat mudah dipenuhi?"
    assert survey["questions"][-1]["code"] == "U10"

    # A later version does not change the open cycle's questions.
    await client.put(url, headers=headers, json=items[:9])
    survey = (await client.get(f"/api/v1/public/cycles/{cycle['token']}")).json()
    assert survey["questions"][-1]["code"] == "U10"

    submitted = await client.post(
        f"/api/v1/public/cycles/{cycle['token']}/responses",
        json={"service": "KIA", "answers": {**ANSWERS, "U10": 1}, "profile": PROFILE},
    )
    assert submitted.status_code == 201, submitted.text
    score = (await client.get(f"/api/v1/cycles/{cycle['id']}/score", headers=headers)).json()
    konversi = (sum(ANSWERS.values()) + 1) / 10 * 25  # weight 1/10 with ten unsur
    assert abs(score["score"]["konversi"] - konversi) < 1e-9


async def test_a_forbidden_move_answers_409_naming_the_allowed_ones(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    draft = await client.post(
        "/api/v1/cycles",
        headers=headers,
        json={"unit": "PKM-A", "period_type": "tw2", "year": 2026, "population": 10},
    )
    refused = await client.post(f"/api/v1/cycles/{draft.json()['id']}/close", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["allowed"] == ["open"]
    assert "«Draf»" in refused.json()["detail"] and "«Dibuka»" in refused.json()["detail"]


async def test_an_overlapping_cycle_is_refused_naming_the_existing_one(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    body = {"unit": "PKM-A", "population": 100, "services": ["UMUM"]}
    tw4 = await client.post(
        "/api/v1/cycles", headers=headers, json={**body, "period_type": "tw4", "year": 2026}
    )
    assert tw4.status_code == 201, tw4.text
    inside = {"period_type": "custom", "start_date": "2026-11-01", "end_date": "2026-11-30"}
    refused = await client.post("/api/v1/cycles", headers=headers, json={**body, **inside})
    assert refused.status_code == 409
    assert "Triwulan IV 2026" in refused.json()["detail"]
    assert f"nomor {tw4.json()['id']}" in refused.json()["detail"]
    year = {"period_type": "tahunan", "year": 2026}
    assert (
        await client.post("/api/v1/cycles", headers=headers, json={**body, **year})
    ).status_code == 409
    tw3 = await client.post(
        "/api/v1/cycles", headers=headers, json={**body, "period_type": "tw3", "year": 2026}
    )
    assert tw3.status_code == 201  # the day before Triwulan IV does not overlap it
    cycles = (await client.get("/api/v1/cycles", headers=headers)).json()
    assert len(cycles) == 2


async def test_closing_below_the_minimum_needs_a_reason_kept_in_the_audit(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    headers = await bearer(client, "opr")
    cycle = await _open_cycle(client, headers, population=10)
    close = f"/api/v1/cycles/{cycle['id']}/close"
    refused = await client.post(close, headers=headers)
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "reason" and "0 dari minimum 10" in error["message"]
    short = await client.post(close, headers=headers, json={"reason": "sepi"})
    assert short.status_code == 422
    reason = "Puskesmas direnovasi; layanan dialihkan sementara."
    closed = await client.post(close, headers=headers, json={"reason": reason})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    event = await AuditEvent.select().where(AuditEvent.action == "cycle.closed").first()
    after = event["after"] if isinstance(event["after"], dict) else json.loads(event["after"])
    assert after["reason"] == reason
    assert (after["collected"], after["minimum_sample"]) == (0, 10)


async def test_the_kiosk_link_is_shown_only_to_the_units_staff(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "KIA"))
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("insp", "inspector")
    await make_user("org", "organizer")
    cycle = await _open_cycle(client, await bearer(client, "opr"), population=10)
    assert cycle["kiosk_url"] and cycle["kiosk_url"].endswith("/units/PKM-A/kios")
    for reader in ("insp", "org"):
        headers = await bearer(client, reader)
        one = await client.get(f"/api/v1/cycles/{cycle['id']}", headers=headers)
        if one.status_code == 200:
            assert one.json()["kiosk_url"] is None, reader
        listed = await client.get("/api/v1/cycles", headers=headers)
        assert all(c["kiosk_url"] is None for c in listed.json()), reader
