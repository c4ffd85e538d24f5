"""The SIPPN delivery adapter: off without an endpoint, checks the schema, fails loudly."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from click.testing import CliRunner

from core.settings import Settings
from plugins.sippn import suara_register_commands
from plugins.sippn.document import build
from plugins.sippn.formats import render_json
from tests.unit.test_sippn_validation import dataset, record


@pytest.fixture
def endpoint():
    """A local receiver: answers with the status in ``state['status']``, keeps what it got."""
    state: dict = {"status": 201, "bodies": [], "auth": []}

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            state["bodies"].append(self.rfile.read(int(self.headers["Content-Length"])))
            state["auth"].append(self.headers.get("Authorization"))
            self.send_response(state["status"])
            self.end_headers()
            self.wfile.write(b'{"diterima": true}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}/sippn"
    yield state
    server.shutdown()


def _kirim(settings: Settings, path) -> object:
    from core.plugin_api import PluginContext

    (group,) = suara_register_commands(context=PluginContext(settings=settings))
    return CliRunner().invoke(group, ["kirim", str(path)])


@pytest.fixture
def export_file(tmp_path):
    path = tmp_path / "sippn.json"
    path.write_bytes(render_json(dataset(record())))
    return path


def test_nothing_is_sent_without_an_endpoint(export_file):
    result = _kirim(Settings.from_env(), export_file)
    assert result.exit_code == 1
    assert "SUARA_SIPPN_ENDPOINT" in result.stderr


def test_the_file_is_sent_with_the_token_and_a_refusal_is_an_error(endpoint, export_file):
    settings = dataclasses.replace(
        Settings.from_env(), sippn_endpoint=endpoint["url"], sippn_token="rahasia"
    )
    sent = _kirim(settings, export_file)
    assert sent.exit_code == 0, sent.output
    assert json.loads(endpoint["bodies"][0])["unit"][0]["kode_unit"] == "PKM-A"
    assert endpoint["auth"] == ["Bearer rahasia"]
    endpoint["status"] = 500
    refused = _kirim(settings, export_file)
    assert refused.exit_code == 1 and "500" in refused.stderr


def test_an_unreachable_endpoint_and_a_bad_file_fail_loudly(tmp_path, export_file):
    settings = dataclasses.replace(Settings.from_env(), sippn_endpoint="http://127.0.0.1:9/x")
    unreachable = _kirim(settings, export_file)
    assert unreachable.exit_code == 1 and "tidak dapat dihubungi" in unreachable.stderr
    document = build(dataset(record()))
    document["unit"][0]["skm"]["mutu"] = "E"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    refused = _kirim(settings, bad)
    assert refused.exit_code == 2 and "unit.0.skm.mutu" in refused.stderr
