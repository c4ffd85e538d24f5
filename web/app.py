"""create_app(): the web app, built from settings, the plugin facade and a job sender.

The job sender (core.jobs.dispatch.JobSender) is given by the caller — the ``suara run`` command
receives it from the composition root (suara_cli) — so web never imports the worker's queue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

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
from litestar.types import ASGIApp, Receive, Scope, Send

from core.accounts.sessions import SESSION_LIFETIME
from core.db import close_pool, prepare_database, start_pool
from core.hooks import Hooks
from core.jobs.dispatch import JobSender
from core.jobs.outbox import Relay, relaying
from core.plugins import build_plugin_manager
from core.settings import Settings
from core.surveys.public import SurveyLinks
from core.tabular import MAX_UPLOAD_BYTES
from web import health, home
from web.accounts import api as accounts_api
from web.accounts import pages as accounts_pages
from web.accounts import users as accounts_users
from web.audit import pages as audit_pages
from web.context import provide_actor
from web.errors import EXCEPTION_HANDLERS
from web.forums import API_ROUTES as FORUM_API_ROUTES
from web.forums import PAGE_ROUTES as FORUM_PAGE_ROUTES
from web.head import head_as_get
from web.i18n import Translator
from web.input_guard import refuse_impossible_input
from web.inspection import API_ROUTES as INSPECTION_API_ROUTES
from web.inspection import PAGE_ROUTES as INSPECTION_PAGE_ROUTES
from web.notifications import pages as notifications_pages
from web.openapi import StrictStructSchemas, declare_answers
from web.plans import API_ROUTES as PLAN_API_ROUTES
from web.plans import PAGE_ROUTES as PLAN_PAGE_ROUTES
from web.portal import api as portal_api
from web.portal import opendata as portal_opendata
from web.portal import pages as portal_pages
from web.public import api as public_api
from web.public import form as public_form
from web.public import materials as public_materials
from web.reports import routes as reports
from web.security_headers import add_security_headers
from web.surveys import api as surveys_api
from web.surveys import cycles as survey_cycles
from web.surveys import dashboards as survey_dashboards
from web.surveys import entry as survey_entry
from web.surveys import kiosks as survey_kiosks
from web.surveys import questionnaire as survey_questionnaire
from web.surveys import responses as survey_responses
from web.units import api as units_api
from web.units import pages as units_pages

WEB_DIR = Path(__file__).parent
SESSION_MAX_AGE_SECONDS = int(SESSION_LIFETIME.total_seconds())
# The largest upload plus room for the rest of its form; a bigger body is refused (413) while it
# streams in, before it is held in memory.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024


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


def _relay_middleware(relay: Relay):
    """ASGI middleware: jobs committed while serving a request are relayed by this app's relay."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def relayed(scope: Scope, receive: Receive, send: Send) -> None:
            with relaying(relay):
                await app(scope, receive, send)

        return relayed

    return middleware


def create_app(
    settings: Settings | None = None,
    hooks: Hooks | None = None,
    sender: JobSender | None = None,
    worker_process: Callable[[], str] | None = None,
) -> Litestar:
    """Build the Litestar app from settings, the plugin facade and the job sender.

    Without a sender, jobs wait for the worker's periodic relay and /healthz reports 503.
    ``worker_process`` describes the worker child that ``suara run`` supervises, for /healthz.
    """
    settings = settings or Settings.from_env()
    hooks = hooks or Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)
    relay = (
        Relay(sender.send, sender.broker_epoch) if sender is not None else Relay(None)
    )

    async def on_startup() -> None:
        await prepare_database()
        if settings.db_pool:
            await start_pool()

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
    app = Litestar(
        route_handlers=[
            # HTML pages are not part of the API: only /api/v1 and /healthz are documented.
            Router(
                path="/",
                route_handlers=[
                    *home.ROUTES,
                    *accounts_pages.ROUTES,
                    *accounts_users.ROUTES,
                    *units_pages.ROUTES,
                    *audit_pages.ROUTES,
                    *notifications_pages.ROUTES,
                    *public_form.ROUTES,
                    *public_materials.ROUTES,
                    *portal_pages.ROUTES,
                    *portal_opendata.ROUTES,
                    *survey_cycles.ROUTES,
                    *survey_entry.ROUTES,
                    *survey_questionnaire.ROUTES,
                    *survey_dashboards.ROUTES,
                    *survey_kiosks.PAGE_ROUTES,
                    *FORUM_PAGE_ROUTES,
                    *INSPECTION_PAGE_ROUTES,
                    *PLAN_PAGE_ROUTES,
                ],
                include_in_schema=False,
            ),
            *accounts_api.ROUTES,
            *units_api.ROUTES,
            *surveys_api.ROUTES,
            *public_api.ROUTES,
            *portal_api.ROUTES,
            *FORUM_API_ROUTES,
            *INSPECTION_API_ROUTES,
            *PLAN_API_ROUTES,
            *reports.ROUTES,
            *survey_kiosks.API_ROUTES,
            *survey_responses.ROUTES,  # the response list, void and correction: pages and API
            health.healthz,
            *hooks.route_handlers(),
            create_static_files_router(
                path="/static", directories=[WEB_DIR / "static"], include_in_schema=False
            ),
        ],
        dependencies={"actor": Provide(provide_actor)},
        middleware=[_relay_middleware(relay), session.middleware],
        before_send=[add_security_headers],
        csrf_config=csrf,
        template_config=_templates(hooks),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        before_request=refuse_impossible_input,
        request_max_body_size=MAX_REQUEST_BYTES,
        openapi_config=OpenAPIConfig(title="Suara API", version="1", path="/schema"),
        plugins=[StrictStructSchemas()],
        on_startup=[on_startup],
        on_shutdown=[close_pool],
        state=State(
            {
                "settings": settings,
                "hooks": hooks,
                "sender": sender,
                "worker_process": worker_process,
                "translator": Translator(),
                "survey_links": SurveyLinks(),
            }
        ),
    )
    declare_answers(app)
    app.asgi_handler = head_as_get(app.asgi_handler)  # HEAD answers like GET, without a body
    return app
