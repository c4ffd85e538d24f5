"""Piccolo tables for the delivery log, the in-app inbox and users' channel choices."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from core.accounts.tables import User


class Delivery(Table, tablename="notification_delivery"):
    """One message to one recipient through one channel; retried by the worker until sent."""

    event = Varchar(length=60, index=True)
    channel = Varchar(length=30, index=True)
    recipient = Varchar(length=250)
    subject = Varchar(length=250)
    body = Text()
    data = JSON(default="{}")
    status = Varchar(length=12, index=True)
    attempts = Integer(default=0)
    error = Text(default="")
    created_at = Timestamptz(index=True)
    sent_at = Timestamptz(null=True, default=None)


class InboxMessage(Table, tablename="inbox_message"):
    """An in-app message for a user."""

    user = ForeignKey(User, null=False, index=True)
    subject = Varchar(length=250)
    body = Text()
    link = Varchar(length=500, default="")
    read = Boolean(default=False)
    created_at = Timestamptz(index=True)


class ChannelChoice(Table, tablename="notification_channel_choice"):
    """A channel a user turned off (all channels are on by default)."""

    user = ForeignKey(User, null=False, index=True)
    channel = Varchar(length=30)
    enabled = Boolean(default=True)
