"""kombu's filesystem broker, made safe for several processes on one folder.

kombu's own transport writes a message in place (open, lock, write), and its reader neither takes
the lock nor survives a bad file: a worker that lists the folder between the open and the write
reads an empty file and dies of a JSON decoding error. Here a message is written under a name the
reader ignores and renamed into the queue in one step, and a file that still cannot be read as a
message (cut short, or not a kombu message at all) is moved to the ``bad_folder`` and logged, and
the worker goes on with the next one.
"""

from __future__ import annotations

import logging
import os
import uuid
from functools import cached_property
from queue import Empty
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

log = logging.getLogger(__name__)


class Channel(filesystem.Channel):
    """Atomic writes, an atomic claim of each file by one reader, bad files moved aside."""

    @cached_property
    def bad_folder(self) -> str:
        """Where unreadable message files go (transport option ``bad_folder``)."""
        return self.transport_options["bad_folder"]

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        """Write the message under a hidden name, then rename it into the queue."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")  # not a queue file name
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue: str) -> dict[str, Any]:
        """The oldest readable message of ``queue``; unreadable files are moved aside on the way."""
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            claimed = os.path.join(self.processed_folder, name)
            try:  # one rename: exactly one reader gets the file
                os.replace(os.path.join(self.data_folder_in, name), claimed)
            except OSError:
                continue  # another worker took it
            try:
                with open(claimed, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {claimed!r} from queue.") from exc
            message = self._decode(raw)
            if message is None:
                self._move_aside(claimed, name)
                continue
            if not self.store_processed:
                os.remove(claimed)
            return message
        raise Empty()

    @staticmethod
    def _decode(raw: bytes) -> dict[str, Any] | None:
        try:
            message = loads(bytes_to_str(raw))
        except ValueError:
            return None
        if not isinstance(message, dict) or "body" not in message:
            return None
        return message

    def _move_aside(self, path: str, name: str) -> None:
        os.makedirs(self.bad_folder, exist_ok=True)
        target = os.path.join(self.bad_folder, name)
        os.replace(path, target)
        log.warning(
            "filesystem broker: %s is not a readable message; moved to %s (the worker goes on)",
            name,
            target,
        )


class Transport(filesystem.Transport):
    """The filesystem transport with the safe Channel above."""

    Channel = Channel
