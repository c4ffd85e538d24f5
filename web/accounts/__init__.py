"""Accounts: signing in and out, the language switch, users and passwords."""
