"""Building the plugin manager: built-in plugins by import path, then the 'suara' entry points."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

import pluggy

from core import hookspecs
from core.plugin_api import PROJECT_NAME

# Built-in features are plugins too, loaded through the same hooks as third-party ones.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "plugins.skm",
    "plugins.notify",
    "plugins.tables",
    "plugins.sippn",
)


def build_plugin_manager(
    disabled: Iterable[str] = (),
    extra: Iterable[object] = (),
    load_entry_points: bool = True,
) -> pluggy.PluginManager:
    """A fresh manager with the built-in plugins, entry-point plugins and extra objects registered.

    ``disabled`` names plugins (built-in import path or entry-point name) to skip. Hook
    implementations that match no hook specification fail here (``check_pending``).
    """
    blocked = set(disabled)
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for path in BUILTIN_PLUGINS:
        if path in blocked:
            continue
        pm.register(importlib.import_module(path), name=path)
    for name in blocked:
        pm.set_blocked(name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(PROJECT_NAME)
    for plugin in extra:
        pm.register(plugin)
    pm.check_pending()
    return pm
