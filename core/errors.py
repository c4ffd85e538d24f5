"""Domain errors. The web layer maps each to an HTTP status with a clear, field-naming message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed."""


class DomainError(Exception):
    """Base of every rule violation a user can cause."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists."""

    status_code = 404


class PermissionDenied(DomainError):
    """The actor is known but not allowed to do this."""

    status_code = 403


class NotAuthenticated(DomainError):
    """No valid credentials were given."""

    status_code = 401


class Conflict(DomainError):
    """The action clashes with the record's current state (duplicate code, forbidden transition)."""

    status_code = 409


class RateLimited(DomainError):
    """Too many attempts in a short time."""

    status_code = 429


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (or one cell of an imported file)."""

    field: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, object]:
        """Plain form for JSON answers."""
        data: dict[str, object] = {"field": self.field, "message": self.message}
        if self.row is not None:
            data["row"] = self.row
        return data


class ValidationFailed(DomainError):
    """Input was rejected; every problem is listed, nothing was written."""

    status_code = 422

    def __init__(self, errors: Sequence[FieldError], message: str = "Data tidak valid") -> None:
        super().__init__(message)
        self.errors = list(errors)

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        """Shortcut for one bad field."""
        return cls([FieldError(field, message)])

    def by_field(self) -> Mapping[str, str]:
        """First message per field, for forms."""
        out: dict[str, str] = {}
        for error in self.errors:
            out.setdefault(error.field, error.message)
        return out
