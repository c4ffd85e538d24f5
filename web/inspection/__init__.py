"""The inspection room: findings, integrity signals, the compliance matrix with the unit's
self-assessment and audit pack, and their API."""

from web.inspection import (
    api,
    compliance,
    dossier,
    evaluation,
    evaluation_api,
    findings,
    pack,
    self_assessment,
    signals,
)

PAGE_ROUTES = [
    *findings.ROUTES,
    *signals.ROUTES,
    *compliance.PAGE_ROUTES,
    *pack.ROUTES,
    *self_assessment.PAGE_ROUTES,
    *evaluation.ROUTES,
    *dossier.ROUTES,
]
"""HTML pages (left out of the API schema)."""
API_ROUTES = [
    *api.ROUTES,
    *compliance.API_ROUTES,
    *self_assessment.API_ROUTES,
    *evaluation_api.ROUTES,
]
"""/api/v1 findings, cycle signals, the compliance matrix, self-assessments, evaluations."""
