"""Built-in notification channels: e-mail (SMTP or .eml files), the in-app inbox, a signed webhook.

Each is an ordinary ``suara_notification_channels`` implementation, so an installation can add
another channel (SMS, a chat app …) as a plugin of its own without touching the core.
"""

from __future__ import annotations

from core.plugin_api import NotificationChannel, PluginContext, Settings, hookimpl
from plugins.notify.inapp import inapp_channel
from plugins.notify.mail import email_channel
from plugins.notify.webhook import webhook_channel


def channels(settings: Settings) -> list[NotificationChannel]:
    """The channels this installation's settings allow (the webhook only when it is configured)."""
    found = [email_channel(settings), inapp_channel()]
    if settings.webhook_url:
        found.append(webhook_channel(settings))
    return found


@hookimpl
def suara_notification_channels(context: PluginContext) -> list[NotificationChannel]:
    """E-mail, in-app and (with SUARA_WEBHOOK_URL) the signed webhook."""
    return channels(context.settings)
