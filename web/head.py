"""HEAD answered like GET without a body (RFC 9110 §9.3.2): same status and headers, including
the Content-Length and validators, so a client or crawler can check a page or data file cheaply.

Wraps the application's ASGI handler (before routing), so every GET route answers HEAD too.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def head_as_get(app: ASGIApp) -> ASGIApp:
    """ASGI wrapper: a HEAD request runs as GET and its body is dropped."""

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await app({**scope, "method": "GET"}, receive, headers_only)  # type: ignore[arg-type]

    return handler
