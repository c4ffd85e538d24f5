"""Log-in, log-out and the language switch."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.service import authenticate
from core.errors import NotAuthenticated, RateLimited
from web.context import back_to, page
from web.forms import read_form
from web.i18n import LOCALES


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@get("/login", name="login")
async def login_form(request: Request) -> Template:
    """The log-in page."""
    return page(
        request, "login.html", username="", error=None, next=request.query_params.get("next", "/")
    )


@post("/login")
async def login(request: Request) -> Template | Redirect:
    """Check credentials; on success start a fresh session and go to ?next=."""
    form = await read_form(request)
    username = form.one("username")
    try:
        actor = await authenticate(
            request.app.state.settings,
            username,
            form.data.get("password", [""])[-1],
            _client(request),
        )
    except (NotAuthenticated, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        return page(
            request,
            "login.html",
            status_code=status,
            username=username,
            error=exc.message,
            next=request.query_params.get("next", "/"),
        )
    lang = request.session.get("lang")
    request.clear_session()
    request.set_session({"uid": actor.user_id, **({"lang": lang} if lang else {})})
    return back_to(request, "/")


@post("/logout")
async def logout(request: Request) -> Redirect:
    """End the session."""
    lang = request.session.get("lang")
    request.clear_session()
    if lang:
        request.set_session({"lang": lang})
    return Redirect(path="/login")


@get("/bahasa/{lang:str}")
async def switch_language(request: Request, lang: FromPath[str]) -> Redirect:
    """Remember the visitor's language and go back."""
    if lang in LOCALES:
        request.session["lang"] = lang
    return back_to(request, "/")


ROUTES = [login_form, login, logout, switch_language]
