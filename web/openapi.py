"""What the OpenAPI document says beyond the handlers' own types (issue 14 item 14).

Every operation declares the 4xx answers it gives: 401 and 403 unless it is public (from the
route's declared access, ``web.access``), 404 when its path names something, 409 for a write
(a refused state change, or a race lost to a parallel write), 422 always (a field, a row or a
query value refused), 429 where a pace applies. Bodies that refuse unknown fields say so with
``additionalProperties: false``.
"""

from __future__ import annotations

import msgspec
from litestar import Litestar
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Schema

from web.access import access_of


class FieldProblem(msgspec.Struct):
    """One refused field (or a row of an uploaded file)."""

    field: str
    message: str
    row: int | None = None


class ErrorAnswer(msgspec.Struct):
    """The body of every 4xx answer of the API."""

    status_code: int
    detail: str
    errors: list[FieldProblem] | None = None
    allowed: list[str] | None = None


# Operations with a pace: log-in attempts and the citizens' submissions.
PACED = frozenset(
    {
        "POST /api/v1/auth/token",
        "POST /api/v1/public/cycles/{token:str}/responses",
    }
)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DESCRIPTIONS = {
    401: "Belum masuk: token atau sesi tidak ada atau tidak berlaku",
    403: "Peran ini tidak berwenang",
    404: "Tidak ditemukan (atau di luar unit pengguna)",
    409: "Ditolak oleh keadaan data (status, duplikat, perubahan paralel)",
    422: "Data tidak valid; setiap kolom atau baris yang salah disebut",
    429: "Terlalu banyak permintaan; coba lagi nanti",
}


def answers_of(method: str, path: str) -> list[int]:
    """The 4xx status codes the operation declares."""
    access = access_of(method, path)
    codes = [] if access is not None and access.public else [401, 403]
    if "{" in path:
        codes.append(404)
    if method in WRITES:
        codes.append(409)
    codes.append(422)
    if f"{method} {path}" in PACED:
        codes.append(429)
    return codes


def declare_answers(app: Litestar) -> None:
    """Give every documented operation of the app its 4xx answers (before the document is built).

    The app holds its own copies of the route handlers, so this changes nothing outside it.
    """
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not handler.resolve_include_in_schema():
                continue
            codes = {
                code
                for method in handler.http_methods - {"HEAD", "OPTIONS"}
                for code in answers_of(method, route.path)
            }
            declared = {
                code: ResponseSpec(
                    data_container=ErrorAnswer,
                    description=DESCRIPTIONS[code],
                    generate_examples=False,
                )
                for code in sorted(codes)
            }
            handler.responses = {**declared, **(handler.responses or {})}


class StrictStructSchemas(StructSchemaPlugin):
    """Litestar's schema for msgspec Structs, plus ``additionalProperties: false`` for those
    declared with ``forbid_unknown_fields`` (the server refuses unknown fields there)."""

    def is_plugin_supported_field(self, field_definition) -> bool:  # type: ignore[no-untyped-def]
        """Structs that refuse unknown fields."""
        return super().is_plugin_supported_field(field_definition) and bool(
            field_definition.type_.__struct_config__.forbid_unknown_fields
        )

    def to_openapi_schema(self, field_definition, schema_creator) -> Schema:  # type: ignore[no-untyped-def]
        """The built-in schema, closed to other properties."""
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema
