"""Signed checkpoints of the audit chain's head, kept in a file under the data directory (outside
the database), so deleting the newest events or rewriting the whole chain is noticed.

One JSON object per line in ``audit_checkpoints.jsonl``; the last line is the one verified
against. ``audit_legacy_until`` holds the id of the last event written before the chain was
keyed: those events keep their plain SHA-256 hashes (see ``suara audit adopt-legacy``).
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from core.audit.keys import sign

CHECKPOINT_FILE = "audit_checkpoints.jsonl"
LEGACY_FILE = "audit_legacy_until"


class CheckpointUnreadable(ValueError):
    """The checkpoint file's last line is not a checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment: its last event, that event's action, and the count."""

    event_id: int
    hash: str
    action: str
    events: int
    at: str
    signature: str = ""

    def body(self) -> str:
        """What the signature covers."""
        fields = [self.event_id, self.hash, self.action, self.events, self.at]
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)

    def signed(self, key: bytes) -> Checkpoint:
        """This checkpoint with its HMAC signature."""
        return Checkpoint(**{**asdict(self), "signature": sign(key, self.body())})

    def is_valid(self, key: bytes) -> bool:
        """Whether the signature was made with ``key`` over these fields."""
        return hmac.compare_digest(sign(key, self.body()), self.signature)

    def line(self) -> str:
        """The checkpoint as one JSON line (what ``suara audit checkpoint`` prints)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def append_checkpoint(data_dir: Path, checkpoint: Checkpoint) -> None:
    """Add a checkpoint at the end of the file (created mode 0600 when absent)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / CHECKPOINT_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(checkpoint.line() + "\n")


def latest_checkpoint(data_dir: Path) -> Checkpoint | None:
    """The last checkpoint written, or None when none was ever written."""
    path = data_dir / CHECKPOINT_FILE
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return None
    try:
        fields = json.loads(lines[-1])
        return Checkpoint(
            event_id=int(fields["event_id"]),
            hash=str(fields["hash"]),
            action=str(fields["action"]),
            events=int(fields["events"]),
            at=str(fields["at"]),
            signature=str(fields["signature"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointUnreadable(f"{path}: last line is not a checkpoint") from exc


def legacy_until(data_dir: Path) -> int:
    """The id up to which events may carry unkeyed (pre-HMAC) hashes; 0 when none may."""
    path = data_dir / LEGACY_FILE
    return int(path.read_text().strip() or 0) if path.exists() else 0


def write_legacy_until(data_dir: Path, event_id: int) -> None:
    """Record the last unkeyed event (once, when an older chain is adopted)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / LEGACY_FILE).write_text(f"{event_id}\n")
