"""The one module a Suara plugin imports from: the hook marker, the value types, the helpers.

Plugins (built-in or third-party) import nothing else from ``core``; what they need from the core
is named here, so the core may move its rooms without breaking them. Hooks exchange plain frozen
dataclasses, never ORM rows or the request, so one plugin works in the web process, the worker and
the command line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import pluggy

from core.cells import safe_cell
from core.clock import utcnow
from core.errors import FieldError, ValidationFailed
from core.notifications.inbox import post_to_inbox
from core.settings import Settings, SmtpSettings
from core.tabular import cell_text, read_table, rows_from_records

PROJECT_NAME = "suara"
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Decorate a function named like a hook in :mod:`core.hookspecs` to implement it."""

Tally = Mapping[str, Mapping[int, int]]
"""Question code ("U1"…) → {answer value: respondents who gave it}. Every question of the scope's
questionnaire is present; one nobody answered maps to an empty mapping."""


@dataclass(frozen=True)
class PluginContext:
    """What every list hook receives: the installation's settings (never read ``os.environ``)."""

    settings: Settings


# ---------------------------------------------------------------- scoring


class Question(Protocol):
    """One question of a method's standard questionnaire (labels: answer values 1..4)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def labels(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class InterpretationBand:
    """One row of a method's interpretation table: grade, its meaning, the range as printed."""

    mutu: str
    kinerja: str
    low: str
    high: str


@dataclass(frozen=True)
class UnsurResult:
    """One question's result. ``answered == 0`` means nobody answered it: the figures are None."""

    code: str
    name: str
    answered: int
    nrr: float | None = None
    weighted: float | None = None
    konversi: float | None = None
    mutu: str | None = None
    kinerja: str | None = None


@dataclass(frozen=True)
class ScoreResult:
    """A method's result for one set of questionnaires, read by the core as it is.

    ``index`` is on the method's own scale (the IKM, 1–4, for SKM), ``konversi`` on the scale the
    interpretation table uses. When the index cannot be stated honestly (a question nobody
    answered …), ``withheld`` says why and ``index``, ``konversi``, ``mutu``, ``kinerja`` are None;
    the per-question rows are still given.
    """

    method: str
    respondents: int
    unsur: tuple[UnsurResult, ...]
    index: float | None
    konversi: float | None
    mutu: str | None
    kinerja: str | None
    withheld: str | None = None

    def __post_init__(self) -> None:
        figures = (self.index, self.konversi, self.mutu)
        if self.withheld and any(value is not None for value in figures):
            raise ValueError("a withheld score carries no index, konversi or mutu")
        if not self.withheld and any(value is None for value in figures):
            raise ValueError("a score without index, konversi or mutu must say why (withheld)")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the API's shape)."""
        return asdict(self)

    @classmethod
    def withhold(
        cls, method: str, respondents: int, unsur: Sequence[UnsurResult], reason: str
    ) -> ScoreResult:
        """A result whose index is not stated, for the given reason."""
        return cls(method, respondents, tuple(unsur), None, None, None, None, withheld=reason)


@dataclass(frozen=True)
class ScoringMethod:
    """A way to turn answer tallies into an index; the core never does the arithmetic itself.

    ``score(tally, respondents)`` returns a :class:`ScoreResult` and never raises for data it
    cannot score: it withholds the index with a reason; it must be a pure function of its
    arguments (the core reuses the result for the same tally). ``questionnaire`` is the standard
    questionnaire the method prescribes (empty: it scores whatever questionnaire a unit uses).
    ``index_label`` and ``konversi_label`` name the two figures on pages (Indonesian).
    """

    code: str
    label: str
    score: Callable[[Tally, int], ScoreResult]
    minimum_sample: Callable[[int], int]
    questionnaire: tuple[Question, ...] = ()
    interpretation: tuple[InterpretationBand, ...] = ()
    index_label: str = "Indeks"
    konversi_label: str = "Nilai konversi"


# ---------------------------------------------------------------- exports


TABLE = "table"
"""The kind of a plain table dataset (the recap …); any table format renders it."""


@dataclass(frozen=True)
class Dataset:
    """A table to export: ``columns`` titles, ``rows`` of plain values (str, int, Decimal, None),
    and ``summary`` (label, value…) lines that belong with the table (totals, notes).

    ``kind`` says what the dataset is; a format renders only datasets of its ``dataset_kind``.
    A structured kind carries its data in ``records`` (JSON-ready mappings) instead of rows: the
    ``"sippn"`` kind has one record per unit (profile, services with their standard, SKM result),
    described in docs/sippn.md.
    """

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    summary: tuple[tuple[Any, ...], ...] = ()
    kind: str = TABLE
    records: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class ExportFormat:
    """A file format the core can write a :class:`Dataset` of kind ``dataset_kind`` into.

    ``render`` raises :class:`ValidationFailed` (naming every field) for a dataset it will not
    write; the core then writes nothing.
    """

    code: str
    label: str
    media_type: str
    extension: str
    render: Callable[[Dataset], bytes]
    dataset_kind: str = TABLE


# ---------------------------------------------------------------- improvement plans (RTL)


@dataclass(frozen=True)
class CandidateActivity:
    """A suggested action for a weak unsur: program/kegiatan, quarter (TW I–IV: "I".."IV"), the
    position usually responsible, and how success is measured."""

    unsur: str
    program: str
    quarter: str = ""
    position: str = ""
    indicator: str = ""


@dataclass(frozen=True)
class PlanVocabulary:
    """What links saran to unsur and suggests activities when a plan is drafted.

    ``lexicon`` maps an unsur code to root words or phrases (Indonesian, lower case: "tunggu",
    "ruang tunggu"); affixed and colloquial forms of a root match it. ``unit`` limits the
    vocabulary to one unit's plans (None: every unit). ``version`` is recorded with each draft.
    """

    code: str
    version: str
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    activities: tuple[CandidateActivity, ...] = ()
    unit: str | None = None


# ---------------------------------------------------------------- notifications


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


__all__ = [
    "TABLE",
    "CandidateActivity",
    "Dataset",
    "ExportFormat",
    "FieldError",
    "InterpretationBand",
    "NotificationChannel",
    "OutgoingMessage",
    "PlanVocabulary",
    "PluginContext",
    "Question",
    "ScoreResult",
    "ScoringMethod",
    "Settings",
    "SmtpSettings",
    "Tally",
    "UnsurResult",
    "ValidationFailed",
    "cell_text",
    "email_address",
    "hookimpl",
    "post_to_inbox",
    "read_table",
    "rows_from_records",
    "safe_cell",
    "utcnow",
]
