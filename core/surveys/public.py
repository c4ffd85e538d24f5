"""What the citizen's side reads: the open survey behind a link (cached per process, see
``SurveyLinks``) and the questionnaire a printed form or poster shows."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from core.accounts.policy import Actor
from core.errors import Conflict, NotFound
from core.hooks import Hooks
from core.surveys.cycles import cycle_row, open_cycle_by_token
from core.surveys.insights import cycle_items
from core.surveys.kiosks import device_by_token, device_cycle
from core.surveys.labels import PERIOD_LABELS
from core.surveys.questionnaires import items_of
from core.surveys.responses import cycle_channels
from core.surveys.schemas import PublicSurvey, UnsurItem
from core.surveys.tables import Channel, CycleService, QuestionnaireVersion, SurveyCycle
from core.units.tables import Unit


@dataclass(frozen=True)
class OpenSurvey:
    """An open cycle reached through its public or kiosk link, with what its form shows."""

    cycle: dict[str, Any]
    """The cycle's row, as the response rules take it."""
    channel: Channel
    survey: PublicSurvey
    service_ids: dict[str, int] = field(default_factory=dict)
    """The cycle's services: id by code."""
    device_id: int | None = None
    """The enrolled kiosk the form is on (None on the public link)."""
    token: str = ""
    """The link's token (the cycle's public token, or the kiosk device's)."""

    @property
    def questions(self) -> list[UnsurItem]:
        """The cycle's frozen questionnaire."""
        return self.survey.questions


async def version_items(version_id: int) -> list[UnsurItem]:
    """The items of one stored questionnaire version."""
    row = await QuestionnaireVersion.select().where(QuestionnaireVersion.id == version_id).first()
    if row is None:
        raise NotFound(f"Versi kuesioner {version_id} tidak ditemukan.")
    return items_of(row)


async def open_survey(token: str, *, kiosk: bool = False) -> OpenSurvey:
    """The open cycle behind a link (or an enrolled kiosk's token); NotFound when unknown or
    revoked, Conflict when closed or the channel is off."""
    device_id = None
    if kiosk:
        device, cycle = await device_cycle(token)
        device_id = device["id"]
    else:
        cycle = await open_cycle_by_token(token)
    channel = Channel.kiosk if kiosk else Channel.online
    if channel.value not in cycle_channels(cycle):
        raise Conflict("Saluran pengisian ini tidak dibuka untuk survei ini.")
    unit = await Unit.select(Unit.code, Unit.name).where(Unit.id == cycle["unit"]).first()
    services = (
        await CycleService.select(
            CycleService.service,
            CycleService.service.code.as_alias("code"),
            CycleService.service.name.as_alias("name"),
        )
        .where(CycleService.cycle == cycle["id"])
        .order_by(CycleService.service.code)
    )
    survey = PublicSurvey(
        unit=unit["code"],
        unit_name=unit["name"],
        period_label=PERIOD_LABELS[cycle["period_type"]],
        services=[{"code": s["code"], "name": s["name"]} for s in services],
        questions=await version_items(cycle["questionnaire"]),
    )
    service_ids = {s["code"]: s["service"] for s in services}
    return OpenSurvey(
        cycle=cycle,
        channel=channel,
        survey=survey,
        service_ids=service_ids,
        device_id=device_id,
        token=token,
    )


LINK_CACHE_SECONDS = 10.0
LINK_CACHE_SIZE = 1024


class SurveyLinks:
    """One process's cache of the open surveys behind links (the app keeps one in its state).

    What a link shows and validates against cannot change while its cycle is open: the
    questionnaire is frozen when the cycle opens, its services and channels are set when it is
    created, its tokens never change. Only the cycle's state can, and the statement that stores a
    response checks it itself (``core.surveys.submission``): a closed cycle refuses at once, in
    every process, whatever the cache holds, and the refusal drops the entry (``forget``). An
    entry lives ``ttl`` seconds, so a form page stops showing a closed survey (and shows a
    renamed unit) in every process within that time without asking the database per request.
    """

    def __init__(self, ttl: float = LINK_CACHE_SECONDS, size: int = LINK_CACHE_SIZE) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[tuple[str, bool], tuple[float, OpenSurvey]] = OrderedDict()

    async def get(self, token: str, *, kiosk: bool = False) -> OpenSurvey:
        """The open survey behind a link, from the cache while fresh; errors as ``open_survey``."""
        key = (token, kiosk)
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        survey = await open_survey(token, kiosk=kiosk)
        self._entries[key] = (now, survey)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return survey

    def forget(self, token: str, *, kiosk: bool = False) -> None:
        """Drop a link's entry (its cycle refused a response: it is no longer open)."""
        self._entries.pop((token, kiosk), None)


async def unit_name_of_link(token: str, *, kiosk: bool = False) -> str:
    """The unit name a thank-you page shows for a link (open or not); NotFound when unknown."""
    if kiosk:
        device = await device_by_token(token)
        row = (
            await Unit.select(Unit.name.as_alias("unit_name"))
            .where(Unit.id == device["unit"])
            .first()
        )
    else:
        row = (
            await SurveyCycle.select(SurveyCycle.unit.name.as_alias("unit_name"))
            .where(SurveyCycle.public_token == token)
            .first()
        )
    if row is None:
        raise NotFound("Tautan survei tidak dikenal.")
    return str(row["unit_name"])


@dataclass(frozen=True)
class PaperQuestionnaire:
    """What the printed questionnaire of a cycle shows."""

    items: list[UnsurItem]
    frozen: bool
    """False while a draft: the questions are the unit's current ones and may still change."""
    unit_address: str


async def paper_questionnaire(actor: Actor, hooks: Hooks, cycle_id: int) -> PaperQuestionnaire:
    """The cycle's questions for print (frozen once opened) and the unit's address."""
    row = await cycle_row(actor, cycle_id)
    items = await cycle_items(hooks, row)
    unit = await Unit.select(Unit.address).where(Unit.id == row["unit"]).first()
    return PaperQuestionnaire(
        items=items,
        frozen=bool(row["questionnaire"]),
        unit_address=(unit or {}).get("address") or "",
    )
