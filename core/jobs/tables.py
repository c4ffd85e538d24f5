"""Piccolo table for the outbox of background jobs."""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class OutboxJob(Table, tablename="outbox_job"):
    """A job written in the same transaction as the change it belongs to, relayed after commit."""

    kind = Varchar(length=60, index=True)
    payload = JSON()
    created_at = Timestamptz()
    relayed_at = Timestamptz(null=True, default=None, index=True)
    done_at = Timestamptz(null=True, default=None, index=True)
    attempts = Integer(default=0)
    last_error = Text(default="")
