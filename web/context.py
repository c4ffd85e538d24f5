"""Per-request helpers: the current actor, the locale, and rendering pages with shared context."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect, Template

from core.accounts.labels import ROLE_LABELS
from core.accounts.policy import Action, Actor, can
from core.accounts.service import actor_for_token, actor_for_user, session_stamp
from core.errors import NotAuthenticated
from core.units.validation import KIND_LABELS
from web.formatting import LocalTime
from web.i18n import LOCALES
from web.links import base_url_mismatch

_ACTOR_KEY = "suara_actor"


async def current_actor(request: Request) -> Actor | None:
    """The signed-in user: a bearer token on /api, else the session cookie (cached per request)."""
    state = request.state
    if _ACTOR_KEY in state:
        return state[_ACTOR_KEY]
    actor: Actor | None = None
    if request.url.path.startswith("/api/"):
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            actor = await actor_for_token(header[7:].strip())
    else:
        session = request.session if "session" in request.scope else {}
        user_id, stamp = session.get("uid"), session.get("pw")
        if isinstance(user_id, int) and isinstance(stamp, str):
            actor = await actor_for_user(user_id, stamp)
    state[_ACTOR_KEY] = actor
    return actor


async def start_session(request: Request, actor: Actor) -> None:
    """A fresh session for the actor (the language kept), tied to their current password."""
    lang = request.session.get("lang")
    request.clear_session()
    assert actor.user_id is not None
    stamp = await session_stamp(actor.user_id)
    request.set_session({"uid": actor.user_id, "pw": stamp, **({"lang": lang} if lang else {})})


async def provide_actor(request: Request) -> Actor | None:
    """Dependency: the actor or None."""
    return await current_actor(request)


def signed_in(actor: Actor | None) -> Actor:
    """The actor, or NotAuthenticated (pages redirect to /login, the API answers 401)."""
    if actor is None:
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")
    return actor


async def token_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """API guard: 401 without a valid bearer token, before the request body is even read."""
    if await current_actor(connection) is None:  # type: ignore[arg-type]
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")


def locale_of(request: Request) -> str:
    """The visitor's chosen locale (session), else the installation default."""
    chosen = request.session.get("lang") if "session" in request.scope else None
    if chosen in LOCALES:
        return str(chosen)
    return request.app.state.settings.locale


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Template:
    """Render a page with the translator, the actor, permissions, shared labels and local time.

    ``t`` (a ``web.formatting.LocalTime``) shows every stored moment in the installation's zone.
    """
    lang = locale_of(request)
    translator = request.app.state.translator
    actor = request.state.get(_ACTOR_KEY)

    def _(message: str, **values: Any) -> str:
        text = translator.gettext(lang, message)
        return text.format(**values) if values else text

    base = {
        "_": _,
        "lang": lang,
        "locales": LOCALES,
        "actor": actor,
        "can": lambda action, unit_id=None: can(actor, Action(action), unit_id),
        "kind_labels": KIND_LABELS,
        "role_labels": ROLE_LABELS,
        "request_path": request.url.path,
        "t": LocalTime(request.app.state.settings.timezone, lang),
        "base_url_mismatch": base_url_mismatch(request),
    }
    base.update(context)
    return Template(template_name=template, context=base, status_code=status_code)


def back_to(request: Request, default: str = "/") -> Redirect:
    """Redirect to a local ?next= target (never an outside site)."""
    target = request.query_params.get("next") or default
    # "//host" and "/\\host" are both read by browsers as another site.
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        target = default
    return Redirect(path=target)


CurrentActor = NamedDependency[Actor | None]
"""Handler parameter type for the signed-in actor (provided app-wide as ``actor``)."""
