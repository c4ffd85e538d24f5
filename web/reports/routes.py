"""Every route of the reports area, for web/app.py (pages are not part of the API schema)."""

from litestar import Router

from web.reports import api, pages, saran, saran_api

ROUTES = [
    Router(path="/", route_handlers=[*pages.ROUTES, *saran.ROUTES], include_in_schema=False),
    *api.ROUTES,
    *saran_api.ROUTES,
]
