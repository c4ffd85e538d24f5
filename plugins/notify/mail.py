"""The e-mail channel: SMTP (STARTTLS, log-in) from settings, or .eml files when no host is set.

With no ``SMTP_HOST`` (development, a demo) every message is written as one ``.eml`` file under
``Settings.mail_dir`` and a line is logged: that folder is the development mailbox.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from core.plugin_api import NotificationChannel, OutgoingMessage, Settings, SmtpSettings, utcnow

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def build_mail(sender: str, message: OutgoingMessage) -> EmailMessage:
    """A plain-text UTF-8 e-mail of the message."""
    mail = EmailMessage()
    mail["From"] = sender
    name = _one_line(message.person.get("name", ""))
    mail["To"] = formataddr((name, message.recipient)) if name else message.recipient
    mail["Subject"] = _one_line(message.subject)
    mail["Date"] = format_datetime(utcnow())
    domain = sender.rpartition("@")[2] or "localhost"
    mail["Message-ID"] = make_msgid(domain=domain)
    mail["X-Suara-Event"] = message.event
    if message.data.get("delivery") is not None:
        mail["X-Suara-Delivery"] = str(message.data["delivery"])
    mail.set_content(message.body)
    return mail


def tls_context() -> ssl.SSLContext:
    """The TLS context for STARTTLS and SMTPS (the system's trusted certificates)."""
    return ssl.create_default_context()


def send_smtp(smtp: SmtpSettings, mail: EmailMessage) -> None:
    """Hand the mail to the SMTP server; raises on any refusal so the worker retries."""
    assert smtp.host is not None
    client: smtplib.SMTP
    if smtp.port == 465:
        client = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS, context=tls_context()
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        client.ehlo()
        if smtp.starttls and smtp.port != 465:
            client.starttls(context=tls_context())
            client.ehlo()
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(mail)


def write_eml(folder: Path, mail: EmailMessage) -> Path:
    """Write the mail as an .eml file (written whole, then renamed into place).

    A mail of a delivery is named by the delivery, so a delivery sent again (its worker was killed
    after writing, before recording it sent) replaces its file instead of adding a second mail.
    """
    folder.mkdir(parents=True, exist_ok=True)
    delivery = mail["X-Suara-Delivery"]
    if delivery and str(delivery).isdigit():
        name = f"delivery-{int(str(delivery)):09d}.eml"
    else:
        name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
    path = folder / name
    partial = folder / f".{name}.part"
    partial.write_bytes(mail.as_bytes())
    os.replace(partial, path)
    return path


def email_channel(settings: Settings) -> NotificationChannel:
    """The ``email`` channel for these settings."""

    def send(message: OutgoingMessage) -> None:
        mail = build_mail(settings.smtp.sender, message)
        if settings.smtp.host:
            send_smtp(settings.smtp, mail)
            return
        path = write_eml(settings.mail_dir, mail)
        log.info(
            "e-mail to %s (%s) written to %s (SMTP_HOST is not set)",
            message.recipient,
            mail["Subject"],
            path,
        )

    return NotificationChannel(code="email", label="E-mail", send=send)
