"""``suara skm``: score a respondent file (CSV or XLSX) exactly, offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from plugins.skm.scoring import ScoringError
from plugins.skm.tabular import TabularError, format_table, score_file

EXIT_BAD_DATA = 2


@click.group(name="skm")
def skm_command() -> None:
    """Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017)."""


@skm_command.command("score")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON with unrounded numbers.")
@click.option(
    "--legend-0111",
    "legend",
    is_flag=True,
    help="Weight 0,111 as printed in the regulation's legend (caps the index at 99,9).",
)
def score(file: Path, as_json: bool, legend: bool) -> None:
    """Score FILE (columns U1..U9, optional U10+ and profile columns).

    Every bad cell is reported by row and column and nothing is scored (exit code 2).
    """
    try:
        result = score_file(file, weight_mode="legend_0111" if legend else "exact")
    except TabularError as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_DATA)
    except (ScoringError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_DATA)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        click.echo(format_table(result))
