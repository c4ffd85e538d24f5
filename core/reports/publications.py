"""The publication register of a cycle: where and when its result was published."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.errors import FieldError, ValidationFailed
from core.reports.tables import Publication

MEDIA_LABELS: dict[str, str] = {
    "cetak": "Media cetak",
    "elektronik": "Media elektronik",
    "media_sosial": "Media sosial",
    "website": "Website",
    "aplikasi": "Aplikasi",
    "papan_pengumuman": "Papan pengumuman",
    "sippn": "SIPPN",
}


class PublicationIn(msgspec.Struct, forbid_unknown_fields=True):
    """One publication as recorded by staff."""

    media: str
    date: date
    url: str = ""


class PublicationOut(msgspec.Struct):
    """One entry of the register."""

    id: int
    cycle: int
    media: str
    media_label: str
    date: date
    url: str
    photo: bool
    recorded_by: str | None
    created_at: datetime
    # the uploaded photo's sha256 (its stored name carries it), None without a photo
    photo_sha256: str | None = None


def check_publication(data: PublicationIn, today: date, has_photo: bool = False) -> None:
    """Raise ValidationFailed naming each bad field (media, date, url)."""
    errors: list[FieldError] = []
    if data.media not in MEDIA_LABELS:
        errors.append(FieldError("media", f"pilihan: {', '.join(MEDIA_LABELS)}"))
    if data.date > today:
        errors.append(FieldError("date", "tanggal publikasi tidak boleh di masa depan"))
    url = data.url.strip()
    if url and not url.startswith(("http://", "https://")):
        errors.append(FieldError("url", "tautan harus diawali http:// atau https://"))
    if len(url) > 500:
        errors.append(FieldError("url", "tautan paling panjang 500 karakter"))
    if not url and not has_photo:
        errors.append(FieldError("url", "isi tautan publikasi atau unggah fotonya"))
    if errors:
        raise ValidationFailed(errors)


async def insert_publication(
    actor: Actor, cycle_id: int, unit_id: int, data: PublicationIn, photo: str = ""
) -> int:
    """Write one register entry, audited (call inside the atomic() block of the change)."""
    rows = await Publication.insert(
        Publication(
            cycle=cycle_id,
            media=data.media,
            published_on=data.date,
            url=data.url.strip(),
            photo=photo,
            recorded_by=actor.user_id,
            created_at=utcnow(),
        )
    ).returning(Publication.id)
    publication_id = int(rows[0]["id"])
    await record(
        actor,
        "report.publication_recorded",
        "report_publication",
        publication_id,
        after={"cycle": cycle_id, "media": data.media, "date": str(data.date), "url": data.url},
        unit_id=unit_id,
    )
    return publication_id


def _sha256_of(stored: str) -> str | None:
    """``reports/cycles/7/publikasi-<sha256>.png`` → the sha256."""
    if not stored:
        return None
    return stored.rsplit("/", 1)[-1].rsplit(".", 1)[0].rsplit("-", 1)[-1]


async def list_publications(actor: Actor, cycle_id: int) -> list[PublicationOut]:
    """The register of a cycle the actor may see, oldest publication first."""
    from core.surveys.cycles import cycle_row

    await cycle_row(actor, cycle_id, Action.view_unit)
    rows = (
        await Publication.select(
            Publication.all_columns(), Publication.recorded_by.username.as_alias("who")
        )
        .where(Publication.cycle == cycle_id)
        .order_by(Publication.published_on)
        .order_by(Publication.id)
    )
    return [
        PublicationOut(
            id=r["id"],
            cycle=cycle_id,
            media=r["media"],
            media_label=MEDIA_LABELS.get(r["media"], r["media"]),
            date=r["published_on"],
            url=r["url"],
            photo=bool(r["photo"]),
            recorded_by=r["who"],
            created_at=r["created_at"],
            photo_sha256=_sha256_of(r["photo"]),
        )
        for r in rows
    ]


async def publication_entries(data_dir: Path, cycle_id: int) -> list[dict[str, Any]]:
    """The register as the report prints it (Lampiran 4): media label, date, link, photo."""
    from core.reports.photos import photo_data_uri

    rows = (
        await Publication.select()
        .where(Publication.cycle == cycle_id)
        .order_by(Publication.published_on)
    )
    return [
        {
            "media": MEDIA_LABELS.get(r["media"], r["media"]),
            "date": r["published_on"],
            "url": r["url"],
            "photo": photo_data_uri(data_dir, r["photo"]) if r["photo"] else "",
        }
        for r in rows
    ]
