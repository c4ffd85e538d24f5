"""Piccolo's configuration: the engine for DATABASE_URL, built on import without side effects
(no folder, file, connection or secret is created here; core.db.prepare_database does that)."""

from piccolo.conf.apps import AppRegistry

from core.db import engine_for_url
from core.settings import database_url_from_env

DB = engine_for_url(database_url_from_env())

APP_REGISTRY = AppRegistry(apps=["core.piccolo_app"])
