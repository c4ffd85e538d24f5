"""The database refusing connections, then dropping them mid-request, counted (issue 14).

A TCP proxy stands between the app and PostgreSQL; the test closes it (connections refused), cuts
the connections it carries (dropped mid-query), and opens it again. Every answer is 201 or 503
with Retry-After, never a 500; afterwards the stored responses are exactly those answered 201
(each once), and a client retrying its 503s gets them all stored.
PostgreSQL only (``--db=postgres``): SQLite is a file, it has no connections to refuse.
"""

from __future__ import annotations

import collections
import contextlib
import socket
import threading
from urllib.parse import urlparse

import pytest

from core import db as core_db
from core.surveys.tables import Response
from tests.integration.test_public_survey import open_cycle

pytestmark = pytest.mark.db
ANSWERS = {"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 2}
PROFILE = {"jenis_kelamin": "P", "usia": 41, "pendidikan": "SMA", "pekerjaan": "Swasta"}


class Proxy:
    """A TCP forwarder on a local port that can refuse, cut and accept connections again."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def accept(self) -> None:
        """Listen (again) and forward every connection to the upstream server."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._serve, args=(listener,), daemon=True).start()

    def _serve(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: refusing
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                target.sendall(chunk)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_RDWR)

    def refuse(self) -> None:
        """Stop listening: new connections are refused."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def cut_every(self, seconds: float, stop: threading.Event) -> None:
        """Cut every connection every ``seconds`` until ``stop`` is set."""
        while not stop.wait(seconds):
            self.cut()

    def cut(self) -> None:
        """Reset every connection it carries (a server restart, a broken network)."""
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:  # shutdown wakes the pump blocked in recv(); close alone would not
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@pytest.fixture
def proxied(db, monkeypatch):
    if not core_db.is_postgres():
        pytest.skip("needs PostgreSQL (--db=postgres): SQLite has no connections to refuse")
    engine = core_db.engine()
    dsn = urlparse(engine.config["dsn"])
    proxy = Proxy((dsn.hostname or "127.0.0.1", dsn.port or 5432))
    proxy.accept()
    netloc = dsn.netloc.replace(f"{dsn.hostname}:{dsn.port}", f"127.0.0.1:{proxy.port}")
    if netloc == dsn.netloc:  # no port in the URL
        netloc = dsn.netloc.replace(str(dsn.hostname), f"127.0.0.1:{proxy.port}")
    monkeypatch.setitem(engine.config, "dsn", dsn._replace(netloc=netloc).geturl())
    yield proxy
    proxy.refuse()
    proxy.cut()


def body(number: int) -> dict:
    return {
        "service": "KIA",
        "answers": ANSWERS,
        "profile": PROFILE,
        "saran": f"Saran nomor {number}",
        "submission_token": token(number),
    }


def token(number: int) -> str:
    return f"fault-{number:03d}"


async def test_database_refusing_and_dropping_connections_answers_503_and_loses_nothing(
    client, hooks, proxied: Proxy
):
    cycle = await open_cycle(hooks)
    url = f"/api/v1/public/cycles/{cycle['public_token']}/responses"
    answers: collections.Counter[int] = collections.Counter()
    refused: list[int] = []

    async def submit(number: int) -> None:
        answer = await client.post(url, json=body(number))
        answers[answer.status_code] += 1
        if answer.status_code == 503:
            assert int(answer.headers["retry-after"]) > 0
            refused.append(number)
        else:
            assert answer.status_code == 201, answer.text

    for number in range(5):
        await submit(number)
    proxied.refuse()
    for number in range(5, 10):
        await submit(number)
    page = await client.get(f"/s/{cycle['public_token']}")
    assert page.status_code == 503 and "Basis data" in page.text
    health = await client.get("/healthz")
    assert health.status_code == 503 and health.json()["database"].startswith("error")

    proxied.accept()
    stop = threading.Event()
    chaos = threading.Thread(target=proxied.cut_every, args=(0.004, stop), daemon=True)
    chaos.start()
    try:
        for number in range(10, 20):  # connections cut while these are being answered
            await submit(number)
    finally:
        stop.set()
        chaos.join()
    for number in range(20, 25):
        await submit(number)

    print(f"answers while the database failed: {dict(answers)}")
    assert set(answers) <= {201, 503} and answers[503] >= 5
    stored = {r["submission_token"] for r in await Response.select(Response.submission_token)}
    created = {token(n) for n in range(25) if n not in refused}
    cut_off = {token(n) for n in refused if n >= 10}
    # every 201 is stored; a 503 stored nothing, unless its cut came after the commit (then the
    # response is whole, and the client's retry with the same submission token finds it)
    assert created <= stored <= created | cut_off, "a 201 lost its response, or a 503 kept one"

    for number in list(refused):  # the client retries what it was told to retry
        refused.remove(number)
        await submit(number)
    assert refused == []
    assert await Response.count() == 25  # each once: a retried response is not stored twice
