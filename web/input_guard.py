"""Refusing input no page or table can hold before a handler runs: NUL bytes, ids past int32.

PostgreSQL stores neither a NUL character in text nor an integer past 32 bits; such a value in a path
is an address that cannot exist (404), in a query string a malformed request (400).
"""

from __future__ import annotations

import re

from litestar import Request
from litestar.exceptions import NotFoundException, ValidationException

INT32 = range(-(2**31), 2**31)
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _integer_query_names(request: Request) -> set[str]:
    """The query parameters the route's handler declares as integers (by their query name)."""
    names = set()
    for name, field in request.route_handler.parsed_fn_signature.parameters.items():
        if field.is_subclass_of(bool) or not (
            field.is_subclass_of(int) or field.has_inner_subclass_of(int)
        ):
            continue
        names.add(getattr(field.kwarg_definition, "query", None) or name)
    return names


async def refuse_impossible_input(request: Request) -> None:
    """Litestar ``before_request`` hook: 404 for impossible path values; 400 for NUL in a query
    or an integer query parameter past int32.

    A coroutine: Litestar runs a plain function hook in a worker thread, on every request."""
    for value in request.path_params.values():
        if isinstance(value, bool):
            continue
        if (isinstance(value, int) and value not in INT32) or (
            isinstance(value, str) and "\x00" in value
        ):
            raise NotFoundException()
    for name, value in request.query_params.items():
        if "\x00" in name or "\x00" in value:
            raise ValidationException(
                "karakter NUL tidak diterima", extra=[{"key": name, "message": "karakter NUL"}]
            )
    integers = _integer_query_names(request) if request.query_params else set()
    for name in integers:
        for value in request.query_params.getall(name, []):
            if _INTEGER.fullmatch(value.strip()) and int(value) not in INT32:
                raise ValidationException(
                    "angka di luar jangkauan",
                    extra=[{"key": name, "message": "angka di luar jangkauan"}],
                )
