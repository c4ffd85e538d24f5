"""``suara run``: the web server, and a worker child process (added by suara_cli)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

import click

from core.db import pending_migrations
from core.hooks import Hooks
from core.jobs.dispatch import JobSender
from core.plugins import build_plugin_manager
from core.settings import SERVED_URL_VARIABLE, Settings
from web.supervisor import WorkerSupervisor

SenderFactory = Callable[[Settings, Hooks], JobSender]
# The worker runs as its own process; naming its module to start it is not an import of workers.
WORKER_ARGV = [sys.executable, "-m", "workers", "--beat"]
# uvicorn waits this long for open connections on Ctrl-C; the worker gets its own grace period
# (web.supervisor), so everything has stopped well within 10 seconds.
WEB_SHUTDOWN_SECONDS = 3


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """uvicorn re-raises SIGTERM after its shutdown: exit through ``finally`` like Ctrl-C."""
    raise SystemExit(128 + signum)


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

        settings = Settings.from_env().served_at(host, port)
        os.environ[SERVED_URL_VARIABLE] = settings.base_url  # the worker child's links too
        pending = asyncio.run(pending_migrations())
        if pending:
            click.echo(
                f"error: the database has {len(pending)} pending migration(s)"
                f" ({', '.join(pending)}); run `suara db migrate` first",
                err=True,
            )
            sys.exit(2)
        hooks = Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)
        logging.basicConfig(level=logging.INFO, format="%(levelname)s:  %(name)s: %(message)s")
        supervisor = WorkerSupervisor(WORKER_ARGV) if worker else None
        app = create_app(
            settings,
            hooks,
            sender=make_sender(settings, hooks),
            worker_process=supervisor.status if supervisor else None,
        )
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        click.echo(f"Suara: http://{host}:{port}/  (Ctrl-C untuk berhenti)")
        try:
            if supervisor:
                supervisor.start()
            uvicorn.run(
                app,
                host=host,
                port=port,
                proxy_headers=True,
                log_level="info",
                timeout_graceful_shutdown=WEB_SHUTDOWN_SECONDS,
            )
        finally:
            if supervisor:
                supervisor.stop()

    return run
