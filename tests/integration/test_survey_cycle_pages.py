"""The SKM cycle pages for operators and admins: the create form with its field errors, status
buttons with audit events, reopening, the filtered and paginated list, and the questionnaire editor."""

from __future__ import annotations

import re

from core.audit.tables import AuditEvent
from core.surveys import cycles
from core.surveys.questionnaires import current_items, standard_items
from core.surveys.tables import CycleService, SurveyCycle
from core.units.tables import Unit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.integration.survey_data import (
    STANDARD,
    SYSTEM,
    answer,
    draft_cycle,
    opened_cycle,
    survey_world,
    visible_text,
)

# --- create ------------------------------------------------------------------------------------


async def test_create_cycle_form_shows_field_errors_and_writes_nothing(client, db):
    await survey_world()
    await login(client, "opr", PASSWORD)
    form = await client.get("/cycles/new")
    assert form.status_code == 200
    # The operator manages one unit, so it is chosen and its services are listed, all ticked.
    assert 'name="unit" value="PKM-A"' in form.text
    assert re.search(r'name="services" value="KIA" checked', form.text)
    assert "Krejcie" in form.text
    token = await csrf_token(client, "/cycles/new")
    base = {
        "_csrf_token": token,
        "unit": "PKM-A",
        "period_type": "tw2",
        "year": "2026",
        "population": "banyak",
        "services": ["UMUM", "KIA"],
        "channels": ["online", "paper"],
    }
    bad = await client.post("/cycles", data=base)
    assert bad.status_code == 422
    assert re.search(r'id="f-population"[^>]*aria-invalid="true"', bad.text)
    assert "isi dengan bilangan bulat" in bad.text
    assert 'value="banyak"' in bad.text  # what was typed stays in the form
    custom = await client.post(
        "/cycles",
        data={
            **base,
            "population": "250",
            "period_type": "custom",
            "start_date": "2026-05-10",
            "end_date": "2026-05-01",
        },
    )
    assert custom.status_code == 422
    assert re.search(r'id="e-end_date"[^>]*>tidak boleh sebelum tanggal mulai', custom.text)
    no_channel = await client.post(
        "/cycles", data={k: v for k, v in {**base, "population": "250"}.items() if k != "channels"}
    )
    assert (
        no_channel.status_code == 422 and "pilih minimal satu cara pengumpulan" in no_channel.text
    )
    assert await SurveyCycle.count() == 0

    created = await client.post(
        "/cycles",
        data={**base, "population": "1.000", "services": ["KIA"]},
        follow_redirects=False,
    )
    assert created.status_code in (302, 303), created.text
    cycle_id = int(re.search(r"/cycles/(\d+)", created.headers["location"]).group(1))
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["period_type"] == "tw2" and str(row["start_date"]) == "2026-04-01"
    assert row["population"] == 1000 and row["status"] == "draft"
    assert await CycleService.count().where(CycleService.cycle == cycle_id) == 1
    detail = await client.get(created.headers["location"])
    assert "dari minimum 278 responden" in visible_text(detail.text)  # K&M for N = 1000
    again = await client.post("/cycles", data={**base, "population": "10"})
    assert again.status_code == 409 and "bertumpuk dengan siklus" in again.text
    assert await SurveyCycle.count() == 1


async def test_new_cycle_form_lets_a_many_unit_user_choose_the_unit_first(client, db):
    await survey_world()
    await login(client, "adm", PASSWORD)
    first = await client.get("/cycles/new")
    assert 'action="/cycles/new"' in first.text and 'name="services"' not in first.text
    chosen = await client.get("/cycles/new?unit=PKM-B")
    assert 'name="unit" value="PKM-B"' in chosen.text
    assert 'value="UMUM"' in chosen.text and 'value="KIA"' not in chosen.text


# --- status buttons ----------------------------------------------------------------------------


async def test_open_and_close_buttons_change_status_and_are_audited(client, db, hooks):
    await survey_world()
    cycle_id = await draft_cycle(hooks)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}")
    assert f'action="/cycles/{cycle_id}/open"' in page.text
    assert "Riwayat siklus" not in page.text  # operators do not see the audit log
    token = await csrf_token(client, f"/cycles/{cycle_id}")
    opened = await client.post(
        f"/cycles/{cycle_id}/open", data={"_csrf_token": token}, follow_redirects=False
    )
    assert opened.status_code in (302, 303)
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["status"] == "open" and row["public_token"]
    page = await client.get(f"/cycles/{cycle_id}")
    assert f'action="/cycles/{cycle_id}/close"' in page.text
    assert f"/s/{row['public_token']}" in page.text  # the public link to copy
    assert f"/s/{row['public_token']}?layanan=KIA" in page.text  # one per service
    assert f"/cycles/{cycle_id}/qr.svg" in page.text and f"/cycles/{cycle_id}/poster" in page.text
    assert "/units/PKM-A/kios" in page.text  # where the counter kiosks are enrolled
    # No answers yet: closing asks for a reason first and writes nothing without one.
    assert "Sampel minimum belum tercapai" in page.text and 'id="f-close-reason"' in page.text
    refused = await client.post(f"/cycles/{cycle_id}/close", data={"_csrf_token": token})
    assert refused.status_code == 422 and 'id="e-close_reason"' in refused.text
    assert "menutup di bawah sampel minimum memerlukan alasan" in refused.text
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["status"] == "open"
    reason = "Layanan dipindah ke gedung sementara."
    await client.post(f"/cycles/{cycle_id}/close", data={"_csrf_token": token, "reason": reason})
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    assert row["status"] == "closed"
    actions = [
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action, AuditEvent.actor)
        .where((AuditEvent.entity == "survey_cycle") & (AuditEvent.entity_id == str(cycle_id)))
        .order_by(AuditEvent.id)
    ]
    assert actions == ["cycle.created", "cycle.open", "cycle.closed"]
    await client.post("/logout", data={"_csrf_token": token})
    await login(client, "insp", PASSWORD)
    trail = await client.get(f"/cycles/{cycle_id}")
    assert "Riwayat siklus" in trail.text
    assert "Survei dibuka" in trail.text and "Survei ditutup" in trail.text
    assert reason in trail.text  # the reason for closing below the minimum is on the trail
    assert "<code>cycle.open</code>" not in trail.text  # labels, not raw codes
    assert f'action="/cycles/{cycle_id}/open"' not in trail.text  # inspectors only look


async def test_reopen_needs_an_admin_and_a_reason(client, db, hooks):
    await survey_world()
    cycle_id = await opened_cycle(hooks)
    await cycles.close_cycle(
        SYSTEM, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
    )
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}")
    assert f'action="/cycles/{cycle_id}/reopen"' not in page.text
    token = await csrf_token(client, f"/cycles/{cycle_id}")
    denied = await client.post(
        f"/cycles/{cycle_id}/reopen",
        data={"_csrf_token": token, "reason": "Kuesioner kertas susulan dari loket"},
    )
    assert denied.status_code == 403
    await client.post("/logout", data={"_csrf_token": token})
    await login(client, "adm", PASSWORD)
    token = await csrf_token(client, f"/cycles/{cycle_id}")
    short = await client.post(
        f"/cycles/{cycle_id}/reopen", data={"_csrf_token": token, "reason": "x"}
    )
    assert short.status_code == 422
    assert re.search(r'id="f-reason"[^>]*aria-invalid="true"', short.text)
    status = (await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first())["status"]
    assert status == "closed"
    reason = "Kuesioner kertas susulan dari loket"
    ok = await client.post(
        f"/cycles/{cycle_id}/reopen", data={"_csrf_token": token, "reason": reason}
    )
    assert ok.status_code == 200 and "dibuka kembali" in ok.text
    status = (await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first())["status"]
    assert status == "open"
    assert reason in ok.text  # the audit trail on the page shows why


async def test_cycle_list_filters(client, db, hooks):
    await survey_world()
    draft = await draft_cycle(hooks, period="tw1")
    opened = await opened_cycle(hooks, period="tw2")
    other = await opened_cycle(hooks, unit="PKM-B")
    await login(client, "adm", PASSWORD)
    everything = await client.get("/cycles")
    assert all(f'href="/cycles/{c}"' in everything.text for c in (draft, opened, other))
    only_open = await client.get("/cycles?status=open&unit=PKM-A&year=")
    assert f'href="/cycles/{opened}"' in only_open.text
    assert f'href="/cycles/{draft}"' not in only_open.text
    assert f'href="/cycles/{other}"' not in only_open.text
    none = await client.get("/cycles?year=2025")
    assert "Belum ada siklus survei yang cocok." in none.text


async def test_cycle_list_is_paginated_and_shows_each_cycles_index(client, db, hooks, monkeypatch):
    from core.surveys import cycle_list

    monkeypatch.setattr(cycle_list, "CYCLE_PAGE_SIZE", 2)
    await survey_world()
    oldest = await opened_cycle(hooks, period="tw1")
    await answer(oldest, {f"U{n}": 4 for n in range(1, 10)})
    middle = await draft_cycle(hooks, period="tw2")
    newest = await draft_cycle(hooks, period="tw3")
    await login(client, "adm", PASSWORD)
    first = await client.get("/cycles")
    assert "3 siklus" in first.text and "Halaman 1 dari 2" in first.text
    assert f'href="/cycles/{newest}"' in first.text and f'href="/cycles/{middle}"' in first.text
    assert f'href="/cycles/{oldest}"' not in first.text
    assert "hal=2" in first.text and "belum ada jawaban" in first.text
    second = await client.get("/cycles?hal=2")
    assert f'href="/cycles/{oldest}"' in second.text and "Halaman 2 dari 2" in second.text
    assert "100,00" in visible_text(second.text)  # every answer 4: konversi 100, mutu A
    assert 'class="mutu mutu-A"' in second.text
    beyond = await client.get("/cycles?hal=99")
    assert f'href="/cycles/{oldest}"' in beyond.text  # past the end: the last page


async def test_cycle_form_takes_a_population_per_service(client, db, hooks):
    await survey_world()
    await login(client, "opr", PASSWORD)
    form = await client.get("/cycles/new?unit=PKM-A")
    assert 'name="population_KIA"' in form.text and 'name="population_UMUM"' in form.text
    token = await csrf_token(client, "/cycles/new?unit=PKM-A")
    base = {
        "_csrf_token": token,
        "unit": "PKM-A",
        "period_type": "tw3",
        "year": "2026",
        "population": "1000",
        "services": ["UMUM", "KIA"],
        "channels": ["online"],
    }
    too_many = await client.post("/cycles", data={**base, "population_KIA": "5000"})
    assert too_many.status_code == 422
    assert re.search(r'id="f-population_KIA"[^>]*aria-invalid="true"', too_many.text)
    assert 'value="5000"' in too_many.text and await SurveyCycle.count() == 0
    made = await client.post(
        "/cycles",
        data={**base, "population_KIA": "100", "population_UMUM": ""},
        follow_redirects=False,
    )
    assert made.status_code in (302, 303)
    service = (
        await CycleService.select(CycleService.population)
        .where(CycleService.service.code == "KIA")
        .first()
    )
    assert service["population"] == 100
    page = await client.get(made.headers["location"])
    assert "0 dari minimum 80 responden" in page.text  # KIA's own minimum for N = 100


async def test_questionnaire_editor_rewords_adds_and_keeps_versions(client, db, hooks):
    await survey_world()
    await login(client, "opr", PASSWORD)
    page = await client.get("/units/PKM-A/kuesioner")
    assert page.status_code == 200 and "Belum ada versi tersimpan" in page.text
    assert 'name="U8.question"' in page.text and 'name="U8.name"' not in page.text
    token = await csrf_token(client, "/units/PKM-A/kuesioner")
    standard = {item.code: item for item in standard_items(hooks)}
    data: dict[str, str] = {"_csrf_token": token}
    for code, item in standard.items():
        data[f"{code}.question"] = item.question
        for n, label in enumerate(item.labels, start=1):
            data[f"{code}.label{n}"] = label
    data["U1.question"] = "Apakah persyaratan berobat mudah dipenuhi?"
    new = {"new.code": "U10", "new.name": "Kebersihan", "new.question": "Kebersihan ruang tunggu"}
    incomplete = await client.post("/units/PKM-A/kuesioner", data={**data, **new})
    assert incomplete.status_code == 422 and "empat pilihan jawaban wajib diisi" in incomplete.text
    assert 'name="U10.name" value="Kebersihan"' in incomplete.text  # the new row is kept
    labels = {f"new.label{n}": v for n, v in enumerate(["Kotor", "Kurang", "Bersih", "Sangat"], 1)}
    saved = await client.post(
        "/units/PKM-A/kuesioner", data={**data, **new, **labels}, follow_redirects=False
    )
    assert saved.status_code in (302, 303)
    items = await current_items(
        hooks, (await Unit.select().where(Unit.code == "PKM-A").first())["id"]
    )
    assert [i.code for i in items] == [*STANDARD, "U10"]
    assert items[0].question == "Apakah persyaratan berobat mudah dipenuhi?"
    assert items[7].name == standard["U8"].name  # U8 keeps its unsur
    after = await client.get("/units/PKM-A/kuesioner?versi=1")
    assert "Versi 1" in after.text and "Isi versi 1" in after.text
    assert 'name="U10.name" value="Kebersihan"' in after.text
    dropped = {**data, "extra": "U10", "U10.name": "Kebersihan", "U10.hapus": "1"}
    await client.post("/units/PKM-A/kuesioner", data=dropped)
    unit_id = (await Unit.select().where(Unit.code == "PKM-A").first())["id"]
    assert [i.code for i in await current_items(hooks, unit_id)] == STANDARD
    assert "Versi 2" in (await client.get("/units/PKM-A/kuesioner")).text
    await client.post("/logout", data={"_csrf_token": token})
    await login(client, "insp", PASSWORD)
    read_only = await client.get("/units/PKM-A/kuesioner")
    assert read_only.status_code == 200 and 'name="U1.question"' not in read_only.text
