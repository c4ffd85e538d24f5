"""Conditional GET for the portal: ETag and Last-Modified from what was last published.

Browsers and proxies must revalidate (``no-cache``), so a publication shows at once; an unchanged
page costs a 304 and three aggregate queries.
"""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

from litestar import Request, Response

from core.clock import utcnow
from core.portal.freshness import Freshness, freshness
from web.context import current_actor, locale_of


async def validators(request: Request, variant: str = "") -> tuple[Freshness, str]:
    """The freshness of public data and this representation's ETag.

    The tag varies with the locale, the signed-in user (their name is on every page) and the
    day (upcoming forums and "this year" follow the calendar).
    """
    actor = await current_actor(request)
    data = await freshness()
    today = utcnow().date().isoformat()
    who = actor.username if actor else ""
    return data, data.etag(f"{variant}|{locale_of(request)}|{who}|{today}")


def headers(data: Freshness, etag: str) -> dict[str, str]:
    """The cache headers of a portal answer."""
    found = {"ETag": etag, "Cache-Control": "public, no-cache", "Vary": "Cookie"}
    if data.last_modified is not None:
        found["Last-Modified"] = format_datetime(data.last_modified, usegmt=True)
    return found


def unchanged(request: Request, data: Freshness, etag: str) -> bool:
    """The client's copy is current (If-None-Match first, else If-Modified-Since)."""
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since and data.last_modified is not None:
        try:
            return data.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def not_modified(data: Freshness, etag: str) -> Response:
    """The 304 answer."""
    return Response(content=b"", status_code=304, headers=headers(data, etag))
