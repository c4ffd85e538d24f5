"""Report files under the data directory: written whole or not at all, each with its sha256."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
TEMPORARY_SUFFIX = ".part"


@dataclass(frozen=True)
class WrittenFile:
    """A finished file: where it is (relative to the data directory), its checksum and size."""

    format: str
    path: str
    sha256: str
    size: int


def job_dir(data_dir: Path, job_id: int) -> Path:
    """The folder of one job's files."""
    return data_dir / "reports" / str(int(job_id))


def clear_partial(data_dir: Path, job_id: int) -> None:
    """Remove what an interrupted run of the job left (temporary files never become results)."""
    folder = job_dir(data_dir, job_id)
    if folder.is_dir():
        for leftover in folder.glob(f"*{TEMPORARY_SUFFIX}"):
            leftover.unlink(missing_ok=True)


def write_atomically(
    data_dir: Path, job_id: int, name: str, fmt: str, content: bytes
) -> WrittenFile:
    """Write to a temporary file, flush it to disk, then rename it into place (all or nothing)."""
    return write_file(data_dir, job_dir(data_dir, job_id) / name, fmt, content)


def write_file(data_dir: Path, final: Path, fmt: str, content: bytes) -> WrittenFile:
    """Write ``final`` (under the data directory) through a flushed temporary file and a rename."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(final.name + TEMPORARY_SUFFIX)
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(final)
    return WrittenFile(
        format=fmt,
        path=final.relative_to(data_dir).as_posix(),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def resolve(data_dir: Path, relative: str) -> Path:
    """The absolute path of a stored file, refusing anything outside the reports folder."""
    root = (data_dir / "reports").resolve()
    path = (data_dir / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"not a report file: {relative!r}")
    return path
