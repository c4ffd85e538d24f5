"""Mapping errors to answers: JSON on /api, Indonesian error pages elsewhere, login redirect."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect

from core.errors import DomainError, NotAuthenticated, ValidationFailed
from core.states import TransitionRefused
from web.context import page

log = logging.getLogger(__name__)

TITLES = {
    400: "Permintaan tidak valid",
    401: "Perlu masuk",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Terjadi konflik",
    413: "Berkas atau isi permintaan terlalu besar",
    422: "Data tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Terjadi kesalahan pada sistem",
    503: "Layanan sedang tidak tersedia",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _answer(
    request: Request,
    status: int,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    allowed: list[str] | None = None,
) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {"status_code": status, "detail": message}
        if errors:
            body["errors"] = errors
        if allowed is not None:
            body["allowed"] = allowed
        return Response(content=body, status_code=status, media_type=MediaType.JSON)
    return page(
        request,
        "error.html",
        status_code=status,
        status=status,
        title=TITLES.get(status, "Kesalahan"),
        message=message,
        errors=errors or [],
    )


def domain_error(request: Request, exc: DomainError) -> Response:
    """Rule violations from core: 4xx with the message (and per-field errors)."""
    if isinstance(exc, NotAuthenticated) and not _wants_json(request):
        return Redirect(path=f"/login?next={request.url.path}")
    errors = [e.as_dict() for e in exc.errors] if isinstance(exc, ValidationFailed) else None
    allowed = list(exc.allowed) if isinstance(exc, TransitionRefused) else None
    return _answer(request, exc.status_code, exc.message, errors, allowed)


def validation_error(request: Request, exc: ValidationException) -> Response:
    """Malformed request bodies and parameters: 422 naming each field."""
    errors = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            field = str(item.get("key") or item.get("source") or "body")
            errors.append({"field": field, "message": str(item.get("message", ""))})
    return _answer(
        request, 422, "Data tidak valid", errors or [{"field": "body", "message": exc.detail}]
    )


def http_error(request: Request, exc: HTTPException) -> Response:
    """Framework errors (404, 405, CSRF 403 …) with a page in Indonesian."""
    status = exc.status_code
    if isinstance(exc, NotFoundException):
        message = "Alamat yang Anda buka tidak ada."
    elif isinstance(exc, NotAuthorizedException):
        message = "Silakan masuk terlebih dahulu."
    elif isinstance(exc, PermissionDeniedException):
        message = "Permintaan ditolak. Muat ulang halaman lalu coba lagi."
    else:
        message = TITLES.get(status, exc.detail)
    response = _answer(request, status, message)
    for name, value in (exc.headers or {}).items():  # a 405 keeps its Allow header
        response.headers[name] = value
    return response


def too_deep(request: Request, exc: RecursionError) -> Response:
    """A body nested deeper than the decoder follows (JSON 2,000 levels deep): 400, not 500."""
    log.warning("request body nested too deeply on %s", request.url.path)
    return _answer(
        request,
        400,
        "Isi permintaan bersarang terlalu dalam.",
        [{"field": "body", "message": "struktur bersarang terlalu dalam"}],
    )


def conflicting_write(request: Request, exc: Exception) -> Response:
    """A parallel write won the race for a unique value (the same file, the same number): 409."""
    log.warning("write refused by a database constraint on %s: %s", request.url.path, exc)
    return _answer(
        request, 409, "Data ini baru saja diubah oleh permintaan lain. Muat ulang lalu coba lagi."
    )


def server_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: logged with its trace, shown as a plain 500."""
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return _answer(
        request, 500, "Maaf, terjadi kesalahan. Tim teknis dapat melihat rinciannya di log."
    )


RETRY_AFTER_SECONDS = 30


def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database refuses connections: 503 with Retry-After, nothing was written."""
    log.error("database unavailable on %s: %s", request.url.path, exc)
    response = _answer(
        request, 503, "Basis data sedang tidak dapat dihubungi. Coba lagi sebentar lagi."
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_refused_value(request: Request, exc: Exception) -> Response:
    """A value the database cannot hold (a NUL character, a number past its range): 422."""
    log.warning("database refused a value on %s: %s", request.url.path, exc)
    return _answer(request, 422, "Data berisi karakter atau angka yang tidak dapat disimpan.")


EXCEPTION_HANDLERS = {
    # refused, reset or dropped mid-query, or the server shutting down: the transaction is gone
    ConnectionError: database_unavailable,  # refused, reset, or asyncpg's "connection_lost()"
    asyncpg.ConnectionDoesNotExistError: database_unavailable,
    asyncpg.exceptions.OperatorInterventionError: database_unavailable,  # shutting down
    TimeoutError: database_unavailable,  # a connection attempt nobody answered
    asyncpg.TooManyConnectionsError: database_unavailable,
    asyncpg.DataError: database_refused_value,
    asyncpg.exceptions._base.DataError: database_refused_value,
    asyncpg.IntegrityConstraintViolationError: conflicting_write,
    sqlite3.IntegrityError: conflicting_write,
    RecursionError: too_deep,
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    500: server_error,
}
