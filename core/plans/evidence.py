"""Evidence of an item's milestones: photos and documents (stored with their sha256 under the data
directory, the type read from the content) or links."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import date
from pathlib import Path

from core.accounts.policy import Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, ValidationFailed
from core.forums.documents import EXTENSIONS, MAX_BYTES, TYPE_NAMES, display_name, sniff
from core.plans.schemas import EvidenceOut
from core.plans.service import item_access
from core.plans.tables import PlanEvidence, PlanStatus

ALLOWED = frozenset(EXTENSIONS)  # PDF, JPEG, PNG, Word, Excel, PowerPoint


def evidence_dir(data_dir: Path, item_id: int) -> Path:
    """Where the files of one item are kept."""
    return data_dir / "plans" / str(int(item_id))


def _store(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)


async def _insert(actor: Actor, item_id: int, values: dict) -> EvidenceOut:
    _item, plan, _full = await item_access(actor, item_id)
    if plan["status"] == PlanStatus.closed.value:
        raise Conflict("Rencana tindak lanjut sudah selesai; bukti tidak ditambahkan lagi.")
    values = {"milestone_on": values.pop("milestone_on") or utcnow().date(), **values}
    ids = await PlanEvidence.insert(
        PlanEvidence(item=item_id, added_by=actor.user_id, added_at=utcnow(), **values)
    ).returning(PlanEvidence.id)
    detail = {
        k: v.isoformat() if isinstance(v, date) else v for k, v in values.items() if k != "path"
    }
    await record(
        actor, "plan_item.evidence_added", "plan_item", item_id, after=detail, unit_id=plan["unit"]
    )
    row = await PlanEvidence.select().where(PlanEvidence.id == ids[0]["id"]).first()
    return EvidenceOut(**{k: row[k] for k in EvidenceOut.__struct_fields__})


async def add_link(
    actor: Actor, item_id: int, url: str, milestone_on: date | None, title: str = ""
) -> EvidenceOut:
    """A link (http or https) as the evidence of a milestone."""
    url = url.strip()
    if not url.startswith(("https://", "http://")) or len(url) > 500 or " " in url:
        raise ValidationFailed.single(
            "url", "tautan harus diawali http:// atau https:// (maks. 500 karakter)"
        )
    async with atomic():
        return await _insert(
            actor, item_id, {"url": url, "title": title.strip()[:250], "milestone_on": milestone_on}
        )


async def add_file(
    actor: Actor, item_id: int, filename: str, content: bytes, milestone_on: date | None,
    title: str = "", *, data_dir: Path,
) -> EvidenceOut:  # fmt: skip
    """A photo or document as the evidence of a milestone, stored with its sha256."""
    if not content:
        raise ValidationFailed.single("file", "pilih berkas terlebih dahulu (berkas kosong)")
    if len(content) > MAX_BYTES:
        raise ValidationFailed.single("file", "berkas terlalu besar (maksimal 10 MB)")
    media_type = sniff(content)
    if media_type not in ALLOWED:
        names = ", ".join(sorted(TYPE_NAMES.values()))
        raise ValidationFailed.single(
            "file", f"isi berkas bukan {names}; jenisnya diperiksa dari isi"
        )
    digest = hashlib.sha256(content).hexdigest()
    stored = evidence_dir(data_dir, item_id) / f"{secrets.token_hex(8)}.{EXTENSIONS[media_type]}"
    written = False
    try:
        async with atomic():
            await item_access(actor, item_id)
            await asyncio.to_thread(_store, stored, content)
            written = True
            return await _insert(actor, item_id, {
                "filename": display_name(filename), "media_type": media_type, "sha256": digest,
                "size": len(content), "path": stored.relative_to(data_dir).as_posix(),
                "title": title.strip()[:250], "milestone_on": milestone_on,
            })  # fmt: skip
    except BaseException:
        if written:
            stored.unlink(missing_ok=True)
        raise
