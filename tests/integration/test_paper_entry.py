"""Paper entry: the keyboard flow the page describes, and no blank unsur saved unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

from core.accounts.policy import Actor
from core.surveys import cycles
from core.surveys.schemas import CycleIn
from core.surveys.tables import Response
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

SYSTEM = Actor.system()
SCRIPT = Path(__file__).resolve().parents[2] / "web" / "static" / "skm-staff.js"


async def _open_cycle(hooks) -> int:
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))
    cycle_id = await cycles.create_cycle(
        SYSTEM,
        hooks,
        CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=100, services=["UMUM"]),
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


def _body(token: str, submission: str, **answers: str) -> dict[str, str]:
    return {
        "_csrf_token": token,
        "submission_token": submission,
        **{f"U{n}": "" for n in range(1, 10)},
        **answers,
        "layanan": "UMUM",
        "channel": "paper",
    }


async def test_blank_unsur_are_named_and_need_the_confirmation(client, db, hooks):
    cycle_id = await _open_cycle(hooks)
    await login(client, "opr", PASSWORD)
    form = await client.get(f"/cycles/{cycle_id}/entri")
    assert re.search(r'id="blank-confirm"[^>]*hidden', form.text)  # nothing to confirm yet
    token = await csrf_token(client, f"/cycles/{cycle_id}/entri")
    # digit+Tab used to skip every second box: U1, U3, U5, U7, U9 filled, the rest blank
    body = _body(token, "sub-1", U1="4", U3="3", U5="4", U7="3", U9="4")
    refused = await client.post(f"/cycles/{cycle_id}/entri", data=body)
    assert refused.status_code == 422
    warning = re.search(r'<p id="blank-list" role="alert">([^<]*)</p>', refused.text).group(1)
    for name in ("U2 Sistem, Mekanisme, dan Prosedur", "U4 Biaya/Tarif", "U6 Kompetensi", "U8"):
        assert name in warning
    assert "U1 " not in warning and "U9 " not in warning
    assert not re.search(r'id="blank-confirm"[^>]*hidden', refused.text)
    box = re.search(r'<input id="a-U2"[^>]*>', refused.text).group(0)
    assert 'aria-invalid="true"' in box and "autofocus" in box
    assert re.search(r'<input id="a-U3"[^>]*value="3"', refused.text)  # typed values kept
    assert await Response.count() == 0

    saved = await client.post(
        f"/cycles/{cycle_id}/entri", data={**body, "simpan_kosong": "1"}, follow_redirects=False
    )
    assert saved.status_code in (302, 303), saved.text
    row = await Response.select().first()
    assert [row[f"u{n}"] for n in range(1, 10)] == [4, None, 3, None, 4, None, 3, None, 4]


async def test_a_complete_questionnaire_needs_no_confirmation(client, db, hooks):
    cycle_id = await _open_cycle(hooks)
    await login(client, "opr", PASSWORD)
    token = await csrf_token(client, f"/cycles/{cycle_id}/entri")
    full = {f"U{n}": "3" for n in range(1, 10)}
    saved = await client.post(
        f"/cycles/{cycle_id}/entri", data=_body(token, "sub-2", **full), follow_redirects=False
    )
    assert saved.status_code in (302, 303), saved.text
    assert await Response.count() == 1


async def test_the_page_and_the_script_describe_the_same_keyboard_flow(client, db, hooks):
    cycle_id = await _open_cycle(hooks)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}/entri")
    assert "Tab atau Enter ke kotak berikutnya" in page.text
    assert "Enter langsung menyimpan" not in page.text
    script = SCRIPT.read_text(encoding="utf-8")
    # a typed digit no longer moves the focus (so Tab after it cannot skip a box) …
    assert 'addEventListener("input"' not in script
    # … Enter in an unsur box moves on, and a submit with blanks asks for the confirmation
    assert 'event.key !== "Enter"' in script and "f-simpan-kosong" in script
