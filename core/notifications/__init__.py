"""Notifications: who is told what, through which channel, and the record of every send.

``notify`` (fanout.py; queued by the forum rules with the change that caused it) decides the
recipients (recipients.py), renders each message once and writes one Delivery row per recipient
and channel, each with its own ``deliver`` job, in the job's transaction. ``deliver``
(delivery.py) sends one row through its channel; when the channel raises, the job's transaction is
rolled back and ``delivery_failed`` records the attempt, so the worker's retry with backoff can try
again while the log (delivery_log.py) shows what happened. jobs.py binds both to the worker;
inbox.py is the in-app channel's store, preferences.py each user's channel choices.
"""
