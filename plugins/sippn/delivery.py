"""Sending a SIPPN file to a national (or provincial) endpoint: an adapter, off by default.

SIPPN has no public machine interface for SKM results, so nothing is sent unless the installation
names an endpoint (``SUARA_SIPPN_ENDPOINT``, with its token in ``SUARA_SIPPN_TOKEN``, never in the
source). The document is checked against the shipped schema first; any answer other than 2xx, a
timeout or a refused connection is an error that says so — never a quiet success.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import click

from core.plugin_api import Settings
from plugins.sippn.validation import schema

TIMEOUT_SECONDS = 30


class DeliveryError(RuntimeError):
    """The endpoint did not accept the file, or could not be reached."""


def schema_problems(document: object) -> list[str]:
    """Every place where the document breaks the shipped schema."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"{'.'.join(map(str, error.absolute_path)) or 'dokumen'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def deliver(settings: Settings, body: bytes) -> str:
    """POST the JSON document to the configured endpoint; returns its answer, raises otherwise."""
    if not settings.sippn_endpoint:
        raise DeliveryError(
            "pengiriman ke SIPPN tidak diaktifkan: atur SUARA_SIPPN_ENDPOINT (dan SUARA_SIPPN_TOKEN)"
        )
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.sippn_token:
        headers["Authorization"] = f"Bearer {settings.sippn_token}"
    request = urllib.request.Request(
        settings.sippn_endpoint, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(2000).decode("utf-8", errors="replace")
            if not 200 <= response.status < 300:
                raise DeliveryError(f"SIPPN menjawab {response.status}: {answer}")
            return answer
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", errors="replace")
        raise DeliveryError(f"SIPPN menolak berkas ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"SIPPN tidak dapat dihubungi: {exc}") from exc


def send_command(settings: Settings) -> click.Group:
    """``suara sippn kirim FILE``: check a JSON export and send it to the configured endpoint."""

    @click.group("sippn")
    def sippn() -> None:
        """Deliver SIPPN exports (only when SUARA_SIPPN_ENDPOINT is set)."""

    @sippn.command("kirim")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def kirim(path: Path) -> None:
        """Send a JSON file made by `suara export sippn --format json`."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            click.echo(f"error: {path} bukan JSON ekspor SIPPN: {exc}", err=True)
            raise SystemExit(2) from exc
        problems = schema_problems(document)
        if problems:
            click.echo(f"error: {path} tidak sesuai skema SIPPN; tidak dikirim", err=True)
            for problem in problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(2)
        try:
            answer = deliver(settings, path.read_bytes())
        except DeliveryError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(1) from exc
        click.echo(f"terkirim ke {settings.sippn_endpoint}: {answer}")

    return sippn
