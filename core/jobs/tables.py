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
    # Taken by a worker until then; a row not done when its lease ends is sent again.
    lease_until = Timestamptz(null=True, default=None)
    # The broker incarnation it was last sent to: a broker that restarted empty lost the message.
    broker_epoch = Varchar(length=64, default="")
