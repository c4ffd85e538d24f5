"""Piccolo's configuration: the engine comes from Settings (DATABASE_URL), never a constant."""

from piccolo.conf.apps import AppRegistry

from core.db import engine_from_settings
from core.settings import Settings

DB = engine_from_settings(Settings.from_env())

APP_REGISTRY = AppRegistry(apps=["core.piccolo_app"])
