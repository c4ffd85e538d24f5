"""``python -m workers [--beat] …``: the worker command on its own (what ``suara run`` starts)."""

from workers.cli import worker

worker()
