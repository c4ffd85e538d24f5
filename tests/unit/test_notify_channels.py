"""The built-in notification channels against real local servers (messages: test_notify_messages.py).

The e-mail channel is tested on its file sink and against an aiosmtpd server on 127.0.0.1 (with
log-in, and with STARTTLS on a certificate made for the test); the webhook channel against a
local http.server that checks the HMAC signature, and answers 500 when asked to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from core.errors import ConfigurationError
from core.plugin_api import NotificationChannel, OutgoingMessage, email_address
from core.settings import Settings, SmtpSettings
from plugins import notify
from plugins.notify import mail, webhook
from plugins.notify.inapp import user_address

SECRET = "rahasia-webhook-uji"


def _settings(tmp_path: Path, **changes: Any) -> Settings:
    smtp = SmtpSettings(
        host=None,
        port=587,
        username=None,
        password=None,
        sender="suara@pemda.example",
        starttls=True,
    )
    base = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        redis_url=None,
        secret_key="k",
        base_url="https://suara.example",
        locale="id",
        timezone="Asia/Jakarta",
        smtp=smtp,
    )
    return dataclasses.replace(base, **changes)


def _message(**changes: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "recipient": "ani@contoh.id",
        "subject": "Undangan Forum Konsultasi Publik: Standar Pelayanan — Puskesmas",
        "body": "Yth. Bapak/Ibu Ani,\n\nKamis, 10 Desember 2026 pukul 09.00 WIB\n",
        "event": "forum.invited",
        "data": {"forum": 7, "delivery": 42},
        "person": {"kind": "stakeholder", "id": 3, "name": "Ani Suryani", "phone": "+62811"},
    }
    values.update(changes)
    return OutgoingMessage(**values)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the contract -----------------------------------------------------------------------------


def test_channel_address_defaults_to_the_email():
    channel = NotificationChannel(code="x", label="X", send=lambda m: None)
    assert channel.address is email_address
    assert channel.address({"email": " a@b.id "}) == "a@b.id"
    assert channel.address({"email": ""}) is None
    assert user_address({"kind": "user", "user_id": 5}) == "5"
    assert user_address({"kind": "stakeholder", "id": 5, "user_id": None}) is None
    assert webhook.phone_address({"phone": "+62811"}) == "+62811"
    assert webhook.phone_address({"phone": ""}) is None


def test_webhook_channel_only_when_configured(tmp_path, monkeypatch):
    assert {c.code for c in notify.channels(_settings(tmp_path))} == {"email", "inapp"}
    configured = _settings(tmp_path, webhook_url="http://127.0.0.1:9/x", webhook_secret=SECRET)
    assert {c.code for c in notify.channels(configured)} == {"email", "inapp", "webhook"}

    monkeypatch.setenv("SUARA_WEBHOOK_URL", "https://gateway.example/hook")
    monkeypatch.delenv("SUARA_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="SUARA_WEBHOOK_SECRET"):
        Settings.from_env()
    monkeypatch.setenv("SUARA_WEBHOOK_SECRET", SECRET)
    settings = Settings.from_env()
    assert (settings.webhook_url, settings.webhook_secret) == (
        "https://gateway.example/hook",
        SECRET,
    )
    monkeypatch.setenv("SUARA_WEBHOOK_URL", "ftp://gateway.example")
    with pytest.raises(ConfigurationError, match="SUARA_WEBHOOK_URL"):
        Settings.from_env()


def test_email_without_smtp_host_writes_a_parseable_eml(tmp_path):
    settings = _settings(tmp_path)
    channel = notify.channels(settings)[0]
    assert channel.code == "email"
    channel.send(_message())
    files = list(settings.mail_dir.glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Undangan Forum Konsultasi Publik: Standar Pelayanan — Puskesmas"
    assert parsed["To"].addresses[0].addr_spec == "ani@contoh.id"
    assert parsed["To"].addresses[0].display_name == "Ani Suryani"
    assert parsed["From"] == "suara@pemda.example"
    assert parsed["X-Suara-Delivery"] == "42"
    assert "pukul 09.00 WIB" in parsed.get_content()
    assert not list(settings.mail_dir.glob(".*.part"))


# --- e-mail: SMTP ------------------------------------------------------------------------------


class _Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class _Logins:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
        password = auth_data.password
        password = password.decode() if isinstance(password, bytes) else password
        self.seen.append((login, password))
        return AuthResult(success=(login, password) == ("suara", "sandi-smtp"))


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, _Inbox, _Logins]]:
    inbox, logins = _Inbox(), _Logins()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=logins,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield controller, inbox, logins
    finally:
        controller.stop()


def test_email_through_smtp_with_login(tmp_path, smtp_server):
    controller, inbox, logins = smtp_server
    smtp = SmtpSettings(
        host="127.0.0.1",
        port=controller.port,
        username="suara",
        password="sandi-smtp",
        sender="suara@pemda.example",
        starttls=False,
    )
    settings = _settings(tmp_path, smtp=smtp)
    notify.channels(settings)[0].send(_message())
    assert logins.seen == [("suara", "sandi-smtp")]
    assert len(inbox.messages) == 1
    sender, recipients, content = inbox.messages[0]
    assert (sender, recipients) == ("suara@pemda.example", ["ani@contoh.id"])
    parsed = email.message_from_bytes(content, policy=policy.default)
    assert parsed["Subject"].startswith("Undangan Forum Konsultasi Publik")
    assert not settings.mail_dir.exists(), "with an SMTP host nothing goes to the file sink"


def test_email_smtp_unreachable_raises(tmp_path):
    smtp = SmtpSettings("127.0.0.1", _free_port(), None, None, "s@p.example", False)
    with pytest.raises(OSError):
        notify.channels(_settings(tmp_path, smtp=smtp))[0].send(_message())


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_email_through_smtp_with_starttls(tmp_path, monkeypatch):
    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox, logins = _Inbox(), _Logins()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=server_tls,
        require_starttls=True,
        authenticator=logins,
        auth_require_tls=True,
    )
    controller.start()
    try:
        # The channel trusts the system's certificates; this test's server is trusted instead.
        monkeypatch.setattr(mail, "tls_context", lambda: ssl.create_default_context(cafile=cert))
        smtp = SmtpSettings(
            "127.0.0.1", controller.port, "suara", "sandi-smtp", "suara@pemda.example", True
        )
        notify.channels(_settings(tmp_path, smtp=smtp))[0].send(_message())
    finally:
        controller.stop()
    assert logins.seen == [("suara", "sandi-smtp")]
    assert len(inbox.messages) == 1


# --- webhook ------------------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]]
    answer: int

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.append((dict(self.headers.items()), body))
        self.send_response(self.answer)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if self.answer < 300 else b"gateway rusak")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"received": [], "answer": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/suara", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _webhook(tmp_path: Path, url: str) -> NotificationChannel:
    settings = _settings(tmp_path, webhook_url=url, webhook_secret=SECRET)
    return next(c for c in notify.channels(settings) if c.code == "webhook")


def test_webhook_posts_signed_json(tmp_path, receiver):
    url, handler = receiver
    channel = _webhook(tmp_path, url)
    message = _message(recipient="+62811")
    assert channel.address(message.person) == "+62811"
    channel.send(message)
    assert len(handler.received) == 1
    headers, body = handler.received[0]
    signature = headers["X-Suara-Signature"]
    assert signature.startswith("sha256=")
    assert webhook.verify(SECRET, body, signature)
    assert not webhook.verify("kunci-lain", body, signature)
    assert not webhook.verify(SECRET, body + b" ", signature)
    document = json.loads(body)
    assert document["event"] == "forum.invited"
    assert document["recipient"] == {"name": "Ani Suryani", "phone": "+62811", "email": ""}
    assert document["subject"].startswith("Undangan Forum")
    assert "pukul 09.00 WIB" in document["body"]
    assert document["data"] == {"forum": 7, "delivery": 42}
    assert headers["Content-Type"].startswith("application/json")


def test_webhook_error_answer_raises(tmp_path, receiver):
    url, handler = receiver
    handler.answer = 500
    with pytest.raises(webhook.WebhookError, match="500"):
        _webhook(tmp_path, url).send(_message(recipient="+62811"))
    handler.answer = 302
    with pytest.raises(webhook.WebhookError, match="302"):
        _webhook(tmp_path, url).send(_message(recipient="+62811"))


def test_webhook_unreachable_raises(tmp_path):
    with pytest.raises(OSError):
        _webhook(tmp_path, f"http://127.0.0.1:{_free_port()}/x").send(_message())
