"""Creating users and resolving a bearer token to a user."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.users.models import Role, User


class UserExists(errors.Conflict, ValueError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(*, session: Session, username: str, role: Role, token_bytes: int = 32) -> tuple[User, str]:
    """Returns the user and its token; only the token's digest is stored, so show it once."""
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise UserExists(f"user {username!r} already exists")
    token = secrets.token_urlsafe(token_bytes)
    user = User(username=username, role=role.value, token_sha256=_digest(token))
    session.add(user)
    session.flush()
    return user, token


USER_BY_DIGEST = select(*User.__table__.c).where(User.token_sha256 == bindparam("digest"))  # every request


def user_for_token(*, session: Session, token: str) -> User | None:
    """The token's user, read on every request: built from one Core row, so it is not attached to the session
    (use ``session.get(User, user.id)`` to change it)."""
    row = session.connection().execute(USER_BY_DIGEST, {"digest": _digest(token)}).first()
    return User(**row._mapping) if row else None


def issue_token(*, session: Session, username: str, role: Role, token_bytes: int = 32) -> str:
    """A new token for the user, created when missing; the old token stops working."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return create_user(session=session, username=username, role=role, token_bytes=token_bytes)[1]
    token = secrets.token_urlsafe(token_bytes)
    user.token_sha256 = _digest(token)
    session.flush()
    return token
