"""The plugin host: disabling, an external entry-point package and the plugins API.

The example plugin (tests/example_plugin) is copied into a temporary folder as the package
``suara_example_plugin`` next to a ``.dist-info`` declaring the ``suara`` entry point, so it is
found by ``importlib.metadata`` and loaded exactly like an installed third-party plugin. It
implements every hook: suara_event, suara_scoring_methods, suara_export_formats,
suara_notification_channels, suara_register_routes, suara_template_dirs, suara_register_commands,
suara_plan_vocabularies.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import AsyncTestClient

from core import cli, hookspecs, plugins
from core.accounts.policy import Actor
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.notifications.delivery import send_through
from core.notifications.preferences import channel_options
from core.plans.reads import plan_for_cycle
from core.plugin_api import OutgoingMessage, hookimpl
from core.plugins import build_plugin_manager
from core.settings import Settings
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from tests.conftest import bearer, login
from tests.factories import PASSWORD, make_unit, make_user
from web.app import WEB_DIR, create_app

EXAMPLE_SRC = Path(__file__).resolve().parents[1] / "example_plugin"
MODULE = "suara_example_plugin"
ENTRY_POINT = "example"
DIST_SOURCE = "suara-example-plugin 0.1"
HOOKS = {name for name, obj in vars(hookspecs).items() if inspect.isfunction(obj)}


def _forget_example() -> None:
    for name in [m for m in sys.modules if m == MODULE or m.startswith(f"{MODULE}.")]:
        del sys.modules[name]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path holding the example plugin as an installed distribution."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE_SRC, site / MODULE, ignore=shutil.ignore_patterns("__pycache__"))
    info = site / f"{MODULE}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: suara-example-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[suara]\n{ENTRY_POINT} = {MODULE}\n", encoding="utf-8")
    monkeypatch.delenv("SUARA_DISABLED_PLUGINS", raising=False)
    _forget_example()
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    yield site
    _forget_example()
    importlib.invalidate_caches()


# Hooks the core called while the example plugin's implementation was among those that ran.
CALLED: set[str] = set()


def _monitored(pm):
    """Record every hook call that reaches the example plugin's implementation."""

    def before(hook_name: str, hook_impls: list[Any], kwargs: dict[str, Any]) -> None:
        if any(impl.plugin_name == ENTRY_POINT for impl in hook_impls):
            CALLED.add(hook_name)

    pm.add_hookcall_monitoring(before, lambda outcome, hook_name, hook_impls, kwargs: None)
    return pm


@pytest.fixture
def example_pm(site: Path):
    """A manager built the production way (built-ins plus entry points), its calls recorded."""
    return _monitored(build_plugin_manager())


def _example(pm) -> ModuleType:
    plugin = pm.get_plugin(ENTRY_POINT)
    assert plugin is not None, "the entry-point plugin was not loaded"
    return plugin


def _client(app) -> AsyncTestClient:
    """An in-process HTTP client.

    Create database rows *before* entering it: the client runs the app's lifespan (and so the
    PostgreSQL pool) on its own event loop, which the test's direct database calls cannot share.
    """
    return AsyncTestClient(app=app, base_url="http://testserver.local")


# --- disabling an entry-point plugin ------------------------------------------------------


def test_entry_point_plugin_can_be_disabled(site: Path, monkeypatch: pytest.MonkeyPatch):
    pm = build_plugin_manager(disabled=[ENTRY_POINT])
    assert pm.get_plugin(ENTRY_POINT) is None
    assert MODULE not in sys.modules, "a disabled plugin must not even be imported"

    monkeypatch.setenv("SUARA_DISABLED_PLUGINS", ENTRY_POINT)
    pm = build_plugin_manager(disabled=Settings.from_env().disabled_plugins)
    assert pm.get_plugin(ENTRY_POINT) is None


# --- the external package loaded through the "suara" entry point -----------------------------


def test_entry_point_plugin_is_loaded_and_described(site: Path, example_pm):
    plugin = _example(example_pm)
    assert plugin.__name__ == MODULE
    assert Path(plugin.__file__).resolve().is_relative_to(site.resolve())

    infos = {info.name: info for info in Hooks(example_pm).describe()}
    assert infos[ENTRY_POINT].source == DIST_SOURCE
    assert set(infos[ENTRY_POINT].hooks) == HOOKS, "the example plugin implements every hook"
    assert infos["plugins.skm"].source == "built-in"


def test_build_without_entry_points_ignores_the_package(site: Path):
    assert build_plugin_manager(load_entry_points=False).get_plugin(ENTRY_POINT) is None


async def test_suara_event_reaches_plugin_through_outbox_handler(example_pm):
    plugin = _example(example_pm)
    handler = default_handlers(Hooks(example_pm))["event"]
    await handler({"name": "unit.created", "payload": {"unit": "X"}})
    assert plugin.EVENTS == [("unit.created", {"unit": "X"})]


async def test_suara_notification_channels_offered_and_sent_by_the_core(example_pm, db, settings):
    plugin = _example(example_pm)
    hooks = Hooks(example_pm, settings)
    user = await make_user("warga", "inspector")
    offered = await channel_options(user, hooks)  # the inbox settings page's caller
    assert {option.code for option in offered} == {"email", "inapp"}
    message = OutgoingMessage(
        recipient="warga@example.org",
        subject="Tindak lanjut",
        body="Pengaduan Anda sedang diproses.",
        event="unit.created",
        data={"unit": "X"},
    )
    await send_through(hooks.notification_channels()["contoh"], message)
    assert list(plugin.SENT) == [message]
    assert plugin.CONTEXTS and plugin.CONTEXTS[-1].settings is settings


async def test_suara_plan_vocabularies_extend_the_drafting_job(example_pm, db, settings):
    """A unit's own lexicon and activities (from a plugin) are used by the plan drafting job."""
    await make_unit("PKM-A", "puskesmas")
    hooks = Hooks(example_pm, settings)
    system = Actor.system()
    cycle_id = await create_cycle(
        system, hooks, CycleIn(unit="PKM-A", period_type="tw1", year=2026, population=5)
    )
    await open_cycle(system, hooks, cycle_id)
    answers = {**{f"U{n}": 4 for n in range(1, 10)}, "U8": 1}
    await enter_response(system, cycle_id, ResponseIn(answers=answers, saran="Liftnya rusak"))
    await close_cycle(system, hooks, cycle_id, "Tes: ditutup sebelum sampel minimum tercapai")
    await default_handlers(hooks, settings)["plan.draft"]({"cycle": cycle_id})
    plan = await plan_for_cycle(system, cycle_id)
    assert plan.source["vocabularies"] == {
        "skm": plan.source["vocabularies"]["skm"],
        "contoh-pkm-a": "1",
    }
    first = plan.items[0]
    assert first.unsur == "U8" and first.saran == ["Liftnya rusak"]
    assert first.program == "Memperbaiki lift pasien"  # the unit's own activity comes first


ANSWERS = {"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 2}
PROFILE = {"jenis_kelamin": "P", "usia": 40, "pendidikan": "SMA", "pekerjaan": "Swasta"}


async def test_second_scoring_method_chosen_by_a_cycle_shows_in_api_dashboard_and_export(
    site: Path, example_pm, db, settings
):
    """A method from a third-party package scores a cycle with its own interpretation table."""
    await make_unit("PKM-A", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    await make_user("insp", "inspector")
    app = create_app(settings=settings, hooks=Hooks(example_pm, settings))
    async with _client(app) as client:
        headers = await bearer(client, "opr")
        created = await client.post(
            "/api/v1/cycles",
            headers=headers,
            json={
                "unit": "PKM-A",
                "period_type": "tw1",
                "year": 2026,
                "population": 3,
                "scoring_method": "puas-4",
            },
        )
        assert created.status_code == 201, created.text
        cycle = created.json()
        assert cycle["scoring_method"] == "puas-4" and cycle["minimum_sample"] == 3
        opened = (await client.post(f"/api/v1/cycles/{cycle['id']}/open", headers=headers)).json()
        url = f"/api/v1/public/cycles/{opened['token']}/responses"
        for n, answers in enumerate([ANSWERS, dict.fromkeys(ANSWERS, 4)]):
            posted = await client.post(
                url, json={"answers": answers, "profile": PROFILE, "submission_token": f"t{n}"}
            )
            assert posted.status_code == 201, posted.text

        scored = (await client.get(f"/api/v1/cycles/{cycle['id']}/score", headers=headers)).json()
        score = scored["score"]
        # U3 and U9 got a 2 once: 50 % satisfied; the seven others 100 %.
        assert score["method"] == "puas-4"
        assert score["index"] == pytest.approx((7 * 100 + 2 * 50) / 9)
        assert (score["mutu"], score["kinerja"]) == ("SP", "Sangat puas")
        assert score["withheld"] is None

        await login(client, "opr", PASSWORD)
        page = await client.get(f"/units/PKM-A/skm?siklus={cycle['id']}")
        assert page.status_code == 200, page.text
        assert "Persentase puas (0–100)" in page.text
        assert 'id="konversi">88,89<' in page.text
        assert "Cukup puas" in page.text  # the method's own legend

        insp = await bearer(client, "insp")
        formats = (await client.get("/api/v1/export-formats", headers=insp)).json()
        assert {"csv", "xlsx", "contoh-csv"} <= {f["code"] for f in formats}
        await login(client, "insp", PASSWORD)
        exported = await client.get("/rekap/ekspor/contoh-csv?year=2026")
        assert exported.status_code == 200, exported.text
        lines = exported.text.splitlines()
        assert lines[0].startswith("Kode;Nama unit;Jenis unit;TW I konversi")
        assert any(line.startswith("PKM-A;") for line in lines)
        assert any(line.startswith("Tahun;2026") for line in lines)
        recap = (await client.get("/api/v1/recap?year=2026", headers=insp)).json()
        unit = recap["units"][0]
        assert unit["score"]["method"] == "puas-4" and unit["mutu"] == "SP"
        assert recap["regency"]["other_method_cycles"] == 1  # not pooled with SKM cycles
        assert recap["regency"]["pooled"] is None
        page = await client.get("/rekap?year=2026")
        assert "1 siklus dengan metode penilaian lain" in page.text
        missing = await client.get("/rekap/ekspor/sippn?year=2026")
        assert missing.status_code == 404 and "contoh-csv" in missing.text


@pytest.mark.parametrize(
    ("hook", "method"),
    [
        ("suara_scoring_methods", "scoring_methods"),
        ("suara_export_formats", "export_formats"),
        ("suara_notification_channels", "notification_channels"),
    ],
)
def test_two_plugins_with_the_same_code_are_rejected(site: Path, hook: str, method: str):
    original = getattr(Hooks(build_plugin_manager()), method)()
    code, item = next(iter(original.items()))

    class Copycat:
        pass

    def provide() -> list[Any]:
        return [dataclasses.replace(item, label="Salinan")]

    provide.__name__ = hook
    setattr(Copycat, hook, staticmethod(hookimpl(provide)))
    hooks = Hooks(build_plugin_manager(extra=[Copycat()]))
    with pytest.raises(ValueError, match=code):
        getattr(hooks, method)()


def test_suara_register_commands_through_the_cli(site: Path, monkeypatch: pytest.MonkeyPatch):
    # The root group loads plugin commands once per process; start from a clean slate.
    monkeypatch.setattr(cli.main, "_plugins_loaded", False)
    monkeypatch.setattr(cli.main, "commands", dict(cli.main.commands))
    monkeypatch.setattr(
        plugins, "build_plugin_manager", lambda **kw: _monitored(build_plugin_manager(**kw))
    )
    runner = CliRunner()

    result = runner.invoke(cli.main, ["contoh"])
    assert result.exit_code == 0, result.output
    assert "halo dari plugin contoh" in result.output

    result = runner.invoke(cli.main, ["plugins"])
    assert result.exit_code == 0, result.output
    assert f"{ENTRY_POINT}  [{DIST_SOURCE}]" in result.output
    assert "suara_register_commands" in result.output


def test_cli_leaves_out_disabled_plugin_commands(site: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cli.main, "_plugins_loaded", False)
    monkeypatch.setattr(cli.main, "commands", dict(cli.main.commands))
    monkeypatch.setenv("SUARA_DISABLED_PLUGINS", ENTRY_POINT)
    result = CliRunner().invoke(cli.main, ["contoh"])
    assert result.exit_code != 0
    assert "contoh" not in cli.main.commands


async def test_suara_register_routes_and_suara_template_dirs(site: Path, example_pm, db, settings):
    hooks = Hooks(example_pm)
    plugin_templates = (site / MODULE / "templates").resolve()
    assert plugin_templates in [d.resolve() for d in hooks.template_dirs()]

    await make_user("root", "admin")
    app = create_app(settings=settings, hooks=hooks)
    loaders = app.template_engine.engine.loader.loaders  # type: ignore[union-attr]
    searched = [Path(loader.searchpath[0]).resolve() for loader in loaders]
    assert searched.index(plugin_templates) < searched.index((WEB_DIR / "templates").resolve())

    async with _client(app) as client:
        response = await client.get("/contoh-plugin")
        assert response.status_code == 200, response.text
        assert "Halaman dari plugin contoh" in response.text
        assert "Peristiwa yang diterima: 0" in response.text
        assert "Survei Kepuasan Masyarakat" in response.text  # the built-in base.html layout

        response = await client.get("/api/v1/plugins", headers=await bearer(client, "root"))
        assert response.status_code == 200, response.text
        listed = {item["name"]: item for item in response.json()}
        assert listed[ENTRY_POINT]["source"] == DIST_SOURCE
        assert set(listed[ENTRY_POINT]["hooks"]) == HOOKS


# --- the plugins API on the standard test app (conftest's app: built-ins, no entry points) ---


async def test_plugins_api_lists_plugins_for_admin(app, db):
    await make_user("root", "admin")
    async with _client(app) as client:
        response = await client.get("/api/v1/plugins", headers=await bearer(client, "root"))
    assert response.status_code == 200, response.text
    listed = {item["name"]: item for item in response.json()}
    assert listed["plugins.skm"]["source"] == "built-in"
    assert isinstance(listed["plugins.skm"]["hooks"], list)
    assert all(hook in HOOKS for item in listed.values() for hook in item["hooks"])


async def test_plugins_api_is_for_admins_only(app, db):
    await make_user("pemeriksa", "inspector")
    async with _client(app) as client:
        assert (await client.get("/api/v1/plugins")).status_code == 401
        response = await client.get("/api/v1/plugins", headers=await bearer(client, "pemeriksa"))
    assert response.status_code == 403


def test_every_hook_was_called_by_a_real_caller_with_a_real_implementation():
    """The tests above drive the core's own callers (outbox handler, app factory, CLI, scoring
    service, exports, notification service); each hook must have reached the example plugin.

    Runs last in this module (pytest keeps a module's order; ``--dist loadfile`` keeps the module
    on one worker), so run the whole module, not this test alone.
    """
    assert sorted(HOOKS - CALLED) == [], "hooks no real caller reached in this module"
