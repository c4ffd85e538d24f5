"""The inspection room: findings pages, integrity signals, the compliance matrix, and the API."""

from web.inspection import api, compliance, findings, pack, signals

PAGE_ROUTES = [*findings.ROUTES, *signals.ROUTES, *compliance.PAGE_ROUTES, *pack.ROUTES]
"""HTML pages (left out of the API schema)."""
API_ROUTES = [*api.ROUTES, *compliance.API_ROUTES]
"""/api/v1 findings, cycle signals and the compliance matrix."""
