"""The forum operations pages, the API, the demo and the worker call, gathered in one place.

The rules live in the modules named for what they do: ``planning`` (create, change),
``lifecycle`` (the state machine: schedule, hold, cancel), ``invitations`` (invite, answer,
reminders), ``attendance`` (check-in), ``minutes`` (agreements, notulen, publishing) and
``reads`` (what pages show).
"""

from core.forums.attendance import check_in, check_in_walk_in
from core.forums.invitations import (
    answer_invitation,
    invite,
    list_invitations,
    queue_due_reminders,
    reminder_windows,
)
from core.forums.lifecycle import FORUM_STATES, cancel_forum, hold_forum, schedule_forum
from core.forums.minutes import add_agreement, list_agreements, publish_minutes, save_minutes
from core.forums.planning import create_forum, update_forum
from core.forums.reads import forum_out, forum_warnings, get_forum, list_forums

__all__ = [
    "FORUM_STATES",
    "add_agreement",
    "answer_invitation",
    "cancel_forum",
    "check_in",
    "check_in_walk_in",
    "create_forum",
    "forum_out",
    "forum_warnings",
    "get_forum",
    "hold_forum",
    "invite",
    "list_agreements",
    "list_forums",
    "list_invitations",
    "publish_minutes",
    "queue_due_reminders",
    "reminder_windows",
    "save_minutes",
    "schedule_forum",
    "update_forum",
]
