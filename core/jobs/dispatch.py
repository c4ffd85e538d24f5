"""How core hands jobs to a queue without knowing which one: the JobSender interface.

core never imports the queue (Celery lives in workers/). The process that owns a queue builds a
JobSender and gives it to whoever needs one: the composition root (``suara_cli``) passes it to the
web app factory, the worker builds its own. /healthz asks the same sender about broker and worker.
"""

from __future__ import annotations

from typing import Protocol


class JobSender(Protocol):
    """Hands outbox rows to a queue and answers health questions about that queue."""

    def send(self, job_id: int) -> None:
        """Queue one outbox row (raise when the broker cannot take it; the row waits)."""

    def broker_epoch(self) -> str:
        """The broker's current incarnation (raise when it cannot be reached).

        It changes when a broker that keeps nothing restarts, so messages sent before are gone.
        """

    def broker_status(self) -> str:
        """'ok' when the broker accepts a connection, else a short reason."""

    def worker_status(self) -> str:
        """'ok' when a worker answered a round trip through the broker, else a short reason."""
