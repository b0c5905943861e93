"""The public query: ``GET /api/public/measures`` (JSON) and ``GET /public`` (a form that shows its answer below).

No login, rate-limited per client IP, nothing stored; the query string of these paths is kept out of the access log.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from kouan.api.deps import SessionDep
from kouan.measures.policies import VISA_TYPES
from kouan.public.i18n import Lang, gettext_for, negotiate
from kouan.public.ratelimit import RateLimiter
from kouan.public.service import InvalidQuery, PublicAnswer, parse_query, public_answer

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).parents[1] / "web" / "templates")
LIMITER = RateLimiter(capacity=30, per=60.0)
PUBLIC_PATHS = ("/public", "/api/public/")


class PublicParams(BaseModel):
    """Every field as typed (validated by ``parse_query``, so bad input is reported per field, never a 500)."""

    nationality: str = Field("", description="Nationality: ISO alpha-3 or alpha-2 country code (DEU, DE).")
    origin: str = Field("", description="IATA code of the airport flown from (FRA).")
    arrival: str = Field("", description="IATA code of the arrival airport in mainland China (PEK).")
    date: str = Field("", description="Arrival date YYYY-MM-DD, or an ISO datetime (naive = Beijing time).")
    visa_type: str = Field("", description=f"Chinese visa or entry scheme: {', '.join(sorted(VISA_TYPES))}.")
    visa_issued: str = Field("", description="Visa issue date YYYY-MM-DD.")
    residence_permit: str = Field("", description="Holds a Chinese residence permit: true/false.")
    final_destination: str = Field("", description="IATA airport or city code of the final destination (BJS).")
    lang: str = Field("", description="zh or en; otherwise from Accept-Language, default zh.")


class QueryStringFilter(logging.Filter):
    """Drops the query string of public paths from uvicorn's access log: what the public asks is not recorded."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and str(args[2]).startswith(PUBLIC_PATHS):
            record.args = (*args[:2], str(args[2]).split("?", 1)[0], *args[3:])
        return True


logging.getLogger("uvicorn.access").addFilter(QueryStringFilter())


def get_limiter() -> RateLimiter:
    """The process-wide limiter; tests override this dependency with a small one and a fake clock."""
    return LIMITER


def rate_limited(request: Request, limiter: RateLimiter = Depends(get_limiter)) -> None:
    wait = limiter.acquire(request.client.host if request.client else "unknown")
    if wait is not None:
        headers = {"Retry-After": str(max(1, math.ceil(wait)))}
        detail = gettext_for(language(request))("too many requests; try again later")
        raise HTTPException(status_code=429, detail=detail, headers=headers)


def language(request: Request) -> Lang:
    return negotiate(lang=request.query_params.get("lang"), accept_language=request.headers.get("accept-language"))


def _invalid(errors: dict[str, str], lang: Lang) -> JSONResponse:
    _ = gettext_for(lang)
    detail = [{"loc": ["query", name], "msg": _(message), "type": "value_error"} for name, message in errors.items()]
    return JSONResponse({"detail": detail}, status_code=422)


@router.get(
    "/api/public/measures",
    response_model=PublicAnswer,
    tags=["public"],
    dependencies=[Depends(rate_limited)],
    responses={422: {"description": "A field is missing or not valid; `loc` names it."}, 429: {}},
)
def public_measures(
    *,
    request: Request,
    params: Annotated[PublicParams, Query()],
    lang: Lang = Depends(language),
    session: SessionDep,
) -> Any:
    """What applies to a traveller arriving in mainland China: the decision, the rules, the origin's risk."""
    try:
        query = parse_query(params.model_dump())
    except InvalidQuery as invalid:
        return _invalid(invalid.errors, lang)
    return public_answer(session=session, query=query, lang=lang, classifier=_classifier(request))


def _classifier(request: Request) -> str:
    """The configured classifier (``KOUAN_CLASSIFIER``), as screening uses."""
    return str(request.app.state.settings.classifier)


def _page_context(request: Request, params: PublicParams, lang: Lang) -> dict[str, Any]:
    other = "en" if lang == "zh" else "zh"
    return {
        "_": gettext_for(lang),
        "lang": lang,
        "values": params.model_dump(),
        "errors": {},
        "answer": None,
        "visa_types": sorted(VISA_TYPES),
        "switch_url": str(request.url.include_query_params(lang=other)),
        "switch_label": "English" if other == "en" else "中文",
    }


def _submitted(params: PublicParams) -> bool:
    return any(value.strip() for name, value in params.model_dump().items() if name != "lang")


@router.get("/public", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(rate_limited)])
def public_page(
    *,
    request: Request,
    params: Annotated[PublicParams, Query()],
    lang: Lang = Depends(language),
    session: SessionDep,
) -> Response:
    context = _page_context(request, params, lang)
    if _submitted(params):
        try:
            query = parse_query(params.model_dump())
            context["answer"] = public_answer(session=session, query=query, lang=lang, classifier=_classifier(request))
        except InvalidQuery as invalid:
            context["errors"] = {name: context["_"](message) for name, message in invalid.errors.items()}
    status = 422 if context["errors"] else 200
    return templates.TemplateResponse(request, "public.html", context, status_code=status)
