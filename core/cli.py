"""The core commands of ``suara``: db, user, audit, plugins, demo, export, and the plugins'
commands.

This group knows neither web nor workers: ``run`` (web.cli) and ``worker`` (workers.cli) are added
by the composition root, suara_cli.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import Any

import click

from core.settings import Settings

# Commands whose modules load only when they are called (or listed): `suara skm score` and the
# other quick commands start without the SIPPN export's imports.
LAZY_COMMANDS = {"export": "core.units.sippn_cli:export"}


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _hooks(settings: Settings):
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager

    return Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)


class SuaraGroup(click.Group):
    """The root group; plugin commands are added when the group is first listed or called."""

    _plugins_loaded = False

    def _load_plugin_commands(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for command in _hooks(Settings.from_env()).commands():
            self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, name = LAZY_COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name))
        self._load_plugin_commands()
        return super().get_command(ctx, cmd_name)


@click.group(cls=SuaraGroup)
def main() -> None:
    """Suara: SKM, Forum Konsultasi Publik and their follow-up."""


def command_line(*extra: click.Command) -> click.Group:
    """A ``suara`` group with core's commands and the given ones (the composition root's)."""
    group = SuaraGroup(name="suara", help=main.help, commands=dict(main.commands))
    for command in extra:
        group.add_command(command)
    return group


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("migrate")
def db_migrate() -> None:
    """Apply every pending migration."""
    from core.db import migrate

    _run(migrate())
    click.echo("database up to date")


@db.command("status")
def db_status() -> None:
    """List migrations and whether each has been applied; exit 1 if any is pending."""
    from core.db import migration_status

    rows = _run(migration_status())
    for migration_id, description, applied in rows:
        click.echo(f"{'applied' if applied else 'PENDING':8} {migration_id}  {description}")
    if not all(applied for _, _, applied in rows):
        sys.exit(1)


@main.group()
def user() -> None:
    """Users."""


@user.command("create")
@click.argument("username")
@click.option(
    "--role", required=True, type=click.Choice(["admin", "operator", "organizer", "inspector"])
)
@click.option("--unit", "units", multiple=True, help="Unit code (repeat for several).")
@click.option("--full-name", default="")
@click.option("--email", default="")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
def user_create(
    username: str,
    role: str,
    units: tuple[str, ...],
    full_name: str,
    email: str,
    password_stdin: bool,
) -> None:
    """Create a user, reading the password from standard input."""
    from core.accounts.policy import Actor
    from core.accounts.service import create_user
    from core.errors import DomainError, ValidationFailed

    password = sys.stdin.readline().rstrip("\n")
    try:
        _run(create_user(Actor.system(), username, role, password, units, full_name, email))
    except ValidationFailed as exc:
        for error in exc.errors:
            click.echo(f"error: {error.field}: {error.message}", err=True)
        sys.exit(2)
    except DomainError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    click.echo(f"user {username} created ({role})")


@main.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the keyed chain against the latest signed checkpoint; exit 1 naming the first
    broken event and its action if anything was altered or deleted."""
    from core.audit.service import verify

    checked, broken = _run(verify(Settings.from_env().data_dir))
    if broken:
        action = f" ({broken.action})" if broken.action else ""
        click.echo(
            f"BROKEN at event {broken.event_id}{action}: {broken.reason} ({checked} checked)"
        )
        sys.exit(1)
    click.echo(f"ok: {checked} events, chain intact")


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Verify, sign the chain's head, append it to the data directory's checkpoint file and print
    it (one JSON line) to publish or keep elsewhere."""
    from core.audit.service import write_checkpoint
    from core.errors import Conflict

    try:
        checkpoint = _run(write_checkpoint(Settings.from_env().data_dir))
    except Conflict as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(checkpoint.line())


@audit.command("adopt-legacy")
def audit_adopt_legacy() -> None:
    """Once, after upgrading: accept the events written before the chain was keyed (their plain
    SHA-256 chain is checked first) so that ``verify`` keeps passing on them."""
    from core.audit.service import adopt_legacy_chain
    from core.errors import Conflict

    try:
        last = _run(adopt_legacy_chain(Settings.from_env().data_dir))
    except Conflict as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"ok: events up to #{last} adopted as the unkeyed start of the chain")


@main.command()
def plugins() -> None:
    """List loaded plugins and the hooks each implements."""
    for info in _hooks(Settings.from_env()).describe():
        click.echo(f"{info.name}  [{info.source}]")
        for hook in info.hooks:
            click.echo(f"    {hook}")


@main.group()
def reports() -> None:
    """Reports."""


@reports.command("public-backfill")
def reports_public_backfill() -> None:
    """Queue the public report of every published cycle that has none (safe to run again)."""
    from core.reports.public_report import queue_missing_public_reports

    queued = _run(queue_missing_public_reports())
    click.echo(f"public reports queued: {queued} (the worker renders them)")


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
def demo(if_empty: bool) -> None:
    """Seed the fictional Kabupaten Contoh (only into an empty database)."""
    from core.demo import is_empty, local_today, seed_demo, survey_summary
    from core.demo.publications import SHOWCASE, seed_publications

    if not _run(is_empty()):
        if if_empty:
            click.echo("demo: database already has data, nothing seeded")
            return
        click.echo(
            "error: database already has data; demo data goes only into an empty one", err=True
        )
        sys.exit(2)

    async def seed() -> tuple[Any, Any, int]:
        settings = Settings.from_env()
        hooks = _hooks(settings)
        logins = await seed_demo(hooks)
        summary = await survey_summary()
        click.echo("demo: publishing the showcase puskesmas (its report is being rendered)…")
        queued = await seed_publications(settings, hooks, local_today())
        return logins, summary, queued

    logins, summary, queued = _run(seed())
    click.echo(
        f"Demo data seeded: Kabupaten Contoh. Surveys: {summary.cycles} cycles"
        f" ({summary.open_cycles} open) in {summary.units} units, {summary.responses} responses."
    )
    click.echo(
        f"Published now: {SHOWCASE}; {queued} more cycles publish as the worker renders them."
    )
    click.echo("Demo log-ins (for the demo only):")
    for login in logins:
        click.echo(f"  {login.username:10} {login.password:22} ({login.role})")
