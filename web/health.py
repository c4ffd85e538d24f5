"""/healthz: database, broker and a worker round trip (the report is core.health's)."""

from __future__ import annotations

from litestar import Request, Response, get

from core.health import health_report


@get("/healthz", tags=["health"], summary="Health of the database, the broker and the workers")
async def healthz(request: Request) -> Response[dict[str, str]]:
    """200 when the database, the broker and a worker answer; 503 naming what is down."""
    worker_process = request.app.state.worker_process
    ok, body = await health_report(
        request.app.state.sender, worker_process() if worker_process else None
    )
    return Response(content=body, status_code=200 if ok else 503)
