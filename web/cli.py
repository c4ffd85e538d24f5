"""``suara run``: the web server, and a worker child process (added by suara_cli)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import Callable

import click

from core.db import pending_migrations
from core.hooks import Hooks
from core.jobs.dispatch import JobSender
from core.plugins import build_plugin_manager
from core.settings import Settings

SenderFactory = Callable[[Settings, Hooks], JobSender]
# The worker runs as its own process; naming its module to start it is not an import of workers.
WORKER_ARGV = [sys.executable, "-m", "workers", "--beat"]


def _die_with_parent() -> None:
    """In the worker child: get SIGTERM when `suara run` dies, however it dies (Linux only).

    uvicorn re-raises SIGTERM after its own shutdown, so the parent's cleanup code never runs.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def run_command(make_sender: SenderFactory) -> click.Command:
    """The ``run`` command, serving an app whose jobs go through ``make_sender``'s sender."""

    @click.command()
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8000, show_default=True, type=int)
    @click.option("--worker/--no-worker", default=True, help="Also start a background worker.")
    def run(host: str, port: int, worker: bool) -> None:
        """Serve the web app (and a Celery worker with beat) until Ctrl-C.

        Refuses to start on a database with pending migrations: migrating is a deliberate step
        (`suara db migrate`, once per release, which `make run` does), never a side effect of
        starting one of several web processes.
        """
        import uvicorn

        from web.app import create_app

        settings = Settings.from_env()
        pending = asyncio.run(pending_migrations())
        if pending:
            click.echo(
                f"error: the database has {len(pending)} pending migration(s)"
                f" ({', '.join(pending)}); run `suara db migrate` first",
                err=True,
            )
            sys.exit(2)
        hooks = Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)
        app = create_app(settings, hooks, sender=make_sender(settings, hooks))
        child: subprocess.Popen[bytes] | None = None
        if worker:
            child = subprocess.Popen(WORKER_ARGV, preexec_fn=_die_with_parent)
        click.echo(f"Suara: http://{host}:{port}/  (Ctrl-C untuk berhenti)")
        try:
            uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")
        finally:
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()

    return run
