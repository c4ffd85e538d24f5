"""Integrity signals of a survey cycle: patterns worth re-checking, explained, never acted upon.

Nothing here deletes, voids or blocks a response. Each signal says what it counts, the threshold
above which it is raised, how many responses it concerns and a sample of their ids; a signal that
cannot be computed from what Suara records says what is missing instead of guessing. Inspectors
mark a signal reviewed with a note (kept as a log, newest shown first).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import NotFound, ValidationFailed
from core.inspection.labels import SIGNAL_LABELS
from core.inspection.tables import SignalReview
from core.surveys.tables import Channel, Response, SurveyCycle, counted

WINDOW = timedelta(minutes=10)
BURST_SIZE = 10
"""Responses from one source (a device's hashed address, or the cycle's kiosk) within WINDOW."""
IDENTICAL_SHARE = 0.10
STAFF_SHARE = 0.50
SAMPLE = 10
SELF_SERVICE = frozenset({Channel.online.value, Channel.kiosk.value})
ANSWERS = tuple(f"u{n}" for n in range(1, 10))
PROFILE = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
FLAGGED, CLEAR, UNAVAILABLE = "flagged", "clear", "unavailable"


class ReviewOut(msgspec.Struct):
    """An inspector's review of a signal."""

    note: str
    reviewed_by: str | None
    reviewed_at: datetime


class SignalOut(msgspec.Struct):
    """One signal: raised (flagged), not raised (clear), or not computable (unavailable)."""

    code: str
    label: str
    status: str
    count: int
    threshold: str
    explanation: str
    sample: list[int]
    details: dict[str, Any] = msgspec.field(default_factory=dict)
    reviews: list[ReviewOut] = msgspec.field(default_factory=list)


class CycleSignals(msgspec.Struct):
    """Every signal of a cycle."""

    cycle: int
    unit: str
    respondents: int
    signals: list[SignalOut]


def _signal(code: str, status: str, count: int, threshold: str, explanation: str, **kw: Any):
    return SignalOut(
        code=code,
        label=SIGNAL_LABELS[code],
        status=status,
        count=count,
        threshold=threshold,
        explanation=explanation,
        sample=kw.pop("sample", [])[:SAMPLE],
        details=kw.pop("details", {}),
    )


def channel_signal(rows: list[dict[str, Any]]) -> SignalOut:
    """Share per collection method and the share keyed in by staff (paper, interview, import)."""
    total = len(rows)
    per_channel: dict[str, int] = defaultdict(int)
    for row in rows:
        per_channel[row["channel"]] += 1
    staff = [r["id"] for r in rows if r["channel"] not in SELF_SERVICE]
    share = len(staff) / total if total else 0.0
    return _signal(
        "channels",
        FLAGGED if total and share > STAFF_SHARE else CLEAR,
        len(staff),
        f"entri petugas > {STAFF_SHARE:.0%} jawaban",
        "Jawaban yang diketik petugas (kertas, wawancara) lebih mudah diseragamkan daripada "
        "yang diisi sendiri oleh masyarakat; porsi yang besar patut dicocokkan dengan berkas "
        "kuesioner aslinya.",
        sample=staff,
        details={
            "per_channel": {k: {"count": v, "share": v / total} for k, v in per_channel.items()},
            "staff_share": share,
        },
    )


def _source(row: dict[str, Any]) -> str:
    return "kiosk" if row["channel"] == Channel.kiosk.value else row["source_key"]


def burst_signal(rows: list[dict[str, Any]]) -> SignalOut:
    """Self-service answers from one source arriving faster than people are served."""
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["channel"] in SELF_SERVICE and _source(row):
            by_source[_source(row)].append(row)
    flagged: set[int] = set()
    bursts = 0
    for items in by_source.values():
        start = 0
        for end, row in enumerate(items):
            while row["created_at"] - items[start]["created_at"] > WINDOW:
                start += 1
            if end - start + 1 >= BURST_SIZE:
                if not flagged.issuperset(r["id"] for r in items[start : end + 1]):
                    bursts += 1
                flagged.update(r["id"] for r in items[start : end + 1])
    ids = sorted(flagged)
    return _signal(
        "bursts",
        FLAGGED if ids else CLEAR,
        len(ids),
        f"≥ {BURST_SIZE} jawaban dari satu perangkat atau kios dalam {WINDOW.seconds // 60} menit",
        "Satu loket jarang melayani sepuluh orang dalam sepuluh menit; lonjakan dari satu "
        "perangkat atau kios bisa berarti satu orang mengisi berkali-kali.",
        sample=ids,
        details={"bursts": bursts},
    )


def identical_signal(rows: list[dict[str, Any]]) -> SignalOut:
    """Questionnaires answering all nine standard unsur with one and the same value."""
    same = [r["id"] for r in rows if r["u1"] is not None and all(r[c] == r["u1"] for c in ANSWERS)]
    share = len(same) / len(rows) if rows else 0.0
    return _signal(
        "identical",
        FLAGGED if rows and share > IDENTICAL_SHARE else CLEAR,
        len(same),
        f"> {IDENTICAL_SHARE:.0%} kuesioner dengan semua unsur bernilai sama",
        "Sebagian responden memang menjawab sama untuk semua unsur; porsi yang besar bisa "
        "berarti kuesioner diisi tanpa dibaca atau diisikan orang lain.",
        sample=same,
        details={"share": share},
    )


def repeat_signal(rows: list[dict[str, Any]]) -> SignalOut:
    """The same profile and the same answers again within minutes of each other."""
    last: dict[tuple, datetime] = {}
    repeats: list[int] = []
    for row in rows:
        key = tuple(row[c] for c in (*PROFILE, *ANSWERS))
        seen = last.get(key)
        if seen is not None and row["created_at"] - seen <= WINDOW:
            repeats.append(row["id"])
        last[key] = row["created_at"]
    return _signal(
        "repeats",
        FLAGGED if repeats else CLEAR,
        len(repeats),
        f"profil dan jawaban sama dengan jawaban lain ≤ {WINDOW.seconds // 60} menit sebelumnya",
        "Dua orang dengan jenis kelamin, usia, pendidikan, pekerjaan dan semua jawaban yang "
        "sama dalam beberapa menit jarang terjadi; bisa jadi satu kuesioner tercatat dua kali.",
        sample=repeats,
    )


def service_hours_signal() -> SignalOut:
    """Not computable: units have no recorded service hours."""
    return _signal(
        "service_hours",
        UNAVAILABLE,
        0,
        "—",
        "Unit belum mencatat jam layanan di Suara, jadi jawaban di luar jam layanan tidak "
        "dapat dihitung. Jam layanan tidak ditebak.",
    )


def completion_time_signal() -> SignalOut:
    """Not computable: the public form records when it was sent, not when it was opened."""
    return _signal(
        "completion_time",
        UNAVAILABLE,
        0,
        "—",
        "Formulir publik hanya mencatat waktu jawaban dikirim, bukan waktu formulir mulai "
        "diisi, jadi lama pengisian tidak diketahui.",
    )


async def _cycle(actor: Actor, cycle_id: int, action: Action) -> dict[str, Any]:
    row = (
        await SurveyCycle.select(
            SurveyCycle.id, SurveyCycle.unit, SurveyCycle.unit.code.as_alias("code")
        )
        .where(SurveyCycle.id == cycle_id)
        .first()
    )
    if row is None:
        raise NotFound(f"Siklus survei {cycle_id} tidak ditemukan.")
    require(actor, action, row["unit"])
    return row


async def _reviews(cycle_id: int) -> dict[str, list[ReviewOut]]:
    rows = (
        await SignalReview.select(
            SignalReview.signal,
            SignalReview.note,
            SignalReview.reviewed_at,
            SignalReview.reviewed_by.username.as_alias("username"),
        )
        .where(SignalReview.cycle == cycle_id)
        .order_by(SignalReview.id, ascending=False)
    )
    found: dict[str, list[ReviewOut]] = defaultdict(list)
    for r in rows:
        found[r["signal"]].append(ReviewOut(r["note"], r["username"], r["reviewed_at"]))
    return found


async def cycle_signals(actor: Actor, cycle_id: int) -> CycleSignals:
    """Every integrity signal of a cycle the actor may read findings of, over the responses that
    count (a voided one, or the earlier version of a corrected one, is not signalled again)."""
    cycle = await _cycle(actor, cycle_id, Action.view_findings)
    columns = [
        getattr(Response, c)
        for c in ("id", "channel", "source_key", "created_at", *ANSWERS, *PROFILE)
    ]
    rows = (
        await Response.select(*columns)
        .where((Response.cycle == cycle_id) & counted())
        .order_by(Response.created_at)
        .order_by(Response.id)
    )
    signals = [
        channel_signal(rows),
        burst_signal(rows),
        identical_signal(rows),
        service_hours_signal(),
        completion_time_signal(),
        repeat_signal(rows),
    ]
    reviews = await _reviews(cycle_id)
    for signal in signals:
        signal.reviews = reviews.get(signal.code, [])
    return CycleSignals(cycle=cycle_id, unit=cycle["code"], respondents=len(rows), signals=signals)


async def review_signal(actor: Actor, cycle_id: int, signal: str, note: str) -> None:
    """Mark a signal of a cycle reviewed with a note (inspectors only), audited."""
    cycle = await _cycle(actor, cycle_id, Action.review_signals)
    if signal not in SIGNAL_LABELS:
        raise ValidationFailed.single("signal", f"pilihan: {', '.join(SIGNAL_LABELS)}")
    note = note.strip()
    if len(note) < 10:
        raise ValidationFailed.single("note", "tuliskan hasil peninjauan (minimal 10 karakter)")
    async with atomic():
        await SignalReview.insert(
            SignalReview(
                cycle=cycle_id,
                signal=signal,
                note=note,
                reviewed_by=actor.user_id,
                reviewed_at=utcnow(),
            )
        )
        await record(
            actor,
            "signal.reviewed",
            "survey_cycle",
            cycle_id,
            after={"signal": signal, "note": note},
            unit_id=cycle["unit"],
        )
