"""Notifications: who is told what, through which channel, and the record of every send."""
