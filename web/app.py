"""create_app(): the composition root of the web process."""

from __future__ import annotations

import hashlib
from pathlib import Path

from celery import Celery
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from core.db import close_pool, start_pool
from core.hooks import Hooks
from core.jobs.outbox import configure_relay
from core.plugins import build_plugin_manager
from core.settings import Settings
from web.context import provide_actor
from web.controllers import (
    api,
    audit_pages,
    auth_pages,
    calendar_feeds,
    dashboards,
    forum_pages,
    forums_api,
    health,
    home,
    inbox_pages,
    public_survey,
    stakeholder_pages,
    surveys_api,
    surveys_pages,
    units_pages,
)
from web.errors import EXCEPTION_HANDLERS
from web.i18n import Translator
from web.surveys import responses as survey_responses
from workers.celery_app import make_celery, sender_for

WEB_DIR = Path(__file__).parent
SESSION_MAX_AGE_SECONDS = 8 * 3600


def _derive(secret: str, purpose: str) -> bytes:
    """A separate 32-byte key per purpose, derived from SECRET_KEY."""
    return hashlib.sha256(f"{purpose}:{secret}".encode()).digest()


def _templates(hooks: Hooks) -> TemplateConfig[JinjaTemplateEngine]:
    dirs = [*hooks.template_dirs(), WEB_DIR / "templates"]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))


def create_app(
    settings: Settings | None = None,
    hooks: Hooks | None = None,
    celery: Celery | None = None,
) -> Litestar:
    """Build the Litestar app from settings, the plugin manager and the Celery app."""
    settings = settings or Settings.from_env()
    hooks = hooks or Hooks(build_plugin_manager(disabled=settings.disabled_plugins))
    celery = celery or make_celery(settings, hooks)

    async def on_startup() -> None:
        if settings.db_pool:
            await start_pool()
        configure_relay(sender_for(celery))

    session = CookieBackendConfig(
        secret=_derive(settings.secret_key, "session"),
        key="suara_session",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=SESSION_MAX_AGE_SECONDS,
    )
    csrf = CSRFConfig(
        secret=_derive(settings.secret_key, "csrf").hex(),
        cookie_name="suara_csrf",
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,
        exclude=["^/api/"],
    )
    return Litestar(
        route_handlers=[
            # HTML pages are not part of the API: only /api/v1 and /healthz are documented.
            Router(
                path="/",
                route_handlers=[
                    *home.ROUTES,
                    *auth_pages.ROUTES,
                    *units_pages.ROUTES,
                    *audit_pages.ROUTES,
                    *inbox_pages.ROUTES,
                    *public_survey.ROUTES,
                    *surveys_pages.ROUTES,
                    *dashboards.ROUTES,
                    *stakeholder_pages.ROUTES,
                    *calendar_feeds.ROUTES,
                    *forum_pages.ROUTES,
                ],
                include_in_schema=False,
            ),
            *api.ROUTES,
            *surveys_api.ROUTES,
            *forums_api.ROUTES,
            *survey_responses.ROUTES,  # the response list, void and correction: pages and API
            health.healthz,
            *hooks.route_handlers(),
            create_static_files_router(
                path="/static", directories=[WEB_DIR / "static"], include_in_schema=False
            ),
        ],
        dependencies={"actor": Provide(provide_actor)},
        middleware=[session.middleware],
        csrf_config=csrf,
        template_config=_templates(hooks),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        openapi_config=OpenAPIConfig(title="Suara API", version="1", path="/schema"),
        on_startup=[on_startup],
        on_shutdown=[close_pool],
        state=State(
            {"settings": settings, "hooks": hooks, "celery": celery, "translator": Translator()}
        ),
    )
