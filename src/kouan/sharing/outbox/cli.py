"""`kouan relay`: deliver the outbox to agencies' webhooks or Kafka, list the dead letters, send one again by hand. The
commands are assembled by :mod:`kouan.cli`, which gives them what moves delivered referrals on (sharing knows none)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import typer

from kouan.clitools import fail, print_json
from kouan.db import unit_of_work
from kouan.settings import get_settings
from kouan.sharing.outbox import relay, service
from kouan.sharing.outbox.models import OutboxRead


def relay_app(*, on_delivered: relay.Sweep) -> typer.Typer:
    """The `relay` commands, with ``run`` handing each round's deliveries to ``on_delivered``."""
    app = typer.Typer(no_args_is_help=True, help="Deliver the outbox to agencies' webhooks or Kafka (KOUAN_DELIVERY).")
    app.command(name="run")(_run_command(on_delivered))
    app.command()(dead)
    app.command()(resend)
    return app


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _run_command(on_delivered: relay.Sweep) -> Callable[..., None]:
    def run(
        once: bool = typer.Option(False, "--once", help="One claim → send → record round, then stop."),
        until_empty: bool = typer.Option(False, "--until-empty", help="Stop when no event is pending (due or not)."),
        batch: int = typer.Option(200, "--batch", min=1, max=5000, help="Events claimed per round."),
        concurrency: int = typer.Option(32, "--concurrency", min=1, max=1000, help="Requests in flight at once."),
        owner: str = typer.Option("", "--owner", help="Name on the leases (default: host:pid)."),
        poll: float = typer.Option(1.0, "--poll", min=0.01, help="Seconds to wait when nothing is due."),
        sweep: int = typer.Option(500, "--sweep", min=0, help="Delivered referrals moved to sent per busy round."),
    ) -> None:
        """Send pending events as signed webhooks, or to Kafka topics with KOUAN_DELIVERY=kafka (at least once;
        receivers deduplicate on webhook-id, consumers on the message key)."""
        report = relay.run(
            url=get_settings().database_url,
            owner=owner or default_owner(),
            on_delivered=on_delivered,
            once=once,
            until_empty=until_empty,
            batch=batch,
            concurrency=concurrency,
            poll_seconds=poll,
            sweep=sweep,
        )
        print_json({"batches": report.batches, **report.verdicts, "seconds": round(report.seconds, 3)})

    return run


def dead(limit: int = typer.Option(100, "--limit", min=1, max=10000)) -> None:
    """List dead events (retries exhausted or refused by the agency) as JSON."""
    with unit_of_work(get_settings().database_url) as session:
        events = service.list_events(session=session, status=service.DEAD, limit=limit)
        print_json([OutboxRead.model_validate(event).model_dump(mode="json") for event in events])


def resend(event_id: str = typer.Argument(..., help="The event's id (evt_…).")) -> None:
    """Put a dead event back in the queue, due now, attempts reset; audited."""
    with unit_of_work(get_settings().database_url) as session:
        event = service.get_event(session=session, event_id=event_id)
        if event is None:
            fail(f"no outbox event {event_id!r}")
        try:
            service.resend(session=session, event=event, actor=f"cli:{os.environ.get('USER', 'operator')}")
        except service.NotDead as error:
            fail(str(error))
        print_json(OutboxRead.model_validate(event).model_dump(mode="json"))
