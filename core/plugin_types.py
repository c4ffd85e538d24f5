"""Plain value types exchanged between the core and plugins through hooks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    """One message to one recipient, already rendered."""

    recipient: str
    subject: str
    body: str
    event: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class NotificationChannel:
    """A way to deliver messages; send raises on failure so the worker can retry."""

    code: str
    label: str
    send: Callable[[OutgoingMessage], None]
