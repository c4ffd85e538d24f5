"""The shareable read-only evidence dossier: no sign-in, only what the link's unit and year
hold; files the unit blacked out are sent only as their copy."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import File, Template

from core.errors import NotFound
from core.inspection.compliance import INDICATORS
from core.inspection.dossier import shared_dossier, shared_file
from core.inspection.slots import stored_path
from web.context import locale_of, page
from web.inspection.evaluation import LABELS, file_response


@get("/dosir/{token:str}")
async def dossier_page(request: Request, token: FromPath[str]) -> Template:
    """A unit's evidence of a year, read-only, through a link."""
    settings = request.app.state.settings
    found = await shared_dossier(
        request.app.state.hooks, settings.secret_key, token, settings.timezone, locale_of(request)
    )
    return page(
        request,
        "inspection/dossier.html",
        year=found.year,
        row=found.row,
        slots=found.slots,
        indicators=INDICATORS,
        token=token,
        **LABELS,
    )


@get("/dosir/{token:str}/berkas/{file_id:int}")
async def dossier_file(request: Request, token: FromPath[str], file_id: FromPath[int]) -> File:
    """A file of the linked dossier (its blacked-out copy when there is one)."""
    settings = request.app.state.settings
    row, relative = await shared_file(settings.secret_key, token, file_id)
    path = stored_path(settings.data_dir, relative)
    if path is None:
        raise NotFound("Berkas tidak ditemukan.")
    return file_response(path, row, copy=bool(row["redacted_path"]))


ROUTES = [dossier_page, dossier_file]
