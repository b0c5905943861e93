"""Reading a raw carrier message from a request body, and turning a parser's error into a 4xx detail."""

from __future__ import annotations

from fastapi import HTTPException, Request

from kouan.formats.records import FormatError


async def read_text_body(request: Request) -> str:
    body = await request.body()
    if len(body) > request.app.state.settings.max_message_bytes:
        raise HTTPException(status_code=413, detail="the message is larger than this server accepts")
    if not body.strip():
        raise HTTPException(status_code=422, detail={"position": "body", "message": "the body is empty"})
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        return body.decode("latin-1") if _mostly_text(body) else _undecodable(error)


def _mostly_text(body: bytes) -> bool:
    return body.count(b"\x00") == 0


def _undecodable(error: UnicodeDecodeError) -> str:
    detail = {"position": f"byte {error.start}", "message": "the body is not text"}
    raise HTTPException(status_code=422, detail=detail)


def problem(error: Exception) -> dict[str, str]:
    if isinstance(error, FormatError):
        return {"position": error.position, "message": error.message}
    return {"position": "message", "message": str(error)}
