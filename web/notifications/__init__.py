"""Notifications for staff: inbox, channel preferences, delivery log."""
