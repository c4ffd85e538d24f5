"""FKP 2 from the unit's held forums of the year on its service standard or its SKM follow-up:
the distinct groups of the public present, and each forum's papers as evidence (invitations,
attendance, minutes, berita acara, photos), each in its evidence slot."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.forums.labels import GROUP_LABELS
from core.forums.tables import (
    Attendance,
    Forum,
    ForumDocument,
    ForumPurpose,
    ForumStatus,
    ForumUnit,
    Invitation,
)
from core.i18n import translate
from core.inspection import rubric
from core.inspection.schemas import Cell, Evidence

FKP_PURPOSES = (ForumPurpose.standar_pelayanan.value, ForumPurpose.tindak_lanjut_skm.value)
HELD = (ForumStatus.held.value, ForumStatus.minutes_published.value)


async def _by_forum(table: Any, column: Any, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await table.select(table.forum, column).where(table.forum.is_in(ids)):
        found[row["forum"]].append(row)
    return found


async def forums_of(year: int, timezone: str) -> dict[int, list[dict[str, Any]]]:
    """Held forums of the year on a service standard or an SKM follow-up, per organising unit,
    each with the stakeholder groups present, its invitation count and its photos."""
    zone = ZoneInfo(timezone)
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    forums = await Forum.select(
        Forum.id, Forum.title, Forum.start_at, Forum.status, Forum.berita_acara_sha256
    ).where(
        Forum.status.is_in(list(HELD))
        & Forum.purpose.is_in(list(FKP_PURPOSES))
        & (Forum.start_at >= start)
        & (Forum.start_at < end)
    )
    if not forums:
        return {}
    ids = [f["id"] for f in forums]
    present = await _by_forum(Attendance, Attendance.stakeholder.group.as_alias("grp"), ids)
    invited = await _by_forum(Invitation, Invitation.id, ids)
    photos: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await ForumDocument.select(
        ForumDocument.id, ForumDocument.forum, ForumDocument.filename, ForumDocument.sha256
    ).where(ForumDocument.forum.is_in(ids) & (ForumDocument.kind == "photo")):
        photos[row["forum"]].append(row)
    by_id = {
        f["id"]: {
            **f,
            "groups": {r["grp"] for r in present[f["id"]]},
            "invited": len(invited[f["id"]]),
            "photos": photos[f["id"]],
        }
        for f in forums
    }
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in await ForumUnit.select(ForumUnit.forum, ForumUnit.unit).where(
        ForumUnit.forum.is_in(ids)
    ):
        found[link["unit"]].append(by_id[link["forum"]])
    return found


def _papers(forum: dict[str, Any], day: str) -> list[Evidence]:
    base = f"/forum/{forum['id']}"
    names = ", ".join(GROUP_LABELS[g] for g in sorted(forum["groups"])) or "tanpa kehadiran"
    papers = [
        Evidence(f"Forum: {forum['title']}", base, day, detail=names),
        Evidence("Undangan", base, day, detail=f"{forum['invited']} undangan", slot="undangan"),
        Evidence("Daftar hadir", f"{base}/daftar-hadir", day, slot="daftar_hadir"),
    ]
    if forum["status"] == ForumStatus.minutes_published.value:
        papers.append(Evidence("Notulen", f"{base}/publik", day, slot="notulen"))
    if forum["berita_acara_sha256"]:
        papers.append(
            Evidence(
                "Berita acara FKP",
                f"{base}/berita-acara",
                day,
                sha256=forum["berita_acara_sha256"],
                slot="berita_acara",
            )
        )
    papers.extend(
        Evidence(
            f"Foto: {photo['filename']}",
            f"{base}/dokumen/{photo['id']}",
            day,
            sha256=photo["sha256"],
            slot="foto",
        )
        for photo in forum["photos"]
    )
    return papers


def fkp_cell(
    forums: list[dict[str, Any]], timezone: str, lang: str = "id"
) -> tuple[Cell, list[str]]:
    """FKP 2 from the unit's held forums: the distinct groups present, with each forum (its
    note in ``lang``)."""
    groups = sorted({g for f in forums for g in f["groups"]}, key=list(GROUP_LABELS).index)
    evidence = []
    for forum in sorted(forums, key=lambda f: f["start_at"]):
        day = forum["start_at"].astimezone(ZoneInfo(timezone)).date().isoformat()
        evidence.extend(_papers(forum, day))
    note = (
        translate(lang, "{n} dari 5 unsur masyarakat hadir", n=len(groups))
        if forums
        else translate(lang, "belum ada forum")
    )
    return Cell(rubric.fkp_2(len(groups)), note, evidence), groups
