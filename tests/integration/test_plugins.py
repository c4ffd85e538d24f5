"""The plugin host: validation, disabling, an external entry-point package and the plugins API.

The example plugin (tests/example_plugin) is copied into a temporary folder as the package
``suara_example_plugin`` next to a ``.dist-info`` declaring the ``suara`` entry point, so it is
found by ``importlib.metadata`` and loaded exactly like an installed third-party plugin. It
implements every hook: suara_event, suara_scoring_methods, suara_export_formats,
suara_notification_channels, suara_register_routes, suara_template_dirs, suara_register_commands.
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
from pluggy import PluginValidationError

from core import cli, hookspecs
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.plugin_types import OutgoingMessage
from core.plugins import build_plugin_manager, hookimpl
from core.settings import Settings
from tests.factories import PASSWORD, make_user
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


@pytest.fixture
def example_pm(site: Path):
    """A manager built the production way (built-ins plus entry points)."""
    return build_plugin_manager()


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


async def _token(client, username: str) -> str:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


# --- validation and disabling ---------------------------------------------------------------


def test_misspelt_hook_name_is_rejected():
    class Typo:
        @hookimpl
        def suara_evnt(self, name: str, payload: dict[str, Any]) -> None:
            """Misspelt suara_event."""

    with pytest.raises(PluginValidationError, match="suara_evnt"):
        build_plugin_manager(extra=[Typo()], load_entry_points=False)


def test_hookimpl_with_unknown_argument_is_rejected():
    class WrongArgs:
        @hookimpl
        def suara_event(self, name: str, body: dict[str, Any]) -> None:
            """Asks for an argument the spec does not have."""

    with pytest.raises(PluginValidationError, match="body"):
        build_plugin_manager(extra=[WrongArgs()], load_entry_points=False)


def test_builtin_plugin_can_be_disabled():
    assert build_plugin_manager(load_entry_points=False).get_plugin("plugins.skm") is not None
    pm = build_plugin_manager(disabled=["plugins.skm"], load_entry_points=False)
    assert pm.get_plugin("plugins.skm") is None
    assert pm.is_blocked("plugins.skm")
    assert "plugins.skm" not in {info.name for info in Hooks(pm).describe()}


def test_settings_read_disabled_plugins_as_comma_list(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SUARA_DISABLED_PLUGINS", " plugins.skm , example,,")
    settings = Settings.from_env()
    assert settings.disabled_plugins == frozenset({"plugins.skm", "example"})
    pm = build_plugin_manager(disabled=settings.disabled_plugins, load_entry_points=False)
    assert pm.get_plugin("plugins.skm") is None

    monkeypatch.setenv("SUARA_DISABLED_PLUGINS", "")
    assert Settings.from_env().disabled_plugins == frozenset()


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


def test_suara_export_formats(example_pm):
    formats = Hooks(example_pm).export_formats()
    csv_format = formats["contoh-csv"]
    assert (csv_format.media_type, csv_format.extension) == ("text/csv", "csv")
    data = csv_format.render({"columns": ["kode", "nilai"], "rows": [["A", 1], ["B", 2]]})
    assert data.decode("utf-8").splitlines() == ["kode,nilai", "A,1", "B,2"]


def test_suara_notification_channels(example_pm):
    plugin = _example(example_pm)
    channel = Hooks(example_pm).notification_channels()["contoh"]
    message = OutgoingMessage(
        recipient="warga@example.org",
        subject="Tindak lanjut",
        body="Pengaduan Anda sedang diproses.",
        event="unit.created",
        data={"unit": "X"},
    )
    channel.send(message)
    assert list(plugin.SENT) == [message]


def test_suara_scoring_methods(example_pm):
    mean = Hooks(example_pm).scoring_methods()["mean"]
    tally = {"U1": {1: 1, 4: 3}, "U2": {3: 2}}
    assert mean.score(tally, 6) == pytest.approx((1 + 12 + 6) / 6)
    assert mean.score({}, 0) == 0.0
    assert mean.minimum_sample(120) == 120


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

        token = await _token(client, "root")
        response = await client.get("/api/v1/plugins", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
        listed = {item["name"]: item for item in response.json()}
        assert listed[ENTRY_POINT]["source"] == DIST_SOURCE
        assert set(listed[ENTRY_POINT]["hooks"]) == HOOKS


# --- the plugins API on the standard test app (conftest's app: built-ins, no entry points) ---


async def test_plugins_api_lists_plugins_for_admin(app, db):
    await make_user("root", "admin")
    async with _client(app) as client:
        token = await _token(client, "root")
        response = await client.get("/api/v1/plugins", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    listed = {item["name"]: item for item in response.json()}
    assert listed["plugins.skm"]["source"] == "built-in"
    assert isinstance(listed["plugins.skm"]["hooks"], list)
    assert all(hook in HOOKS for item in listed.values() for hook in item["hooks"])


async def test_plugins_api_is_for_admins_only(app, db):
    await make_user("pemeriksa", "inspector")
    async with _client(app) as client:
        assert (await client.get("/api/v1/plugins")).status_code == 401
        token = await _token(client, "pemeriksa")
        response = await client.get("/api/v1/plugins", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
