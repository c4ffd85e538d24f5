"""Configuration read once from environment variables, with defaults that need nothing installed."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.errors import ConfigurationError


def _data_dir() -> Path:
    return Path(os.environ.get("SUARA_DATA_DIR") or Path.cwd() / "var").resolve()


def _load_or_create_secret(data_dir: Path) -> str:
    """Read the secret key stored under the data directory, creating it (mode 0600) when absent."""
    path = data_dir / "secret_key"
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from exc


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}")


DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Set by `suara run` for its worker child: the address the web is served on (not for operators).
SERVED_URL_VARIABLE = "SUARA_SERVED_URL"


def served_url(host: str, port: int) -> str:
    """The http address of a server listening on host:port, as a link can name it."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def database_url_from_env() -> str:
    """DATABASE_URL, or the SQLite file under the data directory; reads only, creates nothing."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{_data_dir() / 'suara.sqlite3'}"
    if not database_url.startswith(("sqlite:///", "postgres://", "postgresql://")):
        raise ConfigurationError(
            "DATABASE_URL must start with sqlite:/// or postgresql://, got "
            f"{database_url.split(':', 1)[0]}:…"
        )
    return database_url


@dataclass(frozen=True)
class SmtpSettings:
    """Outgoing mail; with no host, mail is written to files under the data directory."""

    host: str | None
    port: int
    username: str | None
    password: str | None
    sender: str
    starttls: bool


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Suara installation."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    base_url: str
    locale: str
    timezone: str
    smtp: SmtpSettings
    disabled_plugins: frozenset[str] = field(default_factory=frozenset)
    db_pool: bool = True
    login_max_failures: int = 5
    login_window_seconds: int = 900
    # public responses per client address per cycle per window: a puskesmas counter on shared
    # Wi-Fi or a carrier NAT (one every ~15 s all day) stays well under it
    public_submission_limit: int = 240
    public_submission_window_seconds: int = 3600
    # an enrolled kiosk takes one response per this many seconds (a respondent needs longer)
    kiosk_min_interval_seconds: int = 5
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # True when SUARA_BASE_URL is set; otherwise base_url is the address `suara run` serves.
    base_url_configured: bool = False
    sippn_endpoint: str | None = None
    sippn_token: str | None = None
    # A worker holds a running job this long between heartbeats; a job whose worker died is
    # queued again once its lease has run out (plus one periodic relay).
    job_lease_seconds: int = 30

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from the environment; creates the data directory and secret if needed."""
        data_dir = _data_dir()
        data_dir.mkdir(parents=True, exist_ok=True)
        database_url = database_url_from_env()
        locale = os.environ.get("SUARA_LOCALE", "id")
        if locale not in {"id", "en"}:
            raise ConfigurationError(f"SUARA_LOCALE must be 'id' or 'en', got {locale!r}")
        disabled = os.environ.get("SUARA_DISABLED_PLUGINS", "")
        webhook_url = (os.environ.get("SUARA_WEBHOOK_URL") or "").strip() or None
        webhook_secret = os.environ.get("SUARA_WEBHOOK_SECRET") or None
        if webhook_url and not webhook_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"SUARA_WEBHOOK_URL must start with http:// or https://, got {webhook_url!r}"
            )
        if webhook_url and not webhook_secret:
            raise ConfigurationError(
                "SUARA_WEBHOOK_SECRET is required when SUARA_WEBHOOK_URL is set "
                "(it signs every request)"
            )
        sippn_endpoint = (os.environ.get("SUARA_SIPPN_ENDPOINT") or "").strip() or None
        if sippn_endpoint and not sippn_endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"SUARA_SIPPN_ENDPOINT must start with http:// or https://, got {sippn_endpoint!r}"
            )
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=os.environ.get("REDIS_URL") or None,
            secret_key=os.environ.get("SECRET_KEY") or _load_or_create_secret(data_dir),
            base_url=(
                os.environ.get("SUARA_BASE_URL")
                or os.environ.get(SERVED_URL_VARIABLE)
                or DEFAULT_BASE_URL
            ).rstrip("/"),
            base_url_configured=bool(os.environ.get("SUARA_BASE_URL")),
            locale=locale,
            timezone=os.environ.get("SUARA_TIMEZONE", "Asia/Jakarta"),
            smtp=SmtpSettings(
                host=os.environ.get("SMTP_HOST") or None,
                port=_int("SMTP_PORT", 587),
                username=os.environ.get("SMTP_USERNAME") or None,
                password=os.environ.get("SMTP_PASSWORD") or None,
                sender=os.environ.get("SMTP_FROM", "suara@localhost"),
                starttls=_bool("SMTP_STARTTLS", True),
            ),
            disabled_plugins=frozenset(p.strip() for p in disabled.split(",") if p.strip()),
            db_pool=_bool("SUARA_DB_POOL", True),
            login_max_failures=_int("SUARA_LOGIN_MAX_FAILURES", 5),
            login_window_seconds=_int("SUARA_LOGIN_WINDOW_SECONDS", 900),
            public_submission_limit=_int("SUARA_PUBLIC_SUBMISSION_LIMIT", 240),
            public_submission_window_seconds=_int("SUARA_PUBLIC_SUBMISSION_WINDOW_SECONDS", 3600),
            kiosk_min_interval_seconds=_int("SUARA_KIOSK_MIN_INTERVAL_SECONDS", 5),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            sippn_endpoint=sippn_endpoint,
            sippn_token=os.environ.get("SUARA_SIPPN_TOKEN") or None,
            job_lease_seconds=max(2, _int("SUARA_JOB_LEASE_SECONDS", 30)),
        )

    def served_at(self, host: str, port: int) -> Settings:
        """These settings for a server on host:port: without SUARA_BASE_URL, links point there.

        A server on every interface (0.0.0.0, ::) is reached by the machine's name.
        """
        if self.base_url_configured:
            return self
        return replace(self, base_url=served_url(host, port))

    @property
    def is_sqlite(self) -> bool:
        """True when the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite:///")

    @property
    def sqlite_path(self) -> Path:
        """Filesystem path of the SQLite database."""
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def broker_url(self) -> str:
        """Celery broker: Redis when configured, else the filesystem transport under var/."""
        return self.redis_url or "filesystem://"

    @property
    def broker_dir(self) -> Path:
        """Folder used by the filesystem broker."""
        return self.data_dir / "broker"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry Secure when the site is served over https."""
        return self.base_url.startswith("https://")

    @property
    def mail_dir(self) -> Path:
        """Where mail is written when no SMTP host is configured."""
        return self.data_dir / "mail"
