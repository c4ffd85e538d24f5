"""The publication API's two request forms: JSON, or multipart with an uploaded photo (as the
report page sends it), and the OpenAPI description of both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from core.errors import ValidationFailed
from core.reports.publications import PublicationIn

MULTIPART = "multipart/form-data"
_FIELD = re.compile(r"`\$\.(\w+)`")
_FIELDS = {
    "media": Schema(type=OpenAPIType.STRING, description="cetak, website, media_sosial, …"),
    "date": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
    "url": Schema(type=OpenAPIType.STRING),
}


@dataclass
class PublicationOperation(Operation):
    """The recordPublication operation, documenting its JSON and its multipart body."""

    def __post_init__(self) -> None:
        photo = Schema(
            type=OpenAPIType.STRING,
            format=OpenAPIFormat.BINARY,
            description="JPEG or PNG, at most 5 MB",
        )
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties=_FIELDS,
                        required=["media", "date"],
                        additional_properties=False,
                    )
                ),
                MULTIPART: OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={**_FIELDS, "photo": photo},
                        required=["media", "date"],
                    )
                ),
            },
        )


async def publication_input(request: Request) -> tuple[PublicationIn, bytes]:
    """The publication a request carries and its photo (empty without one).

    ValidationFailed names the bad field (``date``, ``photo``, or the JSON field at fault); the
    photo's type and size are checked by core when it is recorded.
    """
    if request.content_type[0] == MULTIPART:
        form = await request.form()
        raw_day = str(form.get("date") or "")
        try:
            day = date.fromisoformat(raw_day)
        except ValueError as exc:
            raise ValidationFailed.single("date", "tanggal dengan format YYYY-MM-DD") from exc
        upload = form.get("photo")
        if upload not in (None, "") and not isinstance(upload, UploadFile):
            raise ValidationFailed.single("photo", "kirim foto sebagai berkas (multipart)")
        photo = await upload.read() if isinstance(upload, UploadFile) else b""
        fields = {name: str(form.get(name) or "") for name in ("media", "url")}
        return PublicationIn(date=day, **fields), photo
    try:
        return msgspec.json.decode(await request.body(), type=PublicationIn), b""
    except msgspec.ValidationError as exc:
        found = _FIELD.search(str(exc))
        raise ValidationFailed.single(found.group(1) if found else "body", str(exc)) from exc
    except msgspec.DecodeError as exc:
        raise ValidationFailed.single("body", "kirim JSON atau multipart/form-data") from exc
