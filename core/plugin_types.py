"""Plain value types exchanged between the core and plugins through hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Tally = Mapping[str, Mapping[int, int]]


@dataclass(frozen=True)
class ScoringMethod:
    """A way to turn answer tallies into an index; the core never does the arithmetic itself."""

    code: str
    label: str
    score: Callable[[Tally, int], Any]
    minimum_sample: Callable[[int], int]
    questionnaire: tuple[Any, ...]
    interpretation: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ExportFormat:
    """A file format the core can write a dataset into."""

    code: str
    label: str
    media_type: str
    extension: str
    render: Callable[[Mapping[str, Any]], bytes]


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one recipient, already rendered.

    ``recipient`` is the address the channel chose (see ``NotificationChannel.address``);
    ``person`` is the whole recipient: ``kind`` ("stakeholder" or "user"), ``id``, ``name``,
    ``email``, ``phone`` and ``user_id``.
    """

    recipient: str
    subject: str
    body: str
    event: str
    data: Mapping[str, Any]
    person: Mapping[str, Any] = field(default_factory=dict)


def email_address(person: Mapping[str, Any]) -> str | None:
    """The default address of a recipient: their e-mail, or None when they have none."""
    value = str(person.get("email") or "").strip()
    return value or None


@dataclass(frozen=True)
class NotificationChannel:
    """A way to deliver messages; send raises on failure so the worker can retry.

    ``send`` may be a plain function or a coroutine function (the core awaits it). ``address``
    picks the address this channel uses from a recipient mapping (kind, id, name, email, phone,
    user_id); None means the channel cannot reach that recipient, who then gets nothing from it.
    """

    code: str
    label: str
    send: Callable[[OutgoingMessage], Awaitable[None] | None]
    address: Callable[[Mapping[str, Any]], str | None] = email_address
