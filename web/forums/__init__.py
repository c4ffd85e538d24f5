"""The forums room: staff pages (calendar, form, working page, check-in, papers), the stakeholder
registry, the public pages and iCal feeds, and the JSON API."""

from web.forums import (
    api,
    calendar,
    checkin,
    documents,
    feeds,
    form,
    public,
    staff,
    stakeholders,
)

PAGE_ROUTES = [
    *stakeholders.ROUTES,
    *feeds.ROUTES,
    *public.ROUTES,
    *calendar.ROUTES,
    *form.ROUTES,
    *staff.ROUTES,
    *checkin.ROUTES,
    *documents.ROUTES,
]
"""HTML pages and feeds (left out of the API schema)."""
API_ROUTES = api.ROUTES
"""/api/v1 stakeholders, forums and public invitation answers."""
