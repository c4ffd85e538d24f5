"""The open-data bundle at stable addresses: a page describing it, CSV tables and one JSON file."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get

from core.hooks import Hooks
from core.portal.opendata import (
    FORUM_COLUMNS,
    LICENCE,
    PLAN_COLUMNS,
    RESULT_COLUMNS,
    bundle,
    dictionary_rows,
    to_csv,
    to_json,
)
from web.context import page
from web.portal.caching import headers, not_modified, unchanged, validators

CSV = "text/csv"  # Litestar adds "; charset=utf-8" to text types
DICTIONARY_COLUMNS = (("berkas", ""), ("kolom", ""), ("arti", ""))
Render = Callable[[Hooks], Awaitable[bytes | dict[str, Any]]]


async def _file(request: Request, name: str, media_type: str, render: Render) -> Response:
    """One file of the bundle, with the portal's cache validators."""
    data, etag = await validators(request, f"data|{name}")
    if unchanged(request, data, etag):
        return not_modified(data, etag)
    content = await render(request.app.state.hooks)
    return Response(
        content,
        media_type=media_type,
        headers={**headers(data, etag), "Content-Disposition": f'inline; filename="{name}"'},
    )


async def _results_csv(hooks: Hooks) -> bytes:
    return to_csv((await bundle(hooks)).results, RESULT_COLUMNS)


async def _forums_csv(hooks: Hooks) -> bytes:
    return to_csv((await bundle(hooks)).forums, FORUM_COLUMNS)


async def _plans_csv(hooks: Hooks) -> bytes:
    return to_csv((await bundle(hooks)).plans, PLAN_COLUMNS)


async def _dictionary_csv(_: Hooks) -> bytes:
    return to_csv(dictionary_rows(), DICTIONARY_COLUMNS)


async def _json(hooks: Hooks) -> dict[str, Any]:
    return to_json(await bundle(hooks))


@get("/data-terbuka/hasil-skm.csv", include_in_schema=False)
async def results_csv(request: Request) -> Response:
    """Published results per unit × service × period × unsur, with respondent counts."""
    return await _file(request, "hasil-skm.csv", CSV, _results_csv)


@get("/data-terbuka/forum.csv", include_in_schema=False)
async def forums_csv(request: Request) -> Response:
    """The units' public forums."""
    return await _file(request, "forum.csv", CSV, _forums_csv)


@get("/data-terbuka/rencana-tindak-lanjut.csv", include_in_schema=False)
async def plans_csv(request: Request) -> Response:
    """The items of published plans (RTL) with their progress."""
    return await _file(request, "rencana-tindak-lanjut.csv", CSV, _plans_csv)


@get("/data-terbuka/kamus-data.csv", include_in_schema=False)
async def dictionary_csv(request: Request) -> Response:
    """The data dictionary of the CSV files."""
    return await _file(request, "kamus-data.csv", CSV, _dictionary_csv)


@get("/data-terbuka/suara-data-terbuka.json", include_in_schema=False)
async def bundle_json(request: Request) -> Response:
    """The whole bundle in one JSON document, with dictionary, licence and last-updated date."""
    return await _file(request, "suara-data-terbuka.json", "application/json", _json)


@get("/data-terbuka")
async def open_data(request: Request) -> Response:
    """What the bundle holds: its files, data dictionary, licence and last-updated date."""
    data, etag = await validators(request, "data|page")
    if unchanged(request, data, etag):
        return not_modified(data, etag)
    response = page(
        request,
        "portal/opendata.html",
        results=RESULT_COLUMNS,
        forums=FORUM_COLUMNS,
        plans=PLAN_COLUMNS,
        licence=LICENCE,
        last_updated=data.last_modified,
    )
    response.headers.update(headers(data, etag))
    return response


ROUTES = [open_data, results_csv, plans_csv, forums_csv, dictionary_csv, bundle_json]
