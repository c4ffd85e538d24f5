"""The SIPPN export (issue 12): the API, the command line and the page buttons on real data.

One puskesmas with two services and a closed triwulan cycle; its figures must be the ones core's
scoring service gives the cycle, the JSON must validate against the schema the plugin ships, and a
unit that is not ready is refused by name with nothing written.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import anyio
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

import tests.sippn_extra_plugin as extra_plugin
from core.accounts.policy import Actor
from core.cli import command_line
from core.db import atomic
from core.hooks import Hooks
from core.plugins import build_plugin_manager
from core.reports.publications import PublicationIn, insert_publication
from core.surveys import cycles
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from core.units import sippn_cli
from core.units.schemas import ServiceIn, StandardIn
from core.units.service import create_service
from core.units.standards import CODES, save_standard
from core.units.tables import Unit
from plugins.sippn.document import COLUMNS
from plugins.sippn.validation import SCHEMA_PATH
from tests.conftest import bearer, login, make_app
from tests.factories import PASSWORD, make_unit, make_user

SYSTEM = Actor.system()
API = "/api/v1/exports/sippn"
ANSWERS = ({f"U{n}": 4 for n in range(1, 10)}, {f"U{n}": 3 for n in range(1, 10)})


def standard(text: str = "isi") -> StandardIn:
    return StandardIn(components={c: f"{text} {c}" for c in CODES}, set_on=date(2026, 1, 2))


async def _ready_unit(hooks, code: str = "PKM-A", close: bool = True) -> int:
    """A unit with two standardised services and a tw1 cycle of two responses; the cycle id."""
    await make_unit(code, "puskesmas", services=("UMUM", "KIA"))
    for service in ("UMUM", "KIA"):
        await save_standard(SYSTEM, code, service, standard())
    cycle_id = await cycles.create_cycle(
        SYSTEM, hooks, CycleIn(unit=code, period_type="tw1", year=2026, population=2)
    )
    await cycles.open_cycle(SYSTEM, hooks, cycle_id)
    for answers in ANSWERS:
        await enter_response(SYSTEM, cycle_id, ResponseIn(answers=answers))
    if close:
        await cycles.close_cycle(SYSTEM, hooks, cycle_id)
    return cycle_id


async def test_json_export_validates_and_carries_cores_score(client, db, hooks):
    cycle_id = await _ready_unit(hooks)
    unit_id = (await Unit.select(Unit.id).where(Unit.code == "PKM-A").first())["id"]
    await make_user("adm", "admin")
    headers = await bearer(client, "adm")
    response = await client.get(f"{API}?unit=PKM-A&year=2026&format=json", headers=headers)
    assert response.status_code == 200, response.text
    assert 'filename="sippn-2026-PKM-A.json"' in response.headers["content-disposition"]
    document = response.json()
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        document
    )
    unit = document["unit"][0]
    assert (unit["kode_unit"], unit["jenis_unit"]) == ("PKM-A", "puskesmas")
    assert [s["kode_layanan"] for s in unit["layanan"]] == ["KIA", "UMUM"]
    assert unit["layanan"][0]["standar_pelayanan"]["persyaratan"] == "isi persyaratan"
    score = (await client.get(f"/api/v1/cycles/{cycle_id}/score", headers=headers)).json()
    skm = unit["skm"]
    assert skm["konversi"] == round(score["score"]["konversi"], 2) == 87.5
    assert (skm["mutu"], skm["kinerja"], skm["jumlah_responden"]) == ("B", "Baik", 2)
    assert [u["kode"] for u in skm["unsur"]] == [f"U{n}" for n in range(1, 10)]
    assert skm["unsur"][0]["nrr"] == 3.5 and skm["unsur"][0]["konversi"] == 87.5
    assert (skm["periode"], skm["tanggal_mulai"], skm["tanggal_selesai"]) == (
        "tahun",
        "2026-01-01",
        "2026-03-31",
    )
    assert skm["tautan_laporan"] is None
    async with atomic():
        for day, url in ((10, "https://contoh.go.id/skm-lama"), (20, "https://contoh.go.id/skm")):
            data = PublicationIn(media="website", date=date(2026, 4, day), url=url)
            await insert_publication(SYSTEM, cycle_id, unit_id, data)
    by_period = await client.get(
        f"{API}?unit=PKM-A&year=2026&period=tw1&format=json", headers=headers
    )
    linked = by_period.json()["unit"][0]["skm"]
    assert (linked["periode"], linked["tautan_laporan"]) == ("tw1", "https://contoh.go.id/skm")


async def test_csv_and_xlsx_hold_one_row_per_service_in_the_documented_columns(client, db, hooks):
    await _ready_unit(hooks)
    await make_user("adm", "admin")
    headers = await bearer(client, "adm")
    text = (await client.get(f"{API}?unit=PKM-A&year=2026&format=csv", headers=headers)).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    assert [r[COLUMNS.index("kode_layanan")] for r in rows[1:]] == ["KIA", "UMUM"]
    assert rows[1][COLUMNS.index("konversi")] == "87.5"
    assert rows[1][COLUMNS.index("u10_nrr")] == ""
    content = (await client.get(f"{API}?unit=PKM-A&year=2026&format=xlsx", headers=headers)).content
    book = load_workbook(io.BytesIO(content))
    sheet = book["SIPPN"]
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert sheet.max_row == 3
    assert sheet.cell(2, COLUMNS.index("u1_nrr") + 1).value == 3.5


async def test_a_service_without_standard_is_refused_by_name_and_nothing_is_written(
    client, db, hooks, tmp_path, monkeypatch
):
    await _ready_unit(hooks)
    await create_service(SYSTEM, "PKM-A", ServiceIn(code="BARU", name="Layanan baru"))
    await make_user("adm", "admin")
    headers = await bearer(client, "adm")
    response = await client.get(f"{API}?unit=PKM-A&year=2026&format=json", headers=headers)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["PKM-A.layanan.BARU.standar_pelayanan"]
    assert "PKM-A" in response.json()["detail"]

    monkeypatch.setattr(sippn_cli, "_hooks", lambda: hooks)
    output = tmp_path / "sippn.json"
    result = await anyio.to_thread.run_sync(
        lambda: CliRunner().invoke(
            command_line(),
            [
                "export",
                "sippn",
                "--unit",
                "PKM-A",
                "--year",
                "2026",
                "--format",
                "json",
                "--output",
                str(output),
            ],
        )
    )
    assert result.exit_code == 2, result.output
    assert "PKM-A.layanan.BARU.standar_pelayanan" in result.stderr
    assert not output.exists() and not list(tmp_path.iterdir())


async def test_only_closed_cycles_are_exported_and_every_unit_skips_the_unready(client, db, hooks):
    await _ready_unit(hooks, "PKM-A")
    await _ready_unit(hooks, "PKM-B", close=False)
    await make_unit("DLH", "opd", services=("IZIN",))
    await make_user("adm", "admin")
    headers = await bearer(client, "adm")
    refused = await client.get(f"{API}?unit=PKM-B&year=2026&format=json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "PKM-B.skm"
    assert "masih dibuka" in refused.json()["errors"][0]["message"]
    every = await client.get(f"{API}?year=2026&format=json", headers=headers)
    assert every.status_code == 200, every.text
    assert [u["kode_unit"] for u in every.json()["unit"]] == ["PKM-A"]
    assert every.headers["x-suara-skipped-units"] == "DLH, PKM-B"
    assert {s["kode_unit"] for s in every.json()["unit_dilewati"]} == {"DLH", "PKM-B"}
    bad = await client.get(f"{API}?year=26&format=json", headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year"
    unknown = await client.get(f"{API}?year=2026&format=pdf", headers=headers)
    assert unknown.status_code == 404 and "json" in unknown.json()["detail"]


async def test_operators_export_their_own_unit_only(client, db, hooks):
    await _ready_unit(hooks, "PKM-A")
    await _ready_unit(hooks, "PKM-B")
    await make_user("opr", "operator", units=("PKM-A",))
    headers = await bearer(client, "opr")
    own = await client.get(f"{API}?unit=PKM-A&year=2026&format=json", headers=headers)
    assert own.status_code == 200
    other = await client.get(f"{API}?unit=PKM-B&year=2026&format=json", headers=headers)
    assert other.status_code == 404
    every = await client.get(f"{API}?year=2026&format=json", headers=headers)
    assert every.status_code == 403
    assert (await client.get(f"{API}?unit=PKM-A&year=2026&format=json")).status_code == 401


async def test_buttons_on_the_unit_and_recap_pages_download_the_file(client, db, hooks):
    await _ready_unit(hooks)
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    unit_page = (await client.get("/units/PKM-A")).text
    for name in ("csv", "xlsx", "json"):
        assert f'name="format" value="{name}"' in unit_page
    assert 'action="/ekspor/sippn"' in unit_page and 'value="PKM-A"' in unit_page
    recap_page = (await client.get("/rekap?year=2026")).text
    assert 'href="/ekspor/sippn?year=2026&amp;format=json"' in recap_page
    assert "/rekap/ekspor/sippn-json" not in recap_page
    download = await client.get("/ekspor/sippn?unit=PKM-A&year=2026&format=json")
    assert download.status_code == 200 and download.json()["unit"][0]["kode_unit"] == "PKM-A"
    assert (await client.get("/rekap/ekspor/sippn-json?year=2026")).status_code == 404


@pytest.fixture
def extra_hooks(settings) -> Hooks:
    pm = build_plugin_manager(extra=[extra_plugin], load_entry_points=False)
    return Hooks(pm, settings)


async def test_another_plugins_format_appears_in_the_cli_the_button_and_the_api(
    db, settings, extra_hooks, tmp_path, monkeypatch
):
    from litestar.testing import AsyncTestClient

    await _ready_unit(extra_hooks)
    await make_user("adm", "admin")
    monkeypatch.setattr(sippn_cli, "_hooks", lambda: extra_hooks)
    runner = CliRunner()
    helped = await anyio.to_thread.run_sync(
        lambda: runner.invoke(command_line(), ["export", "sippn", "--help"])
    )
    assert "ndjson" in helped.output
    output = tmp_path / "sippn.ndjson"
    args = ["export", "sippn", "--unit", "PKM-A", "--year", "2026", "--format", "ndjson"]
    result = await anyio.to_thread.run_sync(
        lambda: runner.invoke(command_line(), [*args, "--output", str(output)])
    )
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text()) == {"unit": "PKM-A", "konversi": 87.5}

    app = make_app(settings, extra_hooks)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        headers = await bearer(client, "adm")
        listed = (await client.get("/api/v1/export-formats", headers=headers)).json()
        assert {"code": "sippn-ndjson", "dataset_kind": "sippn"}.items() <= next(
            f for f in listed if f["code"] == "sippn-ndjson"
        ).items()
        api = await client.get(f"{API}?unit=PKM-A&year=2026&format=ndjson", headers=headers)
        assert api.status_code == 200 and api.headers["content-type"].startswith(
            "application/x-ndjson"
        )
        await login(client, "adm", PASSWORD)
        page = (await client.get("/units/PKM-A")).text
        assert 'name="format" value="ndjson"' in page and "SIPPN (NDJSON)" in page
