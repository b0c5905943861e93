"""The lists over HTTP: import a file as a new version (administrators); lists, versions and differences (analysts
and administrators: an officer meets a list through its hits, not by browsing it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status

from kouan.api.body import read_text_body, text_body
from kouan.api.deps import Admin, Analysing, SessionDep
from kouan.db import utcnow
from kouan.watchlist.entries import read_entries
from kouan.watchlist.models import ChangesRead, ListKind, ListRead, VersionRead
from kouan.watchlist.service import Source, changes, import_list, lists, versions

router = APIRouter(prefix="/api/watchlists", tags=["watchlists"])
LIST_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
IMPORT_BODY = text_body("The list as CSV, a JSON array of entries, or FollowTheMoney entities (one per line).")


@router.get("", response_model=list[ListRead])
def get_lists(
    *, on: date | None = Query(None, description="Count entries in force on this day (today)."), session: SessionDep,
    user: Analysing,
) -> list[ListRead]:  # fmt: skip
    return lists(session=session, on=on or utcnow().date())


ListName = Annotated[str, Path(pattern=LIST_NAME, description="The list's name, e.g. NIA-EXIT-BANS.")]


@router.post("/{name}/versions", response_model=VersionRead, status_code=status.HTTP_201_CREATED,
             openapi_extra=IMPORT_BODY)  # fmt: skip
def post_version(
    *,
    name: ListName,
    kind: ListKind = Query(..., description="exit_ban, entry_ban, wanted or lost_or_stolen_document."),
    form: Literal["csv", "json", "ftm"] = Query("csv", description="How the body is written."),
    source: str = Query("upload", max_length=200, description="The file's name, kept with the version."),
    text: str = Depends(read_text_body),
    session: SessionDep,
    user: Admin,
) -> VersionRead:
    """The file as the list's next version (the list is created by its first import); all or nothing: a bad
    row is 422 naming it and nothing of the file is kept."""
    read = read_entries(text, form=form)
    return import_list(session=session, name=name, kind=kind, read=read,
                       source=Source(name=source, form=form, actor=f"user:{user.username}"))  # fmt: skip


@router.get("/{name}/versions", response_model=list[VersionRead])
def get_versions(name: ListName, session: SessionDep, user: Analysing) -> list[VersionRead]:
    return versions(session=session, name=name)


@router.get("/{name}/versions/{version}/changes", response_model=ChangesRead)
def get_changes(
    name: ListName, version: int = Path(..., ge=1, le=1_000_000), *, session: SessionDep, user: Analysing
) -> ChangesRead:
    """What the version added, removed and changed, each entry before and after."""
    return changes(session=session, name=name, version=version)
