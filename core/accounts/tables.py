"""Piccolo tables for users, their unit scope, API tokens and failed log-ins."""

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.table import Table

from core.units.tables import Unit


class Role(StrEnum):
    """What a signed-in user may do (see core.accounts.policy)."""

    admin = "admin"
    operator = "operator"
    organizer = "organizer"
    inspector = "inspector"


class User(Table, tablename="app_user"):
    """A staff member who signs in; citizens never have accounts."""

    username = Varchar(length=60, unique=True, index=True)
    full_name = Varchar(length=200, default="")
    email = Varchar(length=200, default="")
    password_hash = Varchar(length=255, secret=True)
    role = Varchar(length=20, choices=Role)
    active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)


class UserUnit(Table, tablename="app_user_unit"):
    """The units an operator (or organiser) is scoped to."""

    user = ForeignKey(User, null=False, index=True)
    unit = ForeignKey(Unit, null=False, index=True)


class ApiToken(Table, tablename="api_token"):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(User, null=False, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()


class LoginFailure(Table, tablename="login_failure"):
    """One failed log-in, kept for rate limiting across processes."""

    key = Varchar(length=200, index=True)
    at = Timestamptz()


class UserSession(Table, tablename="user_session"):
    """A signed-in browser session; the cookie holds a random id whose SHA-256 is stored here, so
    log-out, a password change or a deactivation end it on the server."""

    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(User, null=False, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
