"""Counting the SQL statements and transactions a piece of work sends (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from core.db import engine


@dataclass
class StatementLog:
    """The statements sent, each with the outermost transaction it ran in (None: on its own)."""

    statements: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def transactions(self) -> int:
        """Explicit transactions, plus one per statement sent outside any (autocommit)."""
        explicit = {tx for _, tx in self.statements if tx is not None}
        return len(explicit) + sum(1 for _, tx in self.statements if tx is None)

    @property
    def sql(self) -> list[str]:
        """The statements' text, in order."""
        return [text for text, _ in self.statements]


@contextmanager
def counting_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[StatementLog]:
    """Within the block, record every statement the Piccolo engine runs (queries and raw SQL)."""
    db = engine()
    log = StatementLog()

    def outermost() -> int | None:
        tx = db.current_transaction.get()
        while tx is not None and getattr(tx, "_parent", None) is not None:
            tx = tx._parent
        return id(tx) if tx is not None else None

    def recording(name: str) -> Any:
        real = getattr(type(db), name)

        async def recorded(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            if self is db:
                log.statements.append((str(query), outermost()))
            return await real(self, query, *args, **kwargs)

        return recorded

    with monkeypatch.context() as patch:  # the engine has slots: patch its class
        for name in ("run_querystring", "run_ddl"):
            patch.setattr(type(db), name, recording(name))
        yield log
