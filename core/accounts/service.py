"""Creating users, signing in (rate-limited), API tokens and resolving the current actor."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from core.accounts.passwords import DUMMY_HASH, MIN_PASSWORD_LENGTH, hash_password, verify_password
from core.accounts.policy import Action, Actor, require
from core.accounts.tables import ApiToken, LoginFailure, Role, User, UserUnit
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotAuthenticated, RateLimited, ValidationFailed
from core.settings import Settings
from core.units.tables import Unit
from core.units.validation import EMAIL_RE

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
TOKEN_LIFETIME = timedelta(days=30)


async def create_user(
    actor: Actor,
    username: str,
    role: str,
    password: str,
    unit_codes: Sequence[str] = (),
    full_name: str = "",
    email: str = "",
) -> int:
    """Create a user; operators and organisers may be scoped to units by code."""
    require(actor, Action.manage_users)
    username = username.strip().lower()
    errors: list[FieldError] = []
    if not USERNAME_RE.match(username):
        errors.append(FieldError("username", "3–60 huruf kecil, angka, titik, garis bawah atau -"))
    errors += check_password(password)
    units, unit_errors = await check_role_and_units(role, unit_codes)
    errors += unit_errors + check_profile(full_name, email)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        if await User.exists().where(User.username == username):
            raise Conflict(f"Nama pengguna {username!r} sudah dipakai.")
        rows = await User.insert(
            User(
                username=username,
                full_name=full_name,
                email=email,
                role=role,
                password_hash=hash_password(password),
                active=True,
                created_at=utcnow(),
            )
        ).returning(User.id)
        user_id = int(rows[0]["id"])
        for code in unit_codes:
            await UserUnit.insert(UserUnit(user=user_id, unit=units[code]))
        await record(
            actor,
            "user.created",
            "user",
            username,
            after={
                "username": username,
                "role": role,
                "units": sorted(unit_codes),
                "full_name": full_name,
            },
        )
    return user_id


def check_password(password: str, field: str = "password") -> list[FieldError]:
    """A new password: at least MIN_PASSWORD_LENGTH characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldError(field, f"minimal {MIN_PASSWORD_LENGTH} karakter")]
    return []


def check_profile(full_name: str, email: str) -> list[FieldError]:
    """An optional full name (≤ 200 characters) and e-mail address (well-formed when given)."""
    errors = []
    if len(full_name) > 200:
        errors.append(FieldError("full_name", "maksimal 200 karakter"))
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors.append(FieldError("email", "alamat e-mail tidak valid"))
    return errors


async def check_role_and_units(
    role: str, unit_codes: Sequence[str]
) -> tuple[dict[str, int], list[FieldError]]:
    """The unit ids by code, and the problems: an unknown role or unit, an operator without one."""
    errors: list[FieldError] = []
    if role not in {r.value for r in Role}:
        errors.append(FieldError("role", f"peran tidak dikenal: {role!r}"))
    if role == Role.operator.value and not unit_codes:
        errors.append(FieldError("units", "operator harus ditugaskan ke minimal satu unit"))
    units = {r["code"]: r["id"] for r in await Unit.select(Unit.code, Unit.id)}
    errors += [
        FieldError("units", f"unit {code!r} tidak ada") for code in unit_codes if code not in units
    ]
    return units, errors


def _stamp(password_hash: str) -> str:
    return hashlib.sha256(f"session:{password_hash}".encode()).hexdigest()[:32]


async def session_stamp(user_id: int) -> str:
    """A value kept in the session that changes with the password, ending older sessions."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return _stamp(row["password_hash"]) if row else ""


async def actor_for_user(user_id: int, stamp: str | None = None) -> Actor | None:
    """The actor for an active user id (None when missing or deactivated).

    With ``stamp`` (a session's), also None when the password changed since it was issued.
    """
    row = (
        await User.select(User.id, User.username, User.role, User.active, User.password_hash)
        .where(User.id == user_id)
        .first()
    )
    if row is None or not row["active"]:
        return None
    if stamp is not None and not secrets.compare_digest(stamp, _stamp(row["password_hash"])):
        return None
    units = await UserUnit.select(UserUnit.unit).where(UserUnit.user == user_id)
    return Actor(
        user_id=row["id"],
        username=row["username"],
        role=Role(row["role"]),
        unit_ids=frozenset(u["unit"] for u in units),
    )


def _failure_keys(username: str, source: str) -> list[str]:
    return [f"user:{username}", f"ip:{source}"]


async def authenticate(settings: Settings, username: str, password: str, source: str) -> Actor:
    """Check a username and password; too many recent failures for the name or address blocks."""
    username = username.strip().lower()
    keys = _failure_keys(username, source)
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    await LoginFailure.delete().where(LoginFailure.at < since)
    for key in keys:
        failures = await LoginFailure.count().where(LoginFailure.key == key)
        if failures >= settings.login_max_failures:
            raise RateLimited("Terlalu banyak percobaan masuk. Coba lagi dalam beberapa menit.")
    row = (
        await User.select(User.id, User.password_hash, User.active)
        .where(User.username == username)
        .first()
    )
    valid = verify_password(row["password_hash"] if row else DUMMY_HASH, password)
    if row is None or not valid or not row["active"]:
        now = utcnow()
        await LoginFailure.insert(*[LoginFailure(key=key, at=now) for key in keys])
        raise NotAuthenticated("Nama pengguna atau kata sandi salah.")
    await LoginFailure.delete().where(LoginFailure.key == keys[0])
    await User.update({User.last_login_at: utcnow()}).where(User.id == row["id"])
    actor = await actor_for_user(row["id"])
    assert actor is not None
    return actor


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def issue_token(actor: Actor) -> str:
    """A new random bearer token for the actor; only its hash is stored."""
    if actor.user_id is None:
        raise NotAuthenticated("Token hanya untuk pengguna.")
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    await ApiToken.insert(
        ApiToken(
            token_hash=_token_hash(raw),
            user=actor.user_id,
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    return raw


async def actor_for_token(raw: str) -> Actor | None:
    """The actor behind a bearer token that exists and has not expired."""
    row = (
        await ApiToken.select(ApiToken.user, ApiToken.expires_at)
        .where(ApiToken.token_hash == _token_hash(raw))
        .first()
    )
    if row is None or row["expires_at"] <= utcnow():
        return None
    return await actor_for_user(row["user"])


async def list_users(actor: Actor) -> list[dict[str, Any]]:
    """Every user with role and unit codes (admins only)."""
    require(actor, Action.manage_users)
    users = await User.select(
        User.id, User.username, User.full_name, User.role, User.active, User.last_login_at
    ).order_by(User.username)
    links = await UserUnit.select(UserUnit.user, UserUnit.unit.code.as_alias("code"))
    by_user: dict[int, list[str]] = {}
    for link in links:
        by_user.setdefault(link["user"], []).append(link["code"])
    for user in users:
        user["units"] = sorted(by_user.get(user["id"], []))
    return users
