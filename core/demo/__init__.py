"""Demo data: the fictional "Kabupaten Contoh" with units, services, one user per role, two years
of SKM surveys and a few forums, all through the real service functions."""

from core.demo.regency import DEMO_LOGINS, UNITS, DemoLogin, is_empty, local_today, seed_demo
from core.demo.surveys import SurveySummary, survey_summary

__all__ = [
    "DEMO_LOGINS",
    "UNITS",
    "DemoLogin",
    "SurveySummary",
    "is_empty",
    "local_today",
    "seed_demo",
    "survey_summary",
]
