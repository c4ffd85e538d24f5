"""The plans room: the RTL pages (editor, printable table, regency overview, public page) and
the JSON API."""

from web.plans import api, pages

PAGE_ROUTES = pages.ROUTES
"""HTML pages (left out of the API schema)."""
API_ROUTES = api.ROUTES
"""/api/v1 cycles' plans, plan items and units' follow-up figures."""
