"""HTTP plumbing shared by every router: body size limits checked before a body is read (and before anyone is
signed in), and one mapping of store, overflow and domain errors to clear 4xx/503 answers instead of a 500."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from kouan.db import WriterBusy
from kouan.errors import Refusal
from kouan.settings import Settings

MESSAGE_PATHS = frozenset({"/api/voyages/paxlst", "/api/pnrgov"})  # raw carrier messages


@dataclass(frozen=True)
class BodyLimits:
    """The largest body accepted per kind of request, in bytes."""

    message: int
    upload: int
    other: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BodyLimits:
        return cls(message=settings.max_message_bytes, upload=settings.max_upload_bytes, other=settings.max_body_bytes)

    def for_request(self, scope: Scope) -> int:
        if scope["path"] in MESSAGE_PATHS:
            return self.message
        return self.upload if _content_type(scope).startswith("multipart/") else self.other


def _content_type(scope: Scope) -> str:
    return dict(scope.get("headers") or []).get(b"content-type", b"").decode("latin-1").lower()


def _declared_length(scope: Scope) -> int | None:
    value = dict(scope.get("headers") or []).get(b"content-length")
    return int(value) if value is not None and value.isdigit() and len(value) < 19 else None


def too_large(limit: int) -> HTTPException:
    return HTTPException(status_code=413, detail=f"the body is larger than this server accepts here ({limit} bytes)")


class BodyLimit:
    """Refuses a body over its limit with 413: at once when Content-Length says so, else as soon as the bytes
    streamed in pass it (the reader gets a 413 HTTPException, answered by the app's exception handling)."""

    def __init__(self, app: Any, *, limits: BodyLimits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_request(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit=limit)
            return
        await self.app(scope, _counting(receive, limit=limit), send)


def _counting(receive: Receive, *, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise too_large(limit)
        return message

    return counted


async def _refuse(send: Send, *, limit: int) -> None:
    response = JSONResponse({"detail": too_large(limit).detail}, status_code=413, headers={"Connection": "close"})
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make a browser send "Origin: null"
]  # fmt: skip
NO_STORE = (b"cache-control", b"no-store")  # personal data: never kept by a browser's or a proxy's cache


class BrowserGuard:
    """Headers that keep pages out of frames, caches and content sniffing, and a CSRF check: a request that changes
    something, sent by a browser from another origin (its ``Origin`` differs from ``Host``), is refused with 403.
    API clients that send a bearer token are not browsers riding a cookie and are not checked."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _cross_origin(scope):
            await _forbidden(send)
            return
        await self.app(scope, receive, _with_headers(send, static=scope["path"].startswith("/static/")))


def _cross_origin(scope: Scope) -> bool:
    """A change from another site riding the console's cookie (or signing in to it). Public forms carry no cookie
    and no authority, and their pages send no referrer (so no Origin either): they are not checked."""
    headers = dict(scope.get("headers") or [])
    origin = headers.get(b"origin")
    if scope["method"] not in UNSAFE or origin is None or b"authorization" in headers:
        return False
    console = b"kouan_token=" in headers.get(b"cookie", b"") or scope["path"] == "/login"
    return console and origin.split(b"://", 1)[-1] != headers.get(b"host", b"")


async def _forbidden(send: Send) -> None:
    response = JSONResponse({"detail": "a change sent from another site is refused"}, status_code=403)
    await response({"type": "http"}, _no_body, send)


def _with_headers(send: Send, *, static: bool) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            cached = static or any(name.lower() == b"cache-control" for name, _ in headers)
            message["headers"] = [*headers, *SECURITY_HEADERS, *([] if cached else [NO_STORE])]
        await send(message)

    return sending


def _busy(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": "the store is busy; try again"}, status_code=503, headers={"Retry-After": "2"})


def _conflict(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": "this conflicts with a record already stored"}, status_code=409)


def _refused(request: Request, error: Exception) -> JSONResponse:
    """A domain's refusal (``kouan.errors``): its status and its detail."""
    assert isinstance(error, Refusal)
    return JSONResponse({"detail": error.detail}, status_code=error.status)


def _validation(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 without the ``input`` it would echo: a body may be large, and holds personal data."""
    assert isinstance(error, RequestValidationError)
    details = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in error.errors()]
    return JSONResponse({"detail": details}, status_code=422)


PROBLEM = {  # a parser's error: where in the message, and what
    "type": "object",
    "properties": {"position": {"type": "string"}, "message": {"type": "string"}},
    "required": ["position", "message"],
}
FIELD_PROBLEM = {  # a value the domain refused: which field, and why
    "type": "object",
    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
    "required": ["field", "message"],
}


def _declared_422(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The schema as FastAPI makes it, with the 422 body every endpoint may answer: a list of field errors
    (FastAPI's validation), a parser's problem ({position, message}), a refused value ({field, message}) or a
    plain sentence."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            items = {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}
            detail = {"title": "Detail", "anyOf": [items, PROBLEM, FIELD_PROBLEM, {"type": "string"}]}
            make()["components"]["schemas"]["HTTPValidationError"]["properties"]["detail"] = detail
        return app.openapi_schema  # type: ignore[return-value]  # make() stored it

    return openapi


def install(app: FastAPI, *, settings: Settings) -> None:
    """Body limits outermost (before sign-in and parsing), and the error mapping."""
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(WriterBusy, _busy)
    app.add_exception_handler(TimeoutError, _busy)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Refusal, _refused)
    app.add_middleware(BodyLimit, limits=BodyLimits.from_settings(settings))
    app.add_middleware(BrowserGuard)
    app.openapi = _declared_422(app)  # type: ignore[method-assign]
