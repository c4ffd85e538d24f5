"""Enrolled kiosk devices of a unit: the staff's page and the JSON API (issue 14 item 5).

A device's token is shown once, in the answer to its enrolment (a page, not a redirect, so it is
never in an address bar's history); after that only its name, dates and state are shown.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_201_CREATED

from core.errors import ValidationFailed
from core.surveys import kiosks
from core.surveys.schemas import KioskEnrolledOut, KioskIn, KioskOut
from core.units.service import unit_by_code
from web.context import CurrentActor, page, signed_in, token_required
from web.forms import form_errors, read_form


def _out(device: kiosks.Device) -> KioskOut:
    return KioskOut(
        id=device.id,
        unit=device.unit,
        name=device.name,
        created_at=device.created_at,
        revoked_at=device.revoked_at,
    )


@get(
    "/api/v1/units/{code:str}/kiosks",
    guards=[token_required],
    operation_id="listKiosks",
    tags=["surveys"],
)
async def list_kiosks(actor: CurrentActor, code: FromPath[str]) -> list[KioskOut]:
    """The unit's enrolled kiosk devices (no tokens)."""
    return [_out(d) for d in await kiosks.list_devices(signed_in(actor), code)]


@post(
    "/api/v1/units/{code:str}/kiosks",
    guards=[token_required],
    status_code=HTTP_201_CREATED,
    operation_id="enrolKiosk",
    tags=["surveys"],
)
async def enrol_kiosk(
    request: Request, actor: CurrentActor, code: FromPath[str], data: JSONBody[KioskIn]
) -> KioskEnrolledOut:
    """Enrol a counter device; the answer holds its token and kiosk address, shown only here."""
    enrolled = await kiosks.enrol_device(signed_in(actor), code, data.name)
    return KioskEnrolledOut(
        device=_out(enrolled.device),
        token=enrolled.token,
        kiosk_url=enrolled.url(request.app.state.settings),
    )


@post(
    "/api/v1/kiosks/{device_id:int}/revoke",
    guards=[token_required],
    status_code=200,
    operation_id="revokeKiosk",
    tags=["surveys"],
)
async def revoke_kiosk(actor: CurrentActor, device_id: FromPath[int]) -> KioskOut:
    """Revoke a device: its kiosk address stops working at once."""
    return _out(await kiosks.revoke_device(signed_in(actor), device_id))


async def _page(
    request: Request,
    actor,
    code: str,
    *,
    enrolled: kiosks.Enrolled | None = None,
    errors: dict[str, str] | None = None,
    name: str = "",
    status_code: int = 200,
) -> Template:
    unit = await unit_by_code(actor, code)
    return page(
        request,
        "surveys/kiosks.html",
        status_code=status_code,
        unit=unit,
        devices=await kiosks.list_devices(actor, code),
        enrolled=enrolled,
        kiosk_url=enrolled.url(request.app.state.settings) if enrolled else "",
        errors=errors or {},
        name=name,
    )


@get("/units/{code:str}/kios")
async def kiosks_page(request: Request, actor: CurrentActor, code: FromPath[str]) -> Template:
    """The unit's kiosk devices, with the form to enrol one."""
    return await _page(request, signed_in(actor), code)


@post("/units/{code:str}/kios", status_code=200)
async def kiosks_enrol(request: Request, actor: CurrentActor, code: FromPath[str]) -> Template:
    """Enrol a device and show its kiosk address once."""
    actor = signed_in(actor)
    form = await read_form(request)
    name = form.text("name")
    try:
        enrolled = await kiosks.enrol_device(actor, code, name)
    except ValidationFailed as exc:
        return await _page(
            request, actor, code, errors=form_errors(exc).fields, name=name, status_code=422
        )
    return await _page(request, actor, code, enrolled=enrolled)


@post("/units/{code:str}/kios/{device_id:int}/cabut")
async def kiosks_revoke(
    actor: CurrentActor, code: FromPath[str], device_id: FromPath[int]
) -> Redirect:
    """Revoke a device and return to the list."""
    await kiosks.revoke_device(signed_in(actor), device_id)
    return Redirect(path=f"/units/{code}/kios")


API_ROUTES = [list_kiosks, enrol_kiosk, revoke_kiosk]
PAGE_ROUTES = [kiosks_page, kiosks_enrol, kiosks_revoke]
