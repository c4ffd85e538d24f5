"""Reading HTML forms and showing core's errors on them: one rule for every page.

Repeated fields: ``one()`` takes the **last** value sent (a hidden default followed by a checkbox
sends both; the checkbox wins), ``many()`` takes every non-blank value in order. Values are
stripped of surrounding white space, except by ``text()``, which keeps a textarea's inner lines
(CRLF folded to LF, as the browser's maxlength counts them), and ``secret()`` (passwords, as typed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from litestar import Request

from core.errors import DomainError, ValidationFailed

FORM_KEY = "_form"
"""The key of an error about the form as a whole (shown at the top, not next to a field)."""


@dataclass(frozen=True)
class Form:
    """A submitted form: every name with all the values sent for it."""

    data: Mapping[str, list[str]]

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Form:
        """Normalise a Litestar form mapping (value or list of values per name)."""
        data: dict[str, list[str]] = {}
        for name, value in raw.items():
            values = value if isinstance(value, list) else [value]
            data[name] = ["" if v is None else str(v) for v in values if not hasattr(v, "read")]
        return cls(data)

    def one(self, name: str, default: str = "") -> str:
        """The last value sent for ``name``, stripped; ``default`` when none was sent."""
        values = self.data.get(name)
        return values[-1].strip() if values else default

    def secret(self, name: str) -> str:
        """The last value sent for ``name`` exactly as typed (passwords keep their spaces)."""
        values = self.data.get(name)
        return values[-1] if values else ""

    def many(self, name: str) -> list[str]:
        """Every non-blank value sent for ``name``, stripped, in order."""
        return [v.strip() for v in self.data.get(name, []) if v.strip()]

    def text(self, name: str) -> str:
        """A textarea's value: line breaks as LF, outer white space stripped."""
        values = self.data.get(name)
        return values[-1].replace("\r\n", "\n").strip() if values else ""

    def flag(self, name: str) -> bool:
        """True when a checkbox was ticked (its last value is not blank, 0, off or false)."""
        return self.one(name).lower() not in {"", "0", "off", "false"}

    def integer(self, name: str) -> int | None:
        """An ASCII whole number (dots as thousands separators allowed), else None."""
        text = self.one(name).replace(".", "")
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None

    def day(self, name: str) -> date | None:
        """An ISO date (YYYY-MM-DD), else None."""
        try:
            return date.fromisoformat(self.one(name))
        except ValueError:
            return None

    def values(self, *names: str) -> dict[str, str]:
        """``one()`` of each name, for redisplaying the form."""
        return {name: self.one(name) for name in names}


async def read_form(request: Request) -> Form:
    """The request's url-encoded or multipart form (files left out; read them from the request)."""
    raw = await request.form()
    return Form.of(raw.dict() if hasattr(raw, "dict") else dict(raw))


@dataclass
class FormErrors:
    """Errors by form field name, in the order they were found, plus a message for the form."""

    fields: dict[str, str] = field(default_factory=dict)

    @property
    def form(self) -> str:
        """The message about the form as a whole ('' if none)."""
        return self.fields.get(FORM_KEY, "")

    def __bool__(self) -> bool:
        return bool(self.fields)

    def add(self, name: str, message: str) -> None:
        """Keep the first message per field."""
        self.fields.setdefault(name, message)


def form_errors(
    exc: DomainError,
    rename: Mapping[str, str] | Callable[[str], str] | None = None,
) -> FormErrors:
    """Core's error as form errors: each field error under its form field name.

    ``rename`` maps core field names (``profile.usia``, ``agenda.2.title``) to the form's; a
    mapping leaves unknown names as they are. Any other domain error (a conflict, a refused move)
    becomes the form-wide message.
    """
    errors = FormErrors()
    if isinstance(exc, ValidationFailed):
        for error in exc.errors:
            name = error.field
            if callable(rename):
                name = rename(name)
            elif rename is not None:
                name = rename.get(name, name)
            errors.add(name, error.message)
    if not errors:
        errors.add(FORM_KEY, exc.message)
    return errors
