"""Managing accounts after they exist: role and units, (de)activation, password resets and changes.

Admins manage everyone (never leaving the installation without an active admin); every user
changes their own password. Each change is audited; passwords never reach the audit log. A reset,
a change or a deactivation revokes the user's API tokens; a new password also ends the sessions
signed in with the old one (see ``service.session_stamp``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.accounts.passwords import hash_password, verify_password
from core.accounts.policy import Action, Actor, require
from core.accounts.service import check_password, check_profile, check_role_and_units
from core.accounts.tables import ApiToken, Role, User, UserUnit
from core.audit.service import record
from core.db import atomic
from core.errors import Conflict, FieldError, NotAuthenticated, NotFound, ValidationFailed

_USER_COLUMNS = (
    User.id,
    User.username,
    User.full_name,
    User.email,
    User.role,
    User.active,
    User.created_at,
    User.last_login_at,
)


async def _user_row(username: str) -> dict[str, Any]:
    row = await User.select(*_USER_COLUMNS).where(User.username == username).first()
    if row is None:
        raise NotFound("Pengguna tidak ditemukan.")
    links = await UserUnit.select(UserUnit.unit.code.as_alias("code")).where(
        UserUnit.user == row["id"]
    )
    row["units"] = sorted(link["code"] for link in links)
    return row


async def user_detail(actor: Actor, username: str) -> dict[str, Any]:
    """One user with role, unit codes, status and last log-in (admins only)."""
    require(actor, Action.manage_users)
    return await _user_row(username)


async def _refuse_if_last_admin(row: dict[str, Any], message: str) -> None:
    """Keep at least one active admin: refuse to demote or deactivate the last one."""
    if row["role"] != Role.admin.value or not row["active"]:
        return
    others = await User.count().where(
        (User.role == Role.admin.value) & (User.active.eq(True)) & (User.id != row["id"])
    )
    if others == 0:
        raise Conflict(message)


async def update_user(
    actor: Actor,
    username: str,
    *,
    role: str,
    unit_codes: Sequence[str],
    full_name: str,
    email: str,
) -> None:
    """Set a user's role, units, full name and e-mail."""
    require(actor, Action.manage_users)
    units, errors = await check_role_and_units(role, unit_codes)
    errors += check_profile(full_name, email)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        row = await _user_row(username)
        if role != row["role"]:
            await _refuse_if_last_admin(
                row, "Ini administrator aktif terakhir; perannya tidak dapat diubah."
            )
        codes = sorted(set(unit_codes))
        await User.update({User.role: role, User.full_name: full_name, User.email: email}).where(
            User.id == row["id"]
        )
        await UserUnit.delete().where(UserUnit.user == row["id"])
        for code in codes:
            await UserUnit.insert(UserUnit(user=row["id"], unit=units[code]))
        keys = ("role", "units", "full_name", "email")
        after = {"role": role, "units": codes, "full_name": full_name, "email": email}
        await record(
            actor,
            "user.updated",
            "user",
            username,
            before={k: row[k] for k in keys},
            after=after,
        )


async def set_user_active(actor: Actor, username: str, active: bool) -> None:
    """Deactivate (sessions and tokens stop working at once) or reactivate a user."""
    require(actor, Action.manage_users)
    async with atomic():
        row = await _user_row(username)
        if row["active"] == active:
            return
        if not active:
            if row["id"] == actor.user_id:
                raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri.")
            await _refuse_if_last_admin(
                row, "Ini administrator aktif terakhir; akunnya tidak dapat dinonaktifkan."
            )
            await ApiToken.delete().where(ApiToken.user == row["id"])
        await User.update({User.active: active}).where(User.id == row["id"])
        await record(
            actor,
            "user.reactivated" if active else "user.deactivated",
            "user",
            username,
            before={"active": row["active"]},
            after={"active": active},
        )


async def reset_password(actor: Actor, username: str, new_password: str) -> None:
    """An admin sets a new password for a user (who should then change it)."""
    require(actor, Action.manage_users)
    errors = check_password(new_password)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        row = await _user_row(username)
        await _set_password(row["id"], new_password)
        await record(actor, "user.password_reset", "user", username)


async def change_own_password(
    actor: Actor, current: str, new_password: str, confirmation: str
) -> None:
    """The signed-in user replaces their password, proving the current one."""
    if actor.user_id is None:
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")
    row = await User.select(User.password_hash).where(User.id == actor.user_id).first()
    if row is None:
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")
    errors: list[FieldError] = []
    if not verify_password(row["password_hash"], current):
        errors.append(FieldError("current", "kata sandi saat ini salah"))
    errors += check_password(new_password, "new")
    if new_password != confirmation:
        errors.append(FieldError("confirmation", "tidak sama dengan kata sandi baru"))
    elif new_password and new_password == current:
        errors.append(FieldError("new", "harus berbeda dari kata sandi saat ini"))
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await _set_password(actor.user_id, new_password)
        await record(actor, "user.password_changed", "user", actor.username)


async def _set_password(user_id: int, password: str) -> None:
    await User.update({User.password_hash: hash_password(password)}).where(User.id == user_id)
    await ApiToken.delete().where(ApiToken.user == user_id)
