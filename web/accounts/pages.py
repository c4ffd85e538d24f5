"""Log-in, log-out, the language switch, and changing one's own password."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.management import change_own_password
from core.accounts.passwords import MIN_PASSWORD_LENGTH
from core.accounts.service import authenticate
from core.errors import NotAuthenticated, RateLimited, ValidationFailed
from web.context import CurrentActor, back_to, page, signed_in, start_session
from web.forms import form_errors, read_form
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
            form.secret("password"),
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
    await start_session(request, actor)
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


def _password_page(
    request: Request, errors: dict[str, str] | None = None, saved: bool = False
) -> Template:
    return page(
        request,
        "accounts/password.html",
        status_code=422 if errors else 200,
        errors=errors or {},
        saved=saved,
        min_password=MIN_PASSWORD_LENGTH,
    )


@get("/akun/kata-sandi")
async def password_form(request: Request, actor: CurrentActor) -> Template:
    """The form to change one's own password."""
    signed_in(actor)
    return _password_page(request, saved=request.query_params.get("tersimpan") == "1")


@post("/akun/kata-sandi")
async def password_change(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Replace the password after checking the current one; each problem next to its field."""
    actor = signed_in(actor)
    form = await read_form(request)
    raw = {name: form.secret(name) for name in ("current", "new", "confirmation")}
    try:
        await change_own_password(actor, raw["current"], raw["new"], raw["confirmation"])
    except ValidationFailed as exc:
        return _password_page(request, errors=form_errors(exc).fields)
    await start_session(request, actor)  # this session goes on; the user's others end
    return Redirect(path="/akun/kata-sandi?tersimpan=1")


ROUTES = [login_form, login, logout, switch_language, password_form, password_change]
