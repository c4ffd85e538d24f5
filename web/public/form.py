"""The citizen's survey form: the public link and the counter kiosk, with review and thanks.

The form works without JavaScript. A repeated submission (double tap, retry, back button) carries
the same hidden submission token, so it is stored once. A filled honeypot gets the thank-you page
and stores nothing. Each request loads the open survey once (``core.surveys.public``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.errors import Conflict, DomainError, NotFound, ValidationFailed
from core.surveys import responses
from core.surveys.labels import (
    JENIS_KELAMIN_LABELS,
    PEKERJAAN_LABELS,
    PENDIDIKAN_LABELS,
    options,
)
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.public import OpenSurvey, unit_name_of_link
from core.surveys.schemas import ResponseIn, UnsurItem
from core.surveys.submission import submit_public
from core.surveys.tables import Channel
from web.context import page
from web.forms import FORM_KEY, Form, form_errors, read_form
from web.public.api import links
from web.public.common import date_range

PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
HONEYPOT = "website"
KIOSK_RETURN_SECONDS = 8  # thank-you page back to an empty form
KIOSK_IDLE_SECONDS = 90  # form emptied after this long without input (script)
KIOSK_FALLBACK_SECONDS = 300  # the same without JavaScript (meta refresh)

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
CHOICE_FIELDS = ("jenis_kelamin", "pendidikan", "pekerjaan")  # errors link to the first option
ANSWER_MISSING = "Pilih salah satu dari empat jawaban."
AGE_INVALID = "Usia harus angka 10 sampai 120 tahun."
SARAN_TOO_LONG = "Saran terlalu panjang (maksimal 2000 karakter)."
FORM_EXPIRED = "Formulir kedaluwarsa. Muat ulang halaman lalu isi kembali."

PROBLEM_TITLES = {
    404: "Tautan survei tidak ditemukan",
    409: "Survei sedang tidak dibuka",
    429: "Terlalu banyak pengisian",
}


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


def _values(form: Form, items: list[UnsurItem]) -> dict[str, Any]:
    """The submitted form as strings, the answers by unsur code."""
    values: dict[str, Any] = form.values(*PROFILE_FIELDS, "layanan", "submission_token")
    values["saran"] = form.text("saran")
    values["answers"] = {item.code: form.one(item.code) for item in items}
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


def _field_name(core_field: str) -> str:
    """Core's field names (answers.u3, profile.usia, service) as the form names them."""
    if core_field.startswith("answers."):
        return core_field.split(".", 1)[1].upper()
    name = core_field.removeprefix("profile.")
    return "layanan" if name == "service" else name


def _shown(name: str, message: str, items: list[UnsurItem]) -> FormError:
    """One field's error as the page shows it, in the citizen's words."""
    names = {item.code: item.name for item in items}
    if name in names:
        return FormError(name, f"f-{name}-1", names[name], ANSWER_MISSING)
    if name in FIELD_LABELS:
        if name == "saran":
            plain = SARAN_TOO_LONG
        elif name == "usia" and "wajib" not in message:
            plain = AGE_INVALID
        else:
            plain = MISSING.get(name, message)
        target = f"f-{name}-0" if name in CHOICE_FIELDS else f"f-{name}"
        return FormError(name, target, FIELD_LABELS[name], plain, named=plain == message)
    if name == "submission_token":
        return FormError(FORM_KEY, "isian", "Formulir", FORM_EXPIRED, named=False)
    return FormError(FORM_KEY, "isian", "Formulir", message)


def _errors(exc: ValidationFailed, items: list[UnsurItem]) -> list[FormError]:
    """One error per field, in the order the fields appear on the page."""
    order = [FORM_KEY, "layanan", *PROFILE_FIELDS, *(item.code for item in items), "saran"]
    shown = [_shown(n, m, items) for n, m in form_errors(exc, _field_name).fields.items()]
    return sorted(shown, key=lambda e: order.index(e.field) if e.field in order else 0)


def _context(request: Request, mode: Mode, open_: OpenSurvey) -> dict[str, Any]:
    cycle, survey = open_.cycle, open_.survey
    return {
        "mode": mode,
        "kiosk": mode.kiosk,
        "base": mode.base,
        "survey": survey,
        "period_type": cycle["period_type"],
        "year": cycle["year"],
        "dates": date_range(request, cycle["start_date"], cycle["end_date"]),
        "service_names": {s["code"]: s["name"] for s in survey.services},
        "jenis_kelamin": options(JENIS_KELAMIN, JENIS_KELAMIN_LABELS),
        "pendidikan": options(PENDIDIKAN, PENDIDIKAN_LABELS),
        "pekerjaan": options(PEKERJAAN, PEKERJAAN_LABELS),
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
    open_: OpenSurvey,
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
        **_context(request, mode, open_),
    )


def _thanks(mode: Mode) -> Redirect:
    return Redirect(path=f"{mode.base}/terima-kasih{mode.query}", status_code=303)


async def _form_page(request: Request, mode: Mode, layanan: str | None) -> Template:
    try:
        open_ = await links(request).get(mode.token, kiosk=mode.kiosk)
    except (NotFound, Conflict) as exc:
        return _problem(request, mode, exc)
    codes = [s["code"] for s in open_.survey.services]
    preset = layanan if layanan in codes else ""
    chosen = preset or (codes[0] if len(codes) == 1 else "")
    return _show_form(request, replace(mode, preset=preset), open_, _fresh_values(chosen))


async def _review(request: Request, mode: Mode) -> Template | Redirect:
    form = await read_form(request)
    mode = replace(mode, preset=form.one("preset")[:40])
    try:
        open_ = await links(request).get(mode.token, kiosk=mode.kiosk)
    except (NotFound, Conflict) as exc:
        return _problem(request, mode, exc)
    if form.one(HONEYPOT):
        return _thanks(mode)
    values = _values(form, open_.questions)
    if not values["submission_token"]:
        values["submission_token"] = secrets.token_urlsafe(24)
    try:
        await responses.validate(
            open_.cycle,
            _response_in(values),
            complete=True,
            profile_required=True,
            items=open_.questions,
            services=open_.service_ids,
        )
    except ValidationFailed as exc:
        return _show_form(request, mode, open_, values, _errors(exc, open_.questions))
    return page(
        request,
        "public/review.html",
        values=values,
        chosen={
            item.code: int(values["answers"][item.code])
            for item in open_.questions
            if (text := values["answers"].get(item.code, "")).isascii() and text.isdigit()
        },
        **_context(request, mode, open_),
    )


async def _submit(request: Request, mode: Mode) -> Template | Redirect:
    form = await read_form(request)
    mode = replace(mode, preset=form.one("preset")[:40])
    try:
        open_ = await links(request).get(mode.token, kiosk=mode.kiosk)
    except (NotFound, Conflict) as exc:
        return _problem(request, mode, exc)
    values = _values(form, open_.questions)
    if form.one("aksi") == "ubah":
        return _show_form(request, mode, open_, values)
    if form.one(HONEYPOT):
        return _thanks(mode)
    source = request.client.host if request.client else "unknown"
    try:
        await submit_public(
            request.app.state.settings, open_, _response_in(values), source, links(request)
        )
    except ValidationFailed as exc:
        return _show_form(request, mode, open_, values, _errors(exc, open_.questions))
    except DomainError as exc:
        return _problem(request, mode, exc)
    return _thanks(mode)


async def _thanks_page(request: Request, mode: Mode) -> Template:
    try:
        unit_name = await unit_name_of_link(mode.token, kiosk=mode.kiosk)
    except NotFound as exc:
        return _problem(request, mode, exc)
    return page(
        request,
        "public/thanks.html",
        unit_name=unit_name,
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
async def survey_review(request: Request, token: FromPath[str]) -> Template | Redirect:
    """Check the answers and show them read-only, with Ubah and Kirim."""
    return await _review(request, Mode(token))


@post("/s/{token:str}", status_code=200)
async def survey_submit(request: Request, token: FromPath[str]) -> Template | Redirect:
    """Store the answers (once per submission token) and go to the thank-you page."""
    return await _submit(request, Mode(token))


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
async def kiosk_review(request: Request, token: FromPath[str]) -> Template | Redirect:
    """Review step on the kiosk."""
    return await _review(request, Mode(token, kiosk=True))


@post("/kiosk/{token:str}", status_code=200)
async def kiosk_submit(request: Request, token: FromPath[str]) -> Template | Redirect:
    """Store a kiosk response (channel kiosk, at the enrolled device's pace)."""
    return await _submit(request, Mode(token, kiosk=True))


@get("/kiosk/{token:str}/terima-kasih")
async def kiosk_thanks(
    request: Request, token: FromPath[str], layanan: FromQuery[str | None] = None
) -> Template:
    """Thank-you page that returns to an empty form (same service) after a few seconds."""
    return await _thanks_page(request, Mode(token, kiosk=True, preset=(layanan or "")[:40]))


ROUTES = [
    survey_form,
    survey_review,
    survey_submit,
    survey_thanks,
    kiosk_form,
    kiosk_review,
    kiosk_submit,
    kiosk_thanks,
]
