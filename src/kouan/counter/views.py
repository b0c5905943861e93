"""The counter API: scan (MRZ, boarding pass or e-declaration code), record the temperature, decide.

These are the counter's hot path (benchmarks/counter_bench.py). Each endpoint runs its whole transaction in one
call and commits before the answer is serialised. With the usual session dependency FastAPI hops between threads to
open the session, to run the endpoint, to close the session and to serialise the answer; on SQLite the writer lock
would be held across those hops, and every scan behind it would wait."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kouan import errors
from kouan.api.deps import permitted, presented_token, signed_in
from kouan.api.params import RowId
from kouan.counter.models import CounterCheck
from kouan.counter.schemas import CounterView, DecisionIn, ScanIn, TemperatureIn
from kouan.counter.service import decide, record_temperature, scan_in, view
from kouan.db import WriterBusy, unit_of_work
from kouan.users.models import Role, User
from kouan.users.scoping import may_file_for, sees, working_port

router = APIRouter(prefix="/api/counter", tags=["counter"])
Token = Annotated[str, Depends(presented_token)]
T = TypeVar("T")


async def in_one_call(request: Request, token: str, work: Callable[[Session, User], T]) -> T:
    """Sign-in and ``work`` in one transaction, committed (or rolled back) before this returns. Only officers and
    administrators work the counter.

    On SQLite the transaction runs right here on the event loop when the writer lock is free: writes go one at a
    time anyway, and the hop to a worker thread and back (with the two threads taking turns at the GIL) cost more
    than the scan itself (figures in benchmarks/README.md, counter_bench.py). When another
    request holds the lock it waits on a worker thread, never on the event loop. PostgreSQL always uses the pool."""
    url = request.app.state.database_url

    def run(*, wait: bool = True) -> T:
        with unit_of_work(url, wait=wait) as session:
            return work(session, permitted(signed_in(session=session, token=token), Role.officer, Role.admin))

    if url.startswith("sqlite"):
        with suppress(WriterBusy):  # raised at the first statement, before anything was read or written
            return run(wait=False)
    return await run_in_threadpool(run)


def check_or_404(*, session: Session, user: User, check_id: int) -> CounterCheck:
    """The check, when it was made at one of the user's ports; 404 otherwise (another port's is not revealed)."""
    check = session.get(CounterCheck, check_id)
    if check is None or not sees(session=session, user=user, port=check.port):
        raise errors.NotFound(f"no counter check {check_id}")
    return check


@router.post("/scans", response_model=CounterView, status_code=201)
async def post_scan(body: ScanIn, request: Request, token: Token) -> CounterView:
    """A scan at the counter: who it is, what screening said, what the declaration says, what is flagged."""
    default = request.app.state.settings.port_of_entry

    def work(session: Session, user: User) -> CounterView:
        port = working_port(session=session, user=user, chosen=body.port, default=default)
        may_file_for(session=session, user=user, port=port)
        check = scan_in(session=session, scan=body, port=port, officer=f"user:{user.username}")
        return view(session=session, check=check)

    return await in_one_call(request, token, work)


@router.get("/checks/{check_id}", response_model=CounterView)
async def get_check(check_id: RowId, request: Request, token: Token) -> CounterView:
    return await in_one_call(
        request, token, lambda s, u: view(session=s, check=check_or_404(session=s, user=u, check_id=check_id))
    )


@router.post("/checks/{check_id}/temperature", response_model=CounterView)
async def post_temperature(check_id: RowId, body: TemperatureIn, request: Request, token: Token) -> CounterView:
    """The measured temperature and any symptoms seen: 37.3 °C or a symptom flags a referral to customs."""

    def work(session: Session, user: User) -> CounterView:
        check = check_or_404(session=session, user=user, check_id=check_id)
        record_temperature(session=session, check=check, body=body)
        return view(session=session, check=check)

    return await in_one_call(request, token, work)


@router.post("/checks/{check_id}/decision", response_model=CounterView)
async def post_decision(check_id: RowId, body: DecisionIn, request: Request, token: Token) -> CounterView:
    """Release, refer (to customs health quarantine: a referral in the loop), refuse entry, or divert; with a reason."""

    def work(session: Session, user: User) -> CounterView:
        check = check_or_404(session=session, user=user, check_id=check_id)
        decide(session=session, check=check, body=body, actor=f"user:{user.username}")
        return view(session=session, check=check)

    return await in_one_call(request, token, work)
