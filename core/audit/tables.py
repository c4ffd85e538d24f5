"""Piccolo table for audit events."""

from piccolo.columns import JSON, BigInt, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    """Who did what to which record, with the state before and after; chained by hash."""

    at = Timestamptz()
    actor = Varchar(length=60)
    action = Varchar(length=60, index=True)
    entity = Varchar(length=40, index=True)
    entity_id = Varchar(length=60, index=True)
    unit_id = BigInt(null=True, default=None, index=True)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
    prev_hash = Varchar(length=64)
    hash = Varchar(length=64, unique=True)
