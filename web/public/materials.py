"""Printed survey materials for staff: QR codes of the public link, the A5 poster and the A4
paper questionnaire of a cycle."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import segno
from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from core.errors import Conflict, NotFound
from core.surveys import cycles
from core.surveys.labels import (
    JENIS_KELAMIN_LABELS,
    PEKERJAAN_LABELS,
    PENDIDIKAN_LABELS,
    options,
)
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.public import paper_questionnaire
from core.surveys.schemas import CycleOut
from web.context import CurrentActor, page, signed_in
from web.public.common import date_range

NOT_OPENED = "Survei ini belum dibuka, jadi belum punya tautan dan kode QR. Buka siklusnya dulu."
UNKNOWN_SERVICE = "Layanan tersebut tidak termasuk survei ini."


async def _staff_cycle(request: Request, actor: CurrentActor, cycle_id: int) -> CycleOut:
    settings, hooks = request.app.state.settings, request.app.state.hooks
    return await cycles.get_cycle(signed_in(actor), settings, hooks, cycle_id)


def _service_code(cycle: CycleOut, layanan: str | None) -> str | None:
    if not layanan:
        return None
    if layanan not in {s.code for s in cycle.services}:
        raise NotFound(UNKNOWN_SERVICE)
    return layanan


def _link(cycle: CycleOut, layanan: str | None) -> str:
    """The public link (per service with ?layanan=); 409 while the cycle has none."""
    if not cycle.public_url:
        raise Conflict(NOT_OPENED)
    return f"{cycle.public_url}?layanan={quote(layanan, safe='')}" if layanan else cycle.public_url


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def _filename(cycle: CycleOut, layanan: str | None, ext: str) -> str:
    parts = ["qr-survei", cycle.unit, str(cycle.year), cycle.period_type, layanan or ""]
    name = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) + f".{ext}"


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, max-age=0",
        },
    )


def _short(url: str) -> str:
    """The link as people type it: without the scheme."""
    return url.split("://", 1)[-1]


@get("/cycles/{cycle_id:int}/qr.svg")
async def cycle_qr_svg(
    request: Request,
    actor: CurrentActor,
    cycle_id: FromPath[int],
    layanan: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The QR code of the public link as SVG (for print shops and posters)."""
    cycle = await _staff_cycle(request, actor, cycle_id)
    code = _service_code(cycle, layanan)
    url = _link(cycle, code)
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=10, border=4, dark="#000", light="#fff", title=url)
    return _download(buffer.getvalue(), "image/svg+xml", _filename(cycle, code, "svg"))


@get("/cycles/{cycle_id:int}/qr.png")
async def cycle_qr_png(
    request: Request,
    actor: CurrentActor,
    cycle_id: FromPath[int],
    layanan: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The QR code of the public link as PNG (for chat messages and slides)."""
    cycle = await _staff_cycle(request, actor, cycle_id)
    code = _service_code(cycle, layanan)
    buffer = io.BytesIO()
    _qr(_link(cycle, code)).save(buffer, kind="png", scale=12, border=4)
    return _download(buffer.getvalue(), "image/png", _filename(cycle, code, "png"))


@get("/cycles/{cycle_id:int}/poster")
async def cycle_poster(
    request: Request,
    actor: CurrentActor,
    cycle_id: FromPath[int],
    layanan: FromQuery[str | None] = None,
) -> Template:
    """A printable A5 poster: unit name, call to action, QR code and the link written out."""
    cycle = await _staff_cycle(request, actor, cycle_id)
    code = _service_code(cycle, layanan)
    url = _link(cycle, code)
    return page(
        request,
        "public/poster.html",
        cycle=cycle,
        layanan=code,
        service_name=next((s.name for s in cycle.services if s.code == code), ""),
        url=url,
        short_url=_short(url),
        qr_svg=_qr(url).svg_inline(scale=1, border=2, omitsize=True, light="#fff"),
        query=f"?layanan={quote(code, safe='')}" if code else "",
    )


@get("/cycles/{cycle_id:int}/kuesioner")
async def cycle_paper_form(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template:
    """The paper questionnaire (A4) from the cycle's frozen questionnaire, to print and hand out."""
    cycle = await _staff_cycle(request, actor, cycle_id)
    paper = await paper_questionnaire(signed_in(actor), request.app.state.hooks, cycle_id)
    return page(
        request,
        "public/kuesioner.html",
        cycle=cycle,
        items=paper.items,
        frozen=paper.frozen,
        unit_address=paper.unit_address,
        dates=date_range(request, cycle.start_date, cycle.end_date),
        short_url=_short(cycle.public_url) if cycle.public_url else "",
        qr_svg=(
            _qr(cycle.public_url).svg_inline(scale=1, border=1, omitsize=True, light="#fff")
            if cycle.public_url
            else ""
        ),
        jenis_kelamin=options(JENIS_KELAMIN, JENIS_KELAMIN_LABELS),
        pendidikan=options(PENDIDIKAN, PENDIDIKAN_LABELS),
        pekerjaan=options(PEKERJAAN, PEKERJAAN_LABELS),
    )


ROUTES = [cycle_qr_svg, cycle_qr_png, cycle_poster, cycle_paper_form]
