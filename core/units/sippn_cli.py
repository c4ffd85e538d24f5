"""``suara export sippn``: the SIPPN file of a unit (or every unit) and a period, from the shell.

The formats offered are those registered for SIPPN datasets (``plugins.sippn`` and any other
plugin), read when the command is built. A refusal names every unit and field on standard error,
writes nothing and exits with 2.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import click

from core.accounts.policy import Actor
from core.errors import DomainError, ValidationFailed
from core.hooks import Hooks
from core.settings import Settings
from core.units.sippn_export import PERIODS, export_sippn, sippn_formats


def _hooks() -> Hooks:
    from core.plugins import build_plugin_manager

    settings = Settings.from_env()
    return Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)


def _write(path: Path, content: bytes) -> None:
    """Write the whole file under a temporary name, then rename it: never a half file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def sippn_command(hooks: Hooks) -> click.Command:
    """The ``sippn`` command with the formats registered in ``hooks``."""

    @click.command("sippn")
    @click.option("--unit", "unit", metavar="CODE", help="Kode unit (or --all).")
    @click.option("--all", "every", is_flag=True, help="Every unit with a final SKM result.")
    @click.option("--year", type=int, required=True, help="Tahun SKM, e.g. 2026.")
    @click.option("--period", type=click.Choice(PERIODS), help="One period; default: the year.")
    @click.option("--format", "fmt", type=click.Choice(sorted(sippn_formats(hooks))), required=True)
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def sippn(
        unit: str | None, every: bool, year: int, period: str | None, fmt: str, output: Path
    ) -> None:
        """Export units, their services with the Standar Pelayanan and the SKM result for SIPPN."""
        if bool(unit) == every:
            raise click.UsageError("give exactly one of --unit CODE or --all")
        try:
            result = asyncio.run(
                export_sippn(Actor.system(), hooks, unit=unit, year=year, fmt=fmt, period=period)
            )
        except ValidationFailed as exc:
            click.echo(f"error: {exc.message}", err=True)
            for error in exc.errors:
                click.echo(f"  {error.field}: {error.message}", err=True)
            sys.exit(2)
        except DomainError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        _write(output, result.content)
        for code, reason in result.skipped:
            click.echo(f"note: {code} not exported: {reason}", err=True)
        click.echo(f"written {output} ({len(result.content)} bytes)")

    return sippn


class ExportGroup(click.Group):
    """``suara export``: its commands are built on use, with the formats plugins register."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["sippn"]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return sippn_command(_hooks()) if cmd_name == "sippn" else None


export = ExportGroup("export", help="Export files for national systems (SIPPN).")
