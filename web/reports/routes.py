"""Every route of the reports area, for web/app.py."""

from web.reports import api

ROUTES = [*api.ROUTES]
