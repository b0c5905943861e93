"""Reading a raw carrier message or a posted form from a request body."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData


def text_body(description: str) -> dict[str, Any]:
    """The OpenAPI of a raw text body read by ``read_text_body`` (which FastAPI cannot see as a parameter)."""
    content = {"text/plain": {"schema": {"type": "string", "description": description}}}
    return {"requestBody": {"required": True, "content": content}}


async def read_text_body(request: Request) -> str:
    """A dependency: the body as text, read on the event loop (the size limit is ``kouan.api.guards.BodyLimit``'s), so
    the endpoint itself can be a plain function run on a worker thread."""
    body = await request.body()
    if not body.strip():
        raise HTTPException(status_code=422, detail={"position": "body", "message": "the body is empty"})
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        return body.decode("latin-1") if _mostly_text(body) else _undecodable(error)


async def posted_form(request: Request) -> FormData:
    """A dependency: the posted form, read on the event loop, so the endpoint can run on a worker thread."""
    return await request.form()


def _mostly_text(body: bytes) -> bool:
    return body.count(b"\x00") == 0


def _undecodable(error: UnicodeDecodeError) -> str:
    detail = {"position": f"byte {error.start}", "message": "the body is not text"}
    raise HTTPException(status_code=422, detail=detail)
