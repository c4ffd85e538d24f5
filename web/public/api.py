"""The public JSON API of an open survey: its questionnaire and submitting answers (no log-in)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.surveys.public import SurveyLinks
from core.surveys.schemas import PublicSurvey, ResponseIn, ResponseOut
from core.surveys.submission import submit_public


@get("/api/v1/public/cycles/{token:str}", tags=["public"], operation_id="getPublicSurvey")
async def public_survey(request: Request, token: FromPath[str]) -> PublicSurvey:
    """The questionnaire and services of an open survey (no log-in)."""
    return (await links(request).get(token)).survey


@post(
    "/api/v1/public/cycles/{token:str}/responses",
    status_code=HTTP_201_CREATED,
    tags=["public"],
    operation_id="submitResponse",
)
async def public_submit(
    request: Request, token: FromPath[str], data: JSONBody[ResponseIn]
) -> ResponseOut:
    """Submit one questionnaire (no log-in): 201, or 422 with an error per field."""
    cache = links(request)
    survey = await cache.get(token)
    source = request.client.host if request.client else "unknown"
    return await submit_public(request.app.state.settings, survey, data, source, cache)


def links(request: Request) -> SurveyLinks:
    """The app's cache of open surveys by link."""
    return request.app.state.survey_links


ROUTES = [public_survey, public_submit]
