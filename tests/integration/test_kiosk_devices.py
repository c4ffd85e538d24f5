"""Kiosks are enrolled devices: own revocable token, hashed at rest, shown once, paced, audited
(issue 14 item 5)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from core.audit.tables import AuditEvent
from core.surveys.tables import KioskDevice, SurveyCycle
from tests.conftest import bearer, csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user
from tests.integration.test_public_survey import filled, form_fields, open_cycle


async def _actions(entity_id: int) -> list[str]:
    rows = (
        await AuditEvent.select(AuditEvent.action)
        .where((AuditEvent.entity == "kiosk_device") & (AuditEvent.entity_id == str(entity_id)))
        .order_by(AuditEvent.id)
    )
    return [row["action"] for row in rows]


async def test_a_device_is_enrolled_once_paced_and_revoked(client, hooks):
    cycle = await open_cycle(hooks)
    assert "kiosk_token" not in cycle  # no kiosk link per cycle any more (dropped in 0890)
    await make_user("opr", "operator", ("PKM-A",))
    staff = await bearer(client, "opr")
    enrolled = await client.post(
        "/api/v1/units/PKM-A/kiosks", headers=staff, json={"name": "Loket 1"}
    )
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    token, device_id = body["token"], body["device"]["id"]
    assert body["kiosk_url"].endswith(f"/kiosk/{token}")
    stored = await KioskDevice.select().where(KioskDevice.id == device_id).first()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest() != token
    listed = await client.get("/api/v1/units/PKM-A/kiosks", headers=staff)
    assert token not in listed.text and listed.json()[0]["name"] == "Loket 1"

    base = f"/kiosk/{token}"
    first = await client.post(
        base, data=filled(await form_fields(client, base)), follow_redirects=False
    )
    assert first.status_code == 303, first.text
    again = await client.post(
        base, data=filled(await form_fields(client, base)), follow_redirects=False
    )
    assert again.status_code == 429 and "Tunggu" in again.text
    counted = await SurveyCycle.select(SurveyCycle.id).where(SurveyCycle.id == cycle["id"]).first()
    assert counted and await _stored_kiosk() == 1

    form = await form_fields(client, base)  # a form shown before the device is revoked
    revoked = await client.post(f"/api/v1/kiosks/{device_id}/revoke", headers=staff)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    await _age_responses()  # past the device's pace: only the revocation refuses now
    late = await client.post(base, data=filled(form), follow_redirects=False)
    assert late.status_code == 404 and "dicabut" in late.text
    gone = await client.get(base)
    assert gone.status_code == 404 and "dicabut" in gone.text
    twice = await client.post(f"/api/v1/kiosks/{device_id}/revoke", headers=staff)
    assert twice.status_code == 409
    assert await _actions(device_id) == [
        "kiosk.enrolled",
        "kiosk.refused",
        "kiosk.revoked",
        "kiosk.refused",
        "kiosk.refused",
    ]
    assert await _stored_kiosk() == 1


async def _age_responses() -> None:
    from core.clock import utcnow
    from core.surveys.tables import Response

    await Response.update({Response.created_at: utcnow() - timedelta(minutes=1)}, force=True)


async def _stored_kiosk() -> int:
    from core.surveys.tables import Response

    return await Response.count().where(Response.channel == "kiosk")


@pytest.mark.parametrize("reader", ["inspector", "organizer"])
async def test_inspectors_and_organisers_neither_enrol_nor_see_devices(client, db, reader):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("reader", reader)
    enrolled = await client.post(
        "/api/v1/units/PKM-A/kiosks", headers=await bearer(client, "opr"), json={"name": "Loket"}
    )
    headers = await bearer(client, "reader")
    assert (await client.get("/api/v1/units/PKM-A/kiosks", headers=headers)).status_code == 403
    assert (
        await client.post("/api/v1/units/PKM-A/kiosks", headers=headers, json={"name": "X"})
    ).status_code == 403
    revoke = await client.post(
        f"/api/v1/kiosks/{enrolled.json()['device']['id']}/revoke", headers=headers
    )
    assert revoke.status_code == 403


async def test_the_staff_page_shows_the_address_once(client, db):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    await login(client, "opr", PASSWORD)
    token = await csrf_token(client, "/units/PKM-A/kios")
    blank = await client.post("/units/PKM-A/kios", data={"_csrf_token": token, "name": " "})
    assert blank.status_code == 422 and 'id="name-error"' in blank.text
    shown = await client.post("/units/PKM-A/kios", data={"_csrf_token": token, "name": "Loket KIA"})
    assert shown.status_code == 200
    address = re.search(r"/kiosk/([\w-]+)", shown.text)
    assert address, shown.text
    later = await client.get("/units/PKM-A/kios")
    assert "Loket KIA" in later.text and address.group(1) not in later.text
    device = await KioskDevice.select(KioskDevice.id).first()
    revoked = await client.post(
        f"/units/PKM-A/kios/{device['id']}/cabut",
        data={"_csrf_token": token},
        follow_redirects=False,
    )
    assert revoked.status_code in (302, 303)
    assert "Dicabut" in (await client.get("/units/PKM-A/kios")).text
