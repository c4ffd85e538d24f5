"""The plugin manager refuses a misspelt hook or an unknown hook argument, and leaves out a
built-in plugin named in SUARA_DISABLED_PLUGINS (the entry-point plugin: test_plugins.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pluggy import PluginValidationError

from core.hooks import Hooks
from core.plugin_api import hookimpl
from core.plugins import build_plugin_manager
from core.settings import Settings


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
