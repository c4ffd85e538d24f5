"""The ``suara`` console script: the composition root that assembles core, web and workers.

Why a top-level module and not a function in one of the three packages: the root is the only
code allowed to know all of them. core's group (core.cli) knows neither web nor workers; web may
not import workers, nor workers web (import contracts in pyproject.toml). So the module that joins
the web command with the Celery job sender must stand outside all three. It is one small file
declared in pyproject's ``py-modules`` (``suara = "suara_cli:main"``): a new command is added by
its own package, and wired here in one line.
"""

from __future__ import annotations

from core.cli import command_line
from web.cli import run_command
from workers.cli import worker
from workers.dispatch import celery_sender

# core's commands, plus ``run`` (web, its jobs sent through Celery) and ``worker``.
main = command_line(run_command(celery_sender), worker)

if __name__ == "__main__":
    main()
