"""The health report behind /healthz: database, migrations, broker and a worker round trip."""

from __future__ import annotations

import anyio

from core.db import check_database, check_migrations
from core.jobs.dispatch import JobSender


async def health_report(
    sender: JobSender | None, worker_process: str | None = None
) -> tuple[bool, dict[str, str]]:
    """(healthy?, body): every part is 'ok' or a short reason; the broker and worker are asked
    through the process's job sender (none configured: both are reported as such).

    ``worker_process``, when the web process supervises a worker child, describes it (running,
    restarts, last exit) as information: the worker round trip decides health.
    """
    database = await check_database()
    migrations = await check_migrations() if database == "ok" else "unknown"
    if sender is None:
        broker = worker = "error: no job sender configured"
    else:
        broker = await anyio.to_thread.run_sync(sender.broker_status)
        worker = (
            await anyio.to_thread.run_sync(sender.worker_status)
            if broker == "ok"
            else "unreachable"
        )
    parts = {"database": database, "migrations": migrations, "broker": broker, "worker": worker}
    ok = all(value == "ok" for value in parts.values())
    body = {"status": "ok" if ok else "error", **parts}
    if worker_process is not None:
        body["worker_process"] = worker_process
    return ok, body
