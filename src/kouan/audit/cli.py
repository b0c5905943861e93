"""`kouan audit verify` and `kouan audit checkpoint`: the tamper-evident chain from a terminal."""

from __future__ import annotations

import typer

from kouan.audit.keys import MissingKey, audit_key
from kouan.audit.service import configured_checkpoint, take_checkpoint, verify_chain
from kouan.clitools import fail, print_json
from kouan.db import unit_of_work
from kouan.migrate import ensure_schema

audit_app = typer.Typer(help="The tamper-evident audit chain.", no_args_is_help=True)


@audit_app.command("verify")
def verify() -> None:
    """Check the keyed hash chain against its head and the latest checkpoint; exits 1 and names the first broken
    event (or the head, the checkpoint, the key) when any stored event was changed or removed."""
    ensure_schema()
    with unit_of_work() as session:
        broken = verify_chain(session=session)
    if broken is not None:
        fail(f"audit chain broken at {broken.where}: {broken.problem}", code=1)
    print_json({"intact": True, "checkpoint": _checkpoint_summary()})


def _checkpoint_summary() -> dict[str, object] | None:
    try:
        checkpoint = configured_checkpoint(key=audit_key(create=False))
    except MissingKey:
        return None  # an empty chain that never had a key: nothing to vouch for
    return checkpoint.summary() if checkpoint else None


@audit_app.command("checkpoint")
def checkpoint() -> None:
    """Verify the chain, then write a signed checkpoint of it (count, last event, its hash, time) to the checkpoint
    file (KOUAN_AUDIT_CHECKPOINT_FILE); exits 1 without writing when the chain is broken. Run it regularly and keep
    the file, or copies, where the database's writers cannot reach."""
    ensure_schema()
    with unit_of_work() as session:
        saved, broken = take_checkpoint(session=session)
    if broken is not None:
        fail(f"no checkpoint written: audit chain broken at {broken.where}: {broken.problem}", code=1)
    print_json(saved)
