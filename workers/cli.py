"""``suara worker``: one Celery worker (added to the command line by suara_cli)."""

from __future__ import annotations

import click

from core.hooks import Hooks
from core.plugins import build_plugin_manager
from core.settings import Settings


@click.command()
@click.option("--beat/--no-beat", default=False, help="Also run the periodic scheduler.")
@click.option("--concurrency", default=2, show_default=True, type=int)
@click.option("--queues", default="default,reports,notify", show_default=True)
def worker(beat: bool, concurrency: int, queues: str) -> None:
    """Run one Celery worker (start several for scale-out; only one with --beat)."""
    from workers.celery_app import make_celery, resend_on_start  # Celery: this command only

    settings = Settings.from_env()
    hooks = Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)
    app = make_celery(settings, hooks)
    resend_on_start(app)  # what a killed predecessor had received but not started
    argv = ["worker", "--loglevel=INFO", f"--concurrency={concurrency}", "-Q", queues]
    if beat:
        argv.append("--beat")
    app.worker_main(argv=argv)
