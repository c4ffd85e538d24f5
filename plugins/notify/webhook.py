"""The webhook channel: a signed JSON POST for integrations such as WhatsApp or SMS gateways.

The body is ``{event, recipient: {name, phone, email}, subject, body, data}``; the header
``X-Suara-Signature: sha256=<hex>`` is the HMAC-SHA256 of the raw body with
``SUARA_WEBHOOK_SECRET``. The receiver recomputes it over the bytes it got and compares in constant
time. Any answer other than 2xx (redirects included) is a failure the worker retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from core.plugin_api import NotificationChannel, OutgoingMessage, Settings

TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Suara-Signature"


class WebhookError(RuntimeError):
    """The webhook receiver did not accept the message."""


def phone_address(person: Mapping[str, Any]) -> str | None:
    """The recipient's phone number; without one the webhook has no one to reach."""
    value = str(person.get("phone") or "").strip()
    return value or None


def sign(secret: str, body: bytes) -> str:
    """The signature header value for a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether a signature header matches the body (for receivers and tests)."""
    return hmac.compare_digest(sign(secret, body), header or "")


def payload_of(message: OutgoingMessage) -> bytes:
    """The JSON body posted for a message."""
    person = message.person
    document = {
        "event": message.event,
        "recipient": {
            "name": person.get("name", ""),
            "phone": message.recipient,
            "email": person.get("email", ""),
        },
        "subject": message.subject,
        "body": message.body,
        "data": dict(message.data),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # a redirect is an answer other than 2xx: raised as HTTPError


def post(url: str, secret: str, message: OutgoingMessage) -> int:
    """POST the signed message; returns the status, raising WebhookError unless it is 2xx."""
    body = payload_of(message)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Suara-Webhook/1",
            "X-Suara-Event": message.event,
            SIGNATURE_HEADER: sign(secret, body),
        },
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip()
        raise WebhookError(f"webhook answered HTTP {exc.code}: {detail}".strip(": ")) from exc
    if not 200 <= status < 300:
        raise WebhookError(f"webhook answered HTTP {status}")
    return status


def webhook_channel(settings: Settings) -> NotificationChannel:
    """The ``webhook`` channel (only offered when SUARA_WEBHOOK_URL is set)."""
    url, secret = settings.webhook_url, settings.webhook_secret
    if not url or not secret:
        raise ValueError("the webhook channel needs SUARA_WEBHOOK_URL and SUARA_WEBHOOK_SECRET")

    def send(message: OutgoingMessage) -> None:
        post(url, secret, message)

    return NotificationChannel(code="webhook", label="Webhook", send=send, address=phone_address)
