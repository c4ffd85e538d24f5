"""User administration for admins: list, create, role and units, (de)activate, reset a password."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts import management
from core.accounts.passwords import MIN_PASSWORD_LENGTH
from core.accounts.policy import Action, Actor, require
from core.accounts.service import create_user, list_users
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from core.units.service import list_units
from web.context import CurrentActor, page, signed_in
from web.forms import FORM_KEY, form_errors, read_form

PROFILE_FIELDS = ("username", "full_name", "email", "role")
# After an action the user page says what happened (?pesan=…); unknown keys show nothing.
NOTICES = {
    "dibuat": "Pengguna dibuat. Sampaikan kata sandi awalnya secara langsung.",
    "disimpan": "Perubahan tersimpan.",
    "dinonaktifkan": "Akun dinonaktifkan; sesi dan token API-nya tidak berlaku lagi.",
    "diaktifkan": "Akun diaktifkan kembali.",
    "sandi": "Kata sandi baru tersimpan; sesi dan token API lama pengguna ini berakhir.",
}


def _errors(exc: DomainError) -> dict[str, str]:
    """Core's refusal as the form's errors (permission and not-found get their own page)."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    return form_errors(exc).fields


async def _form_page(
    request: Request,
    actor: Actor,
    *,
    user: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    password_errors: dict[str, str] | None = None,
) -> Template:
    failed = bool(errors or password_errors)
    chosen = set(values.get("units", []))
    units = await list_units(actor, include_inactive=False)
    return page(
        request,
        "accounts/user_form.html",
        status_code=422 if failed else 200,
        user=user,
        values=values,
        errors=errors or {},
        password_errors=password_errors or {},
        # the chosen units first, so they show at the top of the scrolling list
        units=sorted(units, key=lambda unit: unit.code not in chosen),
        notice=NOTICES.get(request.query_params.get("pesan", ""), ""),
        form_key=FORM_KEY,
        min_password=MIN_PASSWORD_LENGTH,
    )


@get("/pengguna")
async def users_list(request: Request, actor: CurrentActor) -> Template:
    """Every account with its role, units, status and last log-in."""
    users = await list_users(signed_in(actor))
    return page(request, "accounts/users.html", users=users)


@get("/pengguna/baru")
async def user_new(request: Request, actor: CurrentActor) -> Template:
    """The form for a new account."""
    actor = require(signed_in(actor), Action.manage_users)
    return await _form_page(request, actor, user=None, values={"role": "operator", "units": []})


@post("/pengguna")
async def user_create(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Create the account, or show each problem next to its field (nothing is written)."""
    actor = signed_in(actor)
    form = await read_form(request)
    values: dict[str, Any] = {**form.values(*PROFILE_FIELDS), "units": form.many("units")}
    try:
        await create_user(
            actor,
            values["username"],
            values["role"],
            form.secret("password"),
            values["units"],
            values["full_name"],
            values["email"],
        )
    except Conflict as exc:  # the only conflict here: the name is taken
        errors = {"username": exc.message}
        return await _form_page(request, actor, user=None, values=values, errors=errors)
    except DomainError as exc:
        errors = _errors(exc)
        return await _form_page(request, actor, user=None, values=values, errors=errors)
    return Redirect(path=f"/pengguna/{values['username'].lower()}?pesan=dibuat")


@get("/pengguna/{username:str}")
async def user_edit(request: Request, actor: CurrentActor, username: FromPath[str]) -> Template:
    """One account: role and units, status, and a new password."""
    actor = signed_in(actor)
    user = await management.user_detail(actor, username)
    return await _form_page(request, actor, user=user, values=user)


@post("/pengguna/{username:str}")
async def user_update(
    request: Request, actor: CurrentActor, username: FromPath[str]
) -> Template | Redirect:
    """Save role, units, name and e-mail."""
    actor = signed_in(actor)
    user = await management.user_detail(actor, username)
    form = await read_form(request)
    values: dict[str, Any] = {**form.values(*PROFILE_FIELDS), "units": form.many("units")}
    try:
        await management.update_user(
            actor,
            username,
            role=values["role"],
            unit_codes=values["units"],
            full_name=values["full_name"],
            email=values["email"],
        )
    except DomainError as exc:
        values["username"] = username
        return await _form_page(request, actor, user=user, values=values, errors=_errors(exc))
    return Redirect(path=f"/pengguna/{username}?pesan=disimpan")


@post("/pengguna/{username:str}/aktif")
async def user_set_active(
    request: Request, actor: CurrentActor, username: FromPath[str]
) -> Template | Redirect:
    """Deactivate or reactivate the account."""
    actor = signed_in(actor)
    active = (await read_form(request)).flag("active")
    try:
        await management.set_user_active(actor, username, active)
    except DomainError as exc:
        user = await management.user_detail(actor, username)
        return await _form_page(request, actor, user=user, values=user, errors=_errors(exc))
    return Redirect(
        path=f"/pengguna/{username}?pesan={'diaktifkan' if active else 'dinonaktifkan'}"
    )


@post("/pengguna/{username:str}/kata-sandi")
async def user_reset_password(
    request: Request, actor: CurrentActor, username: FromPath[str]
) -> Template | Redirect:
    """Set a new password for the account."""
    actor = signed_in(actor)
    form = await read_form(request)
    try:
        await management.reset_password(actor, username, form.secret("password"))
    except DomainError as exc:
        user = await management.user_detail(actor, username)
        return await _form_page(
            request, actor, user=user, values=user, password_errors=_errors(exc)
        )
    return Redirect(path=f"/pengguna/{username}?pesan=sandi")


ROUTES = [
    users_list,
    user_new,
    user_create,
    user_edit,
    user_update,
    user_set_active,
    user_reset_password,
]
