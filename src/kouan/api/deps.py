"""Authentication for the API and console: a bearer token (or the console's cookie) names a user with a role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from kouan.db import read_only, unit_of_work
from kouan.users.models import ACTING, ANALYSING, READING, Role, User
from kouan.users.service import user_for_token

COOKIE = "kouan_token"
F = TypeVar("F", bound=Callable[..., Any])
bearer = HTTPBearer(auto_error=False, description="A token made by `kouan users create`.")


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the endpoint returns, rolled back when it raises; a read-only
    snapshot for a GET (unless its endpoint is marked ``writes_when_read``)."""
    url = request.app.state.database_url
    with read_only(url) if _reads_only(request) else unit_of_work(url) as session:
        yield session


def writes_when_read(endpoint: F) -> F:
    """Marks a GET endpoint that writes (an audited read, a feed that marks what it hands out): it gets the writing
    transaction. Every other GET reads in a snapshot that never waits for, nor holds up, SQLite's writer."""
    endpoint.__kouan_writes__ = True  # type: ignore[attr-defined]
    return endpoint


def _reads_only(request: Request) -> bool:
    endpoint = request.scope.get("endpoint")
    return request.method in ("GET", "HEAD") and not getattr(endpoint, "__kouan_writes__", False)


# Function scope: the commit happens when the endpoint returns, before the response is sent, so a 2xx is sent only
# for what is stored (FastAPI's default request scope would commit after the response has gone out).
request_transaction = Depends(db_session, scope="function")


async def presented_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> str:
    """The bearer token, else the console's cookie ("" when neither): read without touching the store."""
    return credentials.credentials if credentials else request.cookies.get(COOKIE, "")


def unauthorised(detail: str) -> HTTPException:
    """401 asking for a bearer token (staff's or an agency's)."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def signed_in(*, session: Session, token: str) -> User:
    user = user_for_token(session=session, token=token) if token else None
    if user is None:
        raise unauthorised("a valid bearer token is required")
    return user


def permitted(user: User, *roles: str) -> User:
    if user.role not in set(roles):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=f"role {user.role} may not do this")
    return user


def current_user(request: Request, token: str = Depends(presented_token)) -> User:
    """The token's user, read in a short transaction of its own: the request's own transaction (``db_session``)
    then starts at its first query, not at sign-in."""
    with read_only(request.app.state.database_url) as session:
        return signed_in(session=session, token=token)


def require(*roles: str) -> Callable[[User], Awaitable[User]]:
    async def check(user: User = Depends(current_user)) -> User:  # async: no I/O, so no hop to a worker thread
        return permitted(user, *roles)

    return check


# The one way an endpoint asks for its transaction and its caller, built from the role sets in users.models.
SessionDep = Annotated[Session, request_transaction]
Staff = Annotated[User, Depends(require(*READING))]  # any signed-in staff member: reads
Acting = Annotated[User, Depends(require(*ACTING))]  # officers and admins: refer, decide, trace, file
Analysing = Annotated[User, Depends(require(*ANALYSING))]  # analysts and admins: measures, lawful requests
Admin = Annotated[User, Depends(require(Role.admin))]
