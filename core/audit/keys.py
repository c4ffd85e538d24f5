"""The audit chain's key: derived from SECRET_KEY, which lives outside the database (the
environment or the ``secret_key`` file under the data directory), so someone who can only write
to the database cannot recompute a hash after changing an event."""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache

from core.settings import Settings


@lru_cache(maxsize=4)
def _derived(secret: str) -> bytes:
    return hashlib.sha256(f"audit-chain:{secret}".encode()).digest()


@lru_cache(maxsize=4)
def _secret_for(secret_env: str | None, data_dir_env: str | None) -> str:
    """The installation's secret, read once per (SECRET_KEY, SUARA_DATA_DIR) pair: the two
    arguments only key the cache, so a changed environment is read afresh."""
    return Settings.from_env().secret_key


def audit_key() -> bytes:
    """The 32-byte HMAC key of the chain and its checkpoints, from this installation's secret."""
    return _derived(_secret_for(os.environ.get("SECRET_KEY"), os.environ.get("SUARA_DATA_DIR")))


def sign(key: bytes, body: str) -> str:
    """HMAC-SHA-256 of ``body`` under ``key``, as 64 hex digits."""
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
