"""The citizen's survey: the public form and the counter kiosk, with review, thanks, QR codes,
the A5 poster and the printable paper questionnaire.

The form works without JavaScript. A repeated submission (double tap, retry, back button) carries
the same hidden submission token, so it is stored once. A filled honeypot gets the thank-you page
and stores nothing.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

import segno
from babel.dates import format_date
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from core.errors import Conflict, DomainError, FieldError, NotFound, ValidationFailed
from core.surveys import cycles, responses
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.questionnaires import current_items, items_of
from core.surveys.schemas import CycleOut, ResponseIn, UnsurItem
from core.surveys.tables import Channel, QuestionnaireVersion, SurveyCycle
from core.units.tables import Unit
from web.context import CurrentActor, locale_of, page, signed_in
from web.controllers.surveys_api import PublicSurvey, public_questionnaire

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
HONEYPOT = "website"
KIOSK_RETURN_SECONDS = 8  # thank-you page back to an empty form
KIOSK_IDLE_SECONDS = 90  # form emptied after this long without input (script)
KIOSK_FALLBACK_SECONDS = 300  # the same without JavaScript (meta refresh)

# What a citizen reads for each stored option value (the stored value stays the code).
JENIS_KELAMIN_LABELS = {"L": "Laki-laki", "P": "Perempuan"}
PENDIDIKAN_LABELS = {"SD": "SD/sederajat", "SMP": "SMP/sederajat", "SMA": "SMA/SMK/sederajat"}
PEKERJAAN_LABELS = {"PNS": "PNS/ASN", "Swasta": "Pegawai swasta"}

# Form fields in page order, with the label the error summary names them by.
FIELD_LABELS = {
    "layanan": "Jenis layanan",
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Usia",
    "pendidikan": "Pendidikan terakhir",
    "pekerjaan": "Pekerjaan",
    "pekerjaan_lain": "Pekerjaan lainnya",
    "saran": "Saran dan masukan",
}
# Plain Indonesian messages for the usual mistakes; anything else shows core's own message.
MISSING = {
    "layanan": "Pilih jenis layanan yang Anda terima.",
    "jenis_kelamin": "Pilih jenis kelamin.",
    "usia": "Isi usia Anda dalam tahun.",
    "pendidikan": "Pilih pendidikan terakhir.",
    "pekerjaan": "Pilih pekerjaan.",
}
ANSWER_MISSING = "Pilih salah satu dari empat jawaban."
AGE_INVALID = "Usia harus angka 10 sampai 120 tahun."
SARAN_TOO_LONG = "Saran terlalu panjang (maksimal 2000 karakter)."
FORM_EXPIRED = "Formulir kedaluwarsa. Muat ulang halaman lalu isi kembali."

PROBLEM_TITLES = {
    404: "Tautan survei tidak ditemukan",
    409: "Survei sedang tidak dibuka",
    429: "Terlalu banyak pengisian",
}
NOT_OPENED = "Survei ini belum dibuka, jadi belum punya tautan dan kode QR. Buka siklusnya dulu."
UNKNOWN_SERVICE = "Layanan tersebut tidak termasuk survei ini."


@dataclass(frozen=True)
class Mode:
    """Which link the visitor came through: the public one or the counter kiosk."""

    token: str
    kiosk: bool = False
    preset: str = ""  # the service chosen by the link (?layanan=), kept for the next respondent

    @property
    def base(self) -> str:
        """The form's own address."""
        return f"/{'kiosk' if self.kiosk else 's'}/{self.token}"

    @property
    def query(self) -> str:
        return f"?layanan={quote(self.preset, safe='')}" if self.preset else ""

    @property
    def start(self) -> str:
        """An empty form, with the link's service chosen again."""
        return self.base + self.query

    @property
    def channel(self) -> Channel:
        return Channel.kiosk if self.kiosk else Channel.online


@dataclass
class FormError:
    """One problem as the page shows it: next to the field and in the summary at the top."""

    field: str
    target: str
    label: str
    message: str
    named: bool = True  # False when the message already says which field it is about


def _one(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value if value is not None else "")


def _values(data: dict[str, Any], items: list[UnsurItem]) -> dict[str, Any]:
    """The submitted form as strings, the answers by unsur code."""
    values: dict[str, Any] = {
        name: _one(data, name).strip() for name in (*PROFILE_FIELDS, "layanan", "submission_token")
    }
    # Browsers send textarea line breaks as CRLF; count them as one character, as maxlength does.
    values["saran"] = _one(data, "saran").replace("\r\n", "\n").strip()
    values["answers"] = {item.code: _one(data, item.code).strip() for item in items}
    return values


def _fresh_values(layanan: str = "") -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys((*PROFILE_FIELDS, "saran"), "")
    values.update(layanan=layanan, answers={}, submission_token=secrets.token_urlsafe(24))
    return values


def _response_in(values: dict[str, Any]) -> ResponseIn:
    return ResponseIn(
        answers=dict(values["answers"]),
        service=values["layanan"] or None,
        profile={name: values[name] for name in PROFILE_FIELDS},
        saran=values["saran"],
        submission_token=values["submission_token"] or None,
    )


def _form_error(error: FieldError, items: list[UnsurItem]) -> FormError:
    """Map core's field names (answers.U3, profile.usia, service) onto the form's."""
    field = error.field
    names = {item.code: item.name for item in items}
    if field.startswith("answers."):
        code = field.split(".", 1)[1].upper()
        if code in names:
            return FormError(code, f"f-{code}-1", names[code], ANSWER_MISSING)
    name = field.removeprefix("profile.")
    if name == "service":
        name = "layanan"
    if name in FIELD_LABELS:
        if name == "saran":
            message = SARAN_TOO_LONG
        elif name == "usia" and "wajib" not in error.message:
            message = AGE_INVALID
        elif name in MISSING:
            message = MISSING[name]
        else:
            message = error.message
        named = message == error.message
        target = {
            "jenis_kelamin": "f-jenis_kelamin-0",
            "pendidikan": "f-pendidikan-0",
            "pekerjaan": "f-pekerjaan-0",
        }.get(name, f"f-{name}")
        return FormError(name, target, FIELD_LABELS[name], message, named)
    if field == "submission_token":
        return FormError("umum", "isian", "Formulir", FORM_EXPIRED, named=False)
    return FormError("umum", "isian", "Formulir", error.message)


def _form_errors(exc: ValidationFailed, items: list[UnsurItem]) -> list[FormError]:
    """One error per field, in the order the fields appear on the page."""
    order = ["umum", "layanan", *PROFILE_FIELDS, *(item.code for item in items), "saran"]
    seen: dict[str, FormError] = {}
    for error in exc.errors:
        mapped = _form_error(error, items)
        seen.setdefault(mapped.field, mapped)
    return sorted(seen.values(), key=lambda e: order.index(e.field) if e.field in order else 0)


def _dates(request: Request, start: date, end: date) -> str:
    lang = locale_of(request)
    return f"{format_date(start, 'd MMMM y', locale=lang)} – {format_date(end, 'd MMMM y', locale=lang)}"


async def _load(mode: Mode) -> tuple[dict[str, Any], PublicSurvey]:
    """The open cycle behind the link and what the form shows; 404/409 as domain errors."""
    cycle = await cycles.open_cycle_by_token(mode.token, kiosk=mode.kiosk)
    if mode.channel.value not in responses.cycle_channels(cycle):
        raise Conflict("Saluran pengisian ini tidak dibuka untuk survei ini.")
    return cycle, await public_questionnaire(mode.token, kiosk=mode.kiosk)


def _context(
    request: Request, mode: Mode, cycle: dict[str, Any], survey: PublicSurvey
) -> dict[str, Any]:
    return {
        "mode": mode,
        "kiosk": mode.kiosk,
        "base": mode.base,
        "survey": survey,
        "period_type": cycle["period_type"],
        "year": cycle["year"],
        "dates": _dates(request, cycle["start_date"], cycle["end_date"]),
        "service_names": {s["code"]: s["name"] for s in survey.services},
        "jenis_kelamin": [(v, JENIS_KELAMIN_LABELS.get(v, v)) for v in JENIS_KELAMIN],
        "pendidikan": [(v, PENDIDIKAN_LABELS.get(v, v)) for v in PENDIDIKAN],
        "pekerjaan": [(v, PEKERJAAN_LABELS.get(v, v)) for v in PEKERJAAN],
        "honeypot": HONEYPOT,
        "idle_seconds": KIOSK_IDLE_SECONDS,
        "fallback_seconds": KIOSK_FALLBACK_SECONDS,
    }


def _problem(request: Request, mode: Mode, exc: DomainError) -> Template:
    """Unknown link, closed survey, too many submissions: a friendly page without staff menus."""
    status = exc.status_code
    return page(
        request,
        "public/message.html",
        status_code=status,
        title=PROBLEM_TITLES.get(status, "Terjadi kesalahan"),
        message=exc.message,
        kiosk=mode.kiosk,
        base=mode.start if status == 429 else None,
    )


def _show_form(
    request: Request,
    mode: Mode,
    cycle: dict[str, Any],
    survey: PublicSurvey,
    values: dict[str, Any],
    errors: list[FormError] | None = None,
) -> Template:
    errors = errors or []
    return page(
        request,
        "public/form.html",
        status_code=422 if errors else 200,
        values=values,
        errors=errors,
        error_for={e.field: e for e in errors},
        **_context(request, mode, cycle, survey),
    )


def _thanks(mode: Mode) -> Redirect:
    return Redirect(path=f"{mode.base}/terima-kasih{mode.query}", status_code=303)


async def _form_page(request: Request, mode: Mode, layanan: str | None) -> Template:
    try:
        cycle, survey = await _load(mode)
    except (NotFound, Conflict) as exc:
        return _problem(request, mode, exc)
    codes = [s["code"] for s in survey.services]
    preset = layanan if layanan in codes else ""
    chosen = preset or (codes[0] if len(codes) == 1 else "")
    return _show_form(request, replace(mode, preset=preset), cycle, survey, _fresh_values(chosen))


def _posted_mode(mode: Mode, data: dict[str, Any]) -> Mode:
    return replace(mode, preset=_one(data, "preset").strip()[:40])


async def _review(request: Request, mode: Mode, data: dict[str, Any]) -> Template | Redirect:
    mode = _posted_mode(mode, data)
    try:
        cycle, survey = await _load(mode)
    except (NotFound, Conflict) as exc:
        return _problem(request, mode, exc)
    if _one(data, HONEYPOT).strip():
        return _thanks(mode)
    values = _values(data, survey.questions)
    if not values["submission_token"]:
        values["submission_token"] = secrets.token_urlsafe(24)
    try:
        await responses.validate(cycle, _response_in(values), complete=True, profile_required=True)
    except ValidationFailed as exc:
        return _show_form(request, mode, cycle, survey, values, _form_errors(exc, survey.questions))
    return page(
        request,
        "public/review.html",
        values=values,
        chosen={
            item.code: int(values["answers"][item.code])
            for item in survey.questions
            if values["answers"].get(item.code, "").isdigit()
        },
        **_context(request, mode, cycle, survey),
    )


async def _submit(request: Request, mode: Mode, data: dict[str, Any]) -> Template | Redirect:
    mode = _posted_mode(mode, data)
    try:
        cycle, survey = await _load(mode)
    except (NotFound, Conflict) as exc:
        return _problem(request, mode, exc)
    values = _values(data, survey.questions)
    if _one(data, "aksi") == "ubah":
        return _show_form(request, mode, cycle, survey, values)
    if _one(data, HONEYPOT).strip():
        return _thanks(mode)
    settings = request.app.state.settings
    source = request.client.host if request.client else "unknown"
    try:
        await responses.submit_public(
            settings, mode.token, _response_in(values), source, kiosk=mode.kiosk
        )
    except ValidationFailed as exc:
        return _show_form(request, mode, cycle, survey, values, _form_errors(exc, survey.questions))
    except DomainError as exc:
        return _problem(request, mode, exc)
    return _thanks(mode)


async def _thanks_page(request: Request, mode: Mode) -> Template:
    column = SurveyCycle.kiosk_token if mode.kiosk else SurveyCycle.public_token
    row = (
        await SurveyCycle.select(SurveyCycle.unit.name.as_alias("unit_name"))
        .where(column == mode.token)
        .first()
    )
    if row is None:
        return _problem(request, mode, NotFound("Tautan survei tidak dikenal."))
    return page(
        request,
        "public/thanks.html",
        unit_name=row["unit_name"],
        kiosk=mode.kiosk,
        base=mode.start,
        return_seconds=KIOSK_RETURN_SECONDS,
    )


# --- citizen: public link -----------------------------------------------------------------------


@get("/s/{token:str}")
async def survey_form(
    request: Request, token: FromPath[str], layanan: FromQuery[str | None] = None
) -> Template:
    """The survey form of an open cycle (?layanan=CODE preselects the service)."""
    return await _form_page(request, Mode(token), layanan)


@post("/s/{token:str}/tinjau", status_code=200)
async def survey_review(request: Request, token: FromPath[str], data: Form) -> Template | Redirect:
    """Check the answers and show them read-only, with Ubah and Kirim."""
    return await _review(request, Mode(token), data)


@post("/s/{token:str}", status_code=200)
async def survey_submit(request: Request, token: FromPath[str], data: Form) -> Template | Redirect:
    """Store the answers (once per submission token) and go to the thank-you page."""
    return await _submit(request, Mode(token), data)


@get("/s/{token:str}/terima-kasih")
async def survey_thanks(
    request: Request, token: FromPath[str], layanan: FromQuery[str | None] = None
) -> Template:
    """Thank-you page after a submission."""
    return await _thanks_page(request, Mode(token, preset=(layanan or "")[:40]))


# --- citizen: kiosk at the counter --------------------------------------------------------------


@get("/kiosk/{token:str}")
async def kiosk_form(
    request: Request, token: FromPath[str], layanan: FromQuery[str | None] = None
) -> Template:
    """The same form for a tablet at the counter; it empties itself when left idle."""
    return await _form_page(request, Mode(token, kiosk=True), layanan)


@post("/kiosk/{token:str}/tinjau", status_code=200)
async def kiosk_review(request: Request, token: FromPath[str], data: Form) -> Template | Redirect:
    """Review step on the kiosk."""
    return await _review(request, Mode(token, kiosk=True), data)


@post("/kiosk/{token:str}", status_code=200)
async def kiosk_submit(request: Request, token: FromPath[str], data: Form) -> Template | Redirect:
    """Store a kiosk response (channel kiosk, no per-device limit)."""
    return await _submit(request, Mode(token, kiosk=True), data)


@get("/kiosk/{token:str}/terima-kasih")
async def kiosk_thanks(
    request: Request, token: FromPath[str], layanan: FromQuery[str | None] = None
) -> Template:
    """Thank-you page that returns to an empty form (same service) after a few seconds."""
    return await _thanks_page(request, Mode(token, kiosk=True, preset=(layanan or "")[:40]))


# --- staff: QR codes, poster, paper questionnaire -----------------------------------------------


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


def _short(url: str) -> str:
    """The link as people type it: without the scheme."""
    return url.split("://", 1)[-1]


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
    row = (
        await SurveyCycle.select(SurveyCycle.questionnaire, SurveyCycle.unit)
        .where(SurveyCycle.id == cycle_id)
        .first()
    )
    version = None
    if row["questionnaire"]:
        version = (
            await QuestionnaireVersion.select()
            .where(QuestionnaireVersion.id == row["questionnaire"])
            .first()
        )
    items = (
        items_of(version) if version else await current_items(request.app.state.hooks, row["unit"])
    )
    unit = await Unit.select(Unit.address).where(Unit.id == row["unit"]).first()
    return page(
        request,
        "public/kuesioner.html",
        cycle=cycle,
        items=items,
        frozen=version is not None,
        unit_address=(unit or {}).get("address") or "",
        dates=_dates(request, cycle.start_date, cycle.end_date),
        short_url=_short(cycle.public_url) if cycle.public_url else "",
        qr_svg=(
            _qr(cycle.public_url).svg_inline(scale=1, border=1, omitsize=True, light="#fff")
            if cycle.public_url
            else ""
        ),
        jenis_kelamin=[(v, JENIS_KELAMIN_LABELS.get(v, v)) for v in JENIS_KELAMIN],
        pendidikan=[(v, PENDIDIKAN_LABELS.get(v, v)) for v in PENDIDIKAN],
        pekerjaan=[(v, PEKERJAAN_LABELS.get(v, v)) for v in PEKERJAAN],
    )


ROUTES = [
    survey_form,
    survey_review,
    survey_submit,
    survey_thanks,
    kiosk_form,
    kiosk_review,
    kiosk_submit,
    kiosk_thanks,
    cycle_qr_svg,
    cycle_qr_png,
    cycle_poster,
    cycle_paper_form,
]
