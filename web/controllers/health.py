"""/healthz: database, broker and a worker round trip."""

from __future__ import annotations

import anyio
from celery import Celery
from litestar import Request, Response, get

from core.db import check_database

PING_TIMEOUT_SECONDS = 3.0


def _check_broker(celery: Celery) -> str:
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # health checks report, they do not raise
        return f"error: {type(exc).__name__}"
    return "ok"


def _ping_worker(celery: Celery) -> str:
    try:
        reply = celery.send_task("suara.ping", retry=False).get(timeout=PING_TIMEOUT_SECONDS)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok" if reply == "pong" else "error: unexpected reply"


@get("/healthz", tags=["health"], summary="Health of the database, the broker and the workers")
async def healthz(request: Request) -> Response[dict[str, str]]:
    """200 when the database, the broker and a worker answer; 503 naming what is down."""
    celery: Celery = request.app.state.celery
    database = await check_database()
    broker = await anyio.to_thread.run_sync(_check_broker, celery)
    worker = (
        await anyio.to_thread.run_sync(_ping_worker, celery) if broker == "ok" else "unreachable"
    )
    ok = database == broker == worker == "ok"
    body = {
        "status": "ok" if ok else "error",
        "database": database,
        "broker": broker,
        "worker": worker,
    }
    return Response(content=body, status_code=200 if ok else 503)
