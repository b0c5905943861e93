"""Authentication for the API and console: a bearer token (or the console's cookie) names a user with a role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from kouan.db import read_only, unit_of_work
from kouan.users.models import Role, User
from kouan.users.service import user_for_token

COOKIE = "kouan_token"
bearer = HTTPBearer(auto_error=False, description="A token made by `kouan users create`.")


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the endpoint returns, rolled back when it raises."""
    with unit_of_work(request.app.state.database_url) as session:
        yield session


def current_user(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> User:
    """The token's user, read in a short transaction of its own: the request's own transaction (``db_session``)
    then starts at its first query, not at sign-in."""
    token = credentials.credentials if credentials else request.cookies.get(COOKIE)
    user = _user(url=request.app.state.database_url, token=token) if token else None
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def _user(*, url: str, token: str) -> User | None:
    with read_only(url) as session:
        return user_for_token(session=session, token=token)


def require(*roles: Role) -> Callable[[User], Awaitable[User]]:
    allowed = {role.value for role in roles}

    async def check(user: User = Depends(current_user)) -> User:  # async: no I/O, so no hop to a worker thread
        if user.role not in allowed:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=f"role {user.role} may not do this")
        return user

    return check
