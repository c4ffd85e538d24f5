"""The public JSON API of an open survey: its questionnaire and submitting answers (no log-in)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.surveys import responses
from core.surveys.public import open_survey
from core.surveys.schemas import PublicSurvey, ResponseIn, ResponseOut


@get("/api/v1/public/cycles/{token:str}", tags=["public"], operation_id="getPublicSurvey")
async def public_survey(token: FromPath[str]) -> PublicSurvey:
    """The questionnaire and services of an open survey (no log-in)."""
    return (await open_survey(token)).survey


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
    survey = await open_survey(token)
    source = request.client.host if request.client else "unknown"
    return await responses.submit_public(
        request.app.state.settings, survey.cycle, survey.questions, survey.channel, data, source
    )


ROUTES = [public_survey, public_submit]
