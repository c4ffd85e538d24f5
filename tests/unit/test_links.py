"""Links follow the served address unless SUARA_BASE_URL is set; a differing one is flagged."""

import dataclasses
import socket
from types import SimpleNamespace

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core.settings import Settings, served_url
from web.app import WEB_DIR
from web.links import base_url_mismatch


def test_without_suara_base_url_links_follow_the_served_port(monkeypatch):
    monkeypatch.delenv("SUARA_BASE_URL", raising=False)
    monkeypatch.delenv("SUARA_SERVED_URL", raising=False)
    settings = Settings.from_env()
    assert not settings.base_url_configured
    assert settings.served_at("127.0.0.1", 8101).base_url == "http://127.0.0.1:8101"
    assert settings.served_at("0.0.0.0", 80).base_url == f"http://{socket.getfqdn()}:80"
    assert served_url("::1", 8101) == "http://[::1]:8101"


def test_a_worker_started_by_suara_run_builds_links_on_the_served_address(monkeypatch):
    monkeypatch.delenv("SUARA_BASE_URL", raising=False)
    monkeypatch.setenv("SUARA_SERVED_URL", "http://127.0.0.1:8101")
    assert Settings.from_env().base_url == "http://127.0.0.1:8101"


def test_a_configured_base_url_wins(monkeypatch):
    monkeypatch.setenv("SUARA_BASE_URL", "https://suara.example.go.id/")
    monkeypatch.setenv("SUARA_SERVED_URL", "http://127.0.0.1:8101")
    settings = Settings.from_env()
    assert settings.base_url_configured
    assert settings.served_at("127.0.0.1", 8101).base_url == "https://suara.example.go.id"


def _request(settings: Settings, opened_on: str) -> SimpleNamespace:
    scheme, netloc = opened_on.split("://")
    return SimpleNamespace(
        app=SimpleNamespace(state=SimpleNamespace(settings=settings)),
        url=SimpleNamespace(scheme=scheme, netloc=netloc),
    )


def test_the_page_is_warned_only_when_a_set_base_url_differs(settings):
    configured = dataclasses.replace(
        settings, base_url="https://suara.example.go.id", base_url_configured=True
    )
    assert base_url_mismatch(_request(configured, "https://suara.example.go.id")) is None
    assert base_url_mismatch(_request(configured, "https://SUARA.example.go.id:443")) is None
    assert (
        base_url_mismatch(_request(configured, "http://127.0.0.1:8101"))
        == "https://suara.example.go.id"
    )
    unset = dataclasses.replace(settings, base_url="http://127.0.0.1:8000")
    assert base_url_mismatch(_request(unset, "http://10.0.0.5:8101")) is None


def test_the_warning_partial_names_the_address():
    env = Environment(loader=FileSystemLoader(WEB_DIR / "templates"), undefined=StrictUndefined)
    template = env.get_template("partials/base_url_warning.html")

    def _(message, **values):
        return message.format(**values)

    shown = template.render(_=_, base_url_mismatch="https://suara.example.go.id")
    assert 'role="alert"' in shown and "https://suara.example.go.id" in shown
    assert template.render(_=_, base_url_mismatch=None).strip() == ""
