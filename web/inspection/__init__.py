"""The inspection room: findings pages, integrity signals, the compliance matrix, and the API."""

from web.inspection import api, findings, signals

PAGE_ROUTES = [*findings.ROUTES, *signals.ROUTES]
"""HTML pages (left out of the API schema)."""
API_ROUTES = api.ROUTES
"""/api/v1 findings, cycle signals and the compliance matrix."""
