"""The typed facade that is the only caller of plugin hooks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from core.plugin_api import ExportFormat, NotificationChannel, PluginContext, ScoringMethod
from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin and the hooks it implements."""

    name: str
    hooks: tuple[str, ...]
    source: str


def _unique_by_code(kind: str, items: list[list[Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for batch in items:
        for item in batch or []:
            if item.code in found:
                raise ValueError(f"two plugins provide the {kind} {item.code!r}")
            found[item.code] = item
    return found


class Hooks:
    """One method per hook, so callers never touch ``pm.hook`` and every call is type-checked."""

    def __init__(self, pm: pluggy.PluginManager, settings: Settings | None = None) -> None:
        """``settings`` are handed to the list hooks; without them, the process's environment is
        read here, once (``Settings.from_env``), never by a plugin."""
        self._pm = pm
        self._context = PluginContext(settings=settings or Settings.from_env())

    @property
    def context(self) -> PluginContext:
        """What the list hooks receive."""
        return self._context

    @property
    def manager(self) -> pluggy.PluginManager:
        """The underlying plugin manager (for listing and tests)."""
        return self._pm

    def emit(self, name: str, payload: dict[str, Any]) -> None:
        """Deliver a committed domain event to every plugin."""
        self._pm.hook.suara_event(name=name, payload=payload)

    def _batches(self, hook: str) -> list[list[Any]]:
        """The results of a list hook from every plugin, each given the plugin context."""
        return getattr(self._pm.hook, hook)(context=self._context)

    def scoring_methods(self) -> dict[str, ScoringMethod]:
        """Scoring methods by code."""
        return _unique_by_code("scoring method", self._batches("suara_scoring_methods"))

    def export_formats(self, kind: str | None = None) -> dict[str, ExportFormat]:
        """Export formats by code (codes are unique across kinds); only those for datasets of
        ``kind`` when it is given."""
        formats = _unique_by_code("export format", self._batches("suara_export_formats"))
        if kind is None:
            return formats
        return {code: f for code, f in formats.items() if f.dataset_kind == kind}

    def notification_channels(self) -> dict[str, NotificationChannel]:
        """Notification channels by code."""
        return _unique_by_code("notification channel", self._batches("suara_notification_channels"))

    def route_handlers(self) -> list[Any]:
        """Every route handler, controller or router plugins add to the web app."""
        return [h for batch in self._batches("suara_register_routes") for h in batch]

    def template_dirs(self) -> list[Path]:
        """Plugin template folders, searched before the built-in templates."""
        return [Path(p) for batch in self._batches("suara_template_dirs") for p in batch]

    def commands(self) -> list[Any]:
        """Click commands plugins add to the ``suara`` command line."""
        return [c for batch in self._batches("suara_register_commands") for c in batch]

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin with the hooks it implements."""
        infos: list[PluginInfo] = []
        dists = {id(plugin): dist for plugin, dist in self._pm.list_plugin_distinfo()}
        for name, plugin in self._pm.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(sorted(h.name for h in self._pm.get_hookcallers(plugin) or []))
            dist = dists.get(id(plugin))
            source = f"{dist.project_name} {dist.version}" if dist else "built-in"
            infos.append(PluginInfo(name=name, hooks=hooks, source=source))
        return sorted(infos, key=lambda info: info.name)
