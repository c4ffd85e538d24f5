"""The filesystem broker: whole messages only, and a bad message file is moved aside, not fatal."""

import logging
import os

from kombu import Connection

from workers.broker import Transport


def connection(tmp_path) -> Connection:
    queue = tmp_path / "queue"
    for sub in ("queue", "processed", "control"):
        (tmp_path / sub).mkdir()
    return Connection(
        "filesystem://",
        transport=Transport,
        transport_options={
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(tmp_path / "processed"),
            "control_folder": str(tmp_path / "control"),
            "bad_folder": str(tmp_path / "bad"),
        },
    )


def test_bad_message_files_are_moved_aside_and_the_good_ones_still_arrive(tmp_path, caplog):
    with connection(tmp_path) as conn:
        jobs = conn.SimpleQueue("jobs")
        # what a reader used to find: a file opened but not yet written, and one cut short
        (tmp_path / "queue" / "0001_a.jobs.msg").write_bytes(b"")
        (tmp_path / "queue" / "0002_b.jobs.msg").write_bytes(b'{"body": "eyJ')
        (tmp_path / "queue" / "0003_c.jobs.msg").write_bytes(b"[1, 2]")  # JSON, not a message
        jobs.put({"job": 7})
        with caplog.at_level(logging.WARNING, logger="workers.broker"):
            message = jobs.get(timeout=1)
        assert message.payload == {"job": 7}
        message.ack()
        jobs.close()
    bad = sorted(path.name for path in (tmp_path / "bad").iterdir())
    assert bad == ["0001_a.jobs.msg", "0002_b.jobs.msg", "0003_c.jobs.msg"]
    assert list((tmp_path / "queue").iterdir()) == []
    warned = [r.getMessage() for r in caplog.records if "not a readable message" in r.getMessage()]
    assert len(warned) == 3 and "0002_b.jobs.msg" in warned[1]


def test_a_message_appears_in_the_queue_only_when_whole(tmp_path, monkeypatch):
    """The writer writes under a hidden name and renames: the queue never holds a partial file."""
    seen: list[list[str]] = []
    real_replace = os.replace

    def watching_replace(src, dst):
        seen.append(sorted(os.listdir(tmp_path / "queue")))
        return real_replace(src, dst)

    with connection(tmp_path) as conn:
        # its own queue name: kombu keeps declared exchanges per process, not per folder
        jobs = conn.SimpleQueue("whole")
        monkeypatch.setattr(os, "replace", watching_replace)
        jobs.put({"job": 1})
        monkeypatch.undo()
        assert all(name.startswith(".") for name in seen[0])  # before the rename: hidden only
        assert jobs.get(timeout=1).payload == {"job": 1}
        jobs.close()
