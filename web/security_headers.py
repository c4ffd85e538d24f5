"""Browser security headers on every answer: a Content-Security-Policy without inline script,
no framing by other sites, no MIME sniffing, and a referrer that stays on this site.

Scripts and styles load only from /static; inline ``style`` stays allowed (print page sizes,
meter widths), inline script does not. A handler that sets one of these headers itself (the
RSVP and check-in pages send ``Referrer-Policy: no-referrer``) keeps its own value.
"""

from __future__ import annotations

from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar ``before_send`` hook: add ``SECURITY_HEADERS`` to every HTTP response start
    (error and not-found answers included) unless the handler set the header itself."""
    if message["type"] != "http.response.start":
        return
    headers = message.setdefault("headers", [])
    present = {bytes(name).lower() for name, _ in headers}
    for name, value in SECURITY_HEADERS.items():
        if name.encode() not in present:
            headers.append((name.encode(), value.encode()))
