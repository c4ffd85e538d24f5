"""The plans room: the RTL JSON API (pages follow)."""

from web.plans import api

API_ROUTES = api.ROUTES
"""/api/v1 cycles' plans, plan items and units' follow-up figures."""
