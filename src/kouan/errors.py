"""The kinds of refusal a domain can raise, each with the HTTP status an API answers it with. Domain exceptions
subclass one of these; the API registers one handler for all of them (``api.guards``) instead of a try/except in each
view. Pure: imports no database and no web framework."""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A request the domain refuses; ``status`` is the HTTP answer and ``detail`` its body."""

    status = 400

    @property
    def detail(self) -> Any:
        return str(self)


class NotFound(Refusal, LookupError):
    """No such record, or not one the caller may see (a row of another port answers the same)."""

    status = 404


class NotPermitted(Refusal):
    """The caller is signed in but may not do this."""

    status = 403


class Conflict(Refusal):
    """The record's state does not allow this now (an illegal move, a decision already taken, a duplicate)."""

    status = 409


class Gone(Refusal):
    """It existed, and its time is over."""

    status = 410


class Invalid(Refusal, ValueError):
    """A value the domain cannot use. With ``field`` the body names it: ``{"field", "message"}``."""

    status = 422
    field: str | None = None

    @property
    def detail(self) -> Any:
        return str(self) if self.field is None else {"field": self.field, "message": str(self)}


class FieldInvalid(Invalid):
    """An invalid value of one named field."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field
