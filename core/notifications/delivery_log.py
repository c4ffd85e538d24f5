"""The delivery log: what was sent to whom, through which channel, and what failed."""

from __future__ import annotations

from core.accounts.policy import Action, Actor, require
from core.notifications.delivery import DeliveryStatus, stored_json
from core.notifications.schemas import DeliveryFilter, DeliveryOut
from core.notifications.tables import Delivery


async def list_deliveries(actor: Actor, filters: DeliveryFilter) -> list[DeliveryOut]:
    """Deliveries newest first, narrowed by status, channel and event (admins and organisers)."""
    require(actor, Action.view_deliveries)
    query = Delivery.select().order_by(Delivery.id, ascending=False)
    if filters.status:
        query = query.where(Delivery.status == filters.status)
    if filters.channel:
        query = query.where(Delivery.channel == filters.channel)
    if filters.event:
        query = query.where(Delivery.event == filters.event)
    rows = await query.limit(max(1, min(filters.limit, 500))).offset(max(filters.offset, 0))
    out = []
    for r in rows:
        person = stored_json(r["data"]).get("recipient") or {}
        out.append(
            DeliveryOut(
                id=r["id"],
                event=r["event"],
                channel=r["channel"],
                recipient=r["recipient"],
                recipient_name=str(person.get("name", "")),
                recipient_kind=str(person.get("kind", "")),
                subject=r["subject"],
                status=r["status"],
                attempts=r["attempts"],
                error=r["error"],
                created_at=r["created_at"],
                sent_at=r["sent_at"],
            )
        )
    return out


async def delivery_facets(actor: Actor) -> dict[str, list[str]]:
    """The channels and events that occur in the log (for the filter menus)."""
    require(actor, Action.view_deliveries)
    channels = await Delivery.select(Delivery.channel).distinct().order_by(Delivery.channel)
    events = await Delivery.select(Delivery.event).distinct().order_by(Delivery.event)
    return {
        "status": [s.value for s in DeliveryStatus],
        "channel": [r["channel"] for r in channels],
        "event": [r["event"] for r in events],
    }
