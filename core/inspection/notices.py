"""Telling the other side of a finding: the unit's users of a new, returned or closed finding,
the inspector who recorded it of a tanggapan. A ``finding_notice`` job fans out one delivery per
recipient and channel (the ``deliver`` job sends it), so nothing is sent for a rolled-back step.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from core.accounts.tables import UserUnit
from core.clock import utcnow
from core.hooks import Hooks
from core.inspection.tables import Finding
from core.jobs.outbox import enqueue
from core.notifications.delivery import DeliveryStatus
from core.notifications.messages import LANGUAGES, split_subject
from core.notifications.recipients import (
    Recipient,
    channel_address,
    switched_off,
    user_recipients,
)
from core.notifications.tables import Delivery
from core.settings import Settings

JOB = "finding_notice"
EVENTS = ("finding.opened", "finding.responded", "finding.returned", "finding.closed")
TO_INSPECTOR = frozenset({"finding.responded"})
FINDING_PATH = "/temuan/{id}"
TEMPLATES = Path(__file__).parent / "templates"


async def queue_notice(finding_id: int, event: str) -> None:
    """Queue the notice of a finding's step (inside the step's transaction)."""
    if event not in EVENTS:
        raise ValueError(f"unknown finding event {event!r}")
    await enqueue(JOB, {"finding": finding_id, "event": event})


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(event: str, lang: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of a finding notice in a language (Indonesian when it has no variant)."""
    lang = lang if lang in LANGUAGES else "id"
    return split_subject(_environment().get_template(f"{event}.{lang}.txt").render(**context))


async def _recipients(finding: Mapping[str, Any], event: str) -> list[Recipient]:
    if event in TO_INSPECTOR:
        user_ids = {finding["created_by"]} if finding["created_by"] else set()
    else:
        rows = await UserUnit.select(UserUnit.user).where(UserUnit.unit == finding["unit"])
        user_ids = {r["user"] for r in rows}
    return await user_recipients(user_ids)


async def finding_notice(payload: Mapping[str, Any], hooks: Hooks, settings: Settings) -> int:
    """The ``finding_notice`` job: a delivery (and its ``deliver`` job) per recipient and channel.

    Runs inside the job's transaction; returns how many deliveries were queued.
    """
    event = str(payload["event"])
    finding = (
        await Finding.select(
            Finding.all_columns(),
            Finding.unit.name.as_alias("unit_name"),
            Finding.unit.code.as_alias("unit_code"),
        )
        .where(Finding.id == int(payload["finding"]))
        .first()
    )
    if finding is None or event not in EVENTS:
        return 0
    recipients = await _recipients(finding, event)
    off = await switched_off(r.user_id for r in recipients if r.user_id)
    path = FINDING_PATH.format(id=finding["id"])
    context = {
        "finding": {
            "id": finding["id"],
            "title": finding["title"],
            "unit": finding["unit_name"],
            "due_date": finding["due_date"].isoformat(),
            "rekomendasi": finding["rekomendasi"],
        },
        "link": settings.base_url + path,
    }
    subject, body = render(event, settings.locale, context)
    queued = 0
    for recipient in recipients:
        person = recipient.as_mapping()
        for code, channel in hooks.notification_channels().items():
            address = channel_address(channel, person)
            if not address or (recipient.user_id, code) in off:
                continue
            data = {"finding": finding["id"], "path": path, "link": context["link"]}
            rows = await Delivery.insert(
                Delivery(
                    event=event,
                    channel=code,
                    recipient=address[:250],
                    subject=subject[:250],
                    body=body,
                    data=json.dumps({**data, "recipient": person}, default=str),
                    status=DeliveryStatus.pending.value,
                    attempts=0,
                    error="",
                    created_at=utcnow(),
                )
            ).returning(Delivery.id)
            await enqueue("deliver", {"delivery": int(rows[0]["id"])})
            queued += 1
    return queued


def inspection_handlers(hooks: Hooks, settings: Settings | None = None) -> dict[str, Any]:
    """The ``finding_notice`` job handler bound to this process's plugins and settings."""

    async def notice_job(payload: dict[str, Any]) -> None:
        await finding_notice(payload, hooks, settings or Settings.from_env())

    return {JOB: notice_job}
