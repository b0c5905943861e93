"""`kouan demo`: the whole flow on a night of real-looking arrivals; `kouan serve`: the API and console."""

from __future__ import annotations

import gc
import socket
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Select, select

from kouan.clitools import err, fail, parse_day
from kouan.db import unit_of_work
from kouan.demo.counter import documents_of
from kouan.demo.evening import departures_evening
from kouan.demo.loop import DemoLoop, keep_relaying, run_demo_loop, states
from kouan.intake.cli import csv_rows, ingest_files, json_rows, validated
from kouan.intake.flows import file_crossings, file_declarations
from kouan.measures.cli import BUNDLED_JHU, import_jhu_file
from kouan.measures.designations import add_zone, zones
from kouan.measures.models import ArrivalZoneCreate
from kouan.measures.service import has_risk_data
from kouan.migrate import ensure_schema
from kouan.referrals.lifecycle import label
from kouan.screening.read import voyage_read
from kouan.serving import CannotServe, check_free, listen_socket, proxy_options
from kouan.settings import get_settings
from kouan.travel.journey.schemas import CrossingCreate, DeclarationCreate
from kouan.travel.registry.models import Traveller, Voyage, VoyageVersion
from kouan.travel.registry.queries import get_voyage, port_zone
from kouan.users.models import Role
from kouan.users.service import issue_token

out = Console()


def demo(
    night: str = typer.Option("2020-03-15", help="The night to generate (arrivals from noon to noon)."),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Serve the API and console afterwards."),
) -> None:
    """Migrate, load risk data, generate the demo night (PAXLST manifests, PNRGOV bookings, our exit records,
    declarations), file and screen it, then serve."""
    from kouan.demo.journeys import write_journeys
    from kouan.demo.night import generate_night, write_night

    api = _api_socket(serve_after=serve_after)  # first: a taken port stops the demo before its work, not after
    ensure_schema()
    with unit_of_work() as session:
        loaded = has_risk_data(session=session)
    if not loaded:
        err.print(f"loading JHU CSSE risk figures from {BUNDLED_JHU.name}")
        import_jhu_file(BUNDLED_JHU)
    day = parse_day(night) or date(2020, 3, 15)
    folder = Path(get_settings().data_dir) / "demo" / day.isoformat()
    messages = generate_night(night=day)
    paths = write_night(directory=folder, messages=messages)
    pushes, crossings, declarations, journeys = write_journeys(directory=folder, messages=messages)
    err.print(f"wrote {len(paths)} PAXLST and {len(pushes)} PNRGOV messages, exit records and declarations to {folder}")
    _organisation()  # first: each manifest is filed at its own port (PEK, PVG or CAN), which the units name
    file_records(crossings=crossings, declarations=declarations)
    _demo_zone()
    tally = ingest_files(paths + pushes)
    _aircraft(voyage_ids=sorted(tally.voyage_ids))
    summary_table(voyage_ids=sorted(tally.voyage_ids))
    _history()
    _show_featured(journeys.featured)
    settings = get_settings()
    try:
        loop, made, server = run_demo_loop(
            url=settings.database_url, host=settings.host, api=api, port=settings.port_of_entry
        )
    except CannotServe as error:
        fail(str(error), code=1)
    loop_table(loop=loop, made=made)
    harbour(url=settings.database_url, folder=folder / "vessels")
    departures_evening(night=day, folder=folder / "departures", out=out)
    token = _demo_token()
    out.print(f"\nconsole: http://{settings.host}:{settings.port}/login   token: [bold]{token}[/bold]")
    out.print(f"open loops, overdue first: http://{settings.host}:{settings.port}/console/referrals")
    if serve_after:
        keep_relaying(url=settings.database_url)
        _serve_until_interrupted(server)
    server.should_exit = True


def _api_socket(*, serve_after: bool) -> socket.socket:
    """The configured port when the demo serves afterwards; any free port when its API is only for the loopback
    agencies."""
    settings = get_settings()
    try:
        return listen_socket(host=settings.host, port=settings.port if serve_after else 0)
    except CannotServe as error:
        fail(str(error), code=1)


def harbour(*, url: str, folder: Path) -> None:
    """The seaport's week: ship calls at Ma'anshan screened before arrival and warned to its agencies."""
    from kouan.demo.harbour import file_week, harbour_table

    call_ids = file_week(url=url, folder=folder)
    harbour_table(url=url, call_ids=call_ids, out=out)
    out.print(f"their declarations and crew lists: {folder} (try `kouan screen-vessel --mdh FILE --crew FILE`)")


def loop_table(*, loop: DemoLoop, made: int) -> None:
    """What the demo agencies did with the night's referrals."""
    table = Table(title=f"Referrals / 推送闭环: {made} made, by state")
    table.add_column("state")
    table.add_column("referrals", justify="right")
    for state, count in sorted(states(url=get_settings().database_url).items()):
        table.add_row(label(state), str(count))
    out.print(table)
    acks = ", ".join(f"{code} {n}" for code, n in sorted(loop.acknowledged.items()))
    out.print(f"acknowledged over the agency API: {acks or 'none'}")


def _aircraft(*, voyage_ids: list[int]) -> None:
    """The schedule's aircraft type on each demo voyage: contact tracing draws the seat layout from it."""
    from kouan.demo.schedule import flights
    from kouan.travel.registry.history import flight_number

    types = {(f.carrier, flight_number(carrier=f.carrier, number=f.number)): f.aircraft for f in flights()}
    with unit_of_work() as session:
        for voyage_id in voyage_ids:
            voyage = get_voyage(session=session, voyage_id=voyage_id)
            if voyage is not None:
                key = (voyage.carrier, flight_number(carrier=voyage.carrier, number=voyage.number))
                voyage.aircraft = types.get(key, voyage.aircraft)


def _serve_until_interrupted(server: object) -> None:
    import time

    try:
        while not getattr(server, "should_exit", True):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass


def summary_table(*, voyage_ids: list[int]) -> None:
    table = Table(title="Arrivals screened / 入境航班研判")
    zone = port_zone(get_settings().port_of_entry)
    for heading in ("flight", "from", "at", f"arrives ({zone.key})", "on board", "high", "medium", "unknown"):
        table.add_column(heading)
    with unit_of_work() as session:
        voyages = [get_voyage(session=session, voyage_id=i) for i in voyage_ids]
        reads = [voyage_read(session=session, voyage=v) for v in voyages if v is not None]
    for v in sorted(reads, key=lambda r: (r.destination or "", r.scheduled_arrival is None, r.scheduled_arrival)):
        arrives = v.scheduled_arrival.astimezone(zone).strftime("%m-%d %H:%M") if v.scheduled_arrival else "?"
        route = " → ".join(leg.origin or "?" for leg in v.legs)
        levels = [str(v.level_counts.get(level, 0)) for level in ("high", "medium", "unknown")]
        table.add_row(f"{v.carrier}{v.number}", route, v.destination or "?", arrives, str(v.traveller_count), *levels)
    out.print(table)


def file_records(*, crossings: Path, declarations: Path) -> None:
    """Our exit records first (they predate the night), then the declarations filed for its flights."""
    with unit_of_work() as session:
        file_crossings(session=session, crossings=validated(rows=csv_rows(crossings), model=CrossingCreate)[0])
        rows = validated(rows=json_rows(declarations), model=DeclarationCreate)[0]
        file_declarations(session=session, declarations=rows, settings=get_settings())


def _history() -> None:
    """The night has arrived (it is 2020's): its screened crossings join the crossing history."""
    from kouan.db import utcnow
    from kouan.history.sync import sync_history

    settings = get_settings()
    root = settings.crossing_history_path()
    done = sync_history(url=settings.database_url, root=root, until=utcnow(), port=settings.port_of_entry)
    out.print(f"crossing history: {done.crossings} crossings and {done.stays} stays appended under {root}")


def _organisation() -> None:
    from kouan.demo.organisation import seed_organisation

    with unit_of_work() as session:
        seed_organisation(session=session)


def _demo_zone() -> None:
    """PEK's T3-D special arrival zone (专区), as set up in March 2020, for flights from high-risk origins."""
    with unit_of_work() as session:
        if not zones(session=session, airport="PEK"):
            zone = ArrivalZoneCreate(airport="PEK", code="T3-D", name="T3-D special arrival zone", name_zh="T3-D专区")
            add_zone(session=session, item=zone, actor="demo")


def _show_featured(featured: dict[str, str]) -> None:
    if not featured:
        return
    with unit_of_work() as session:
        found = session.scalars(_featured_query(featured).order_by(Traveller.id.desc())).first()
        shown = documents_of(session=session, traveller=found) if found else None
    where = (
        f"http://{get_settings().host}:{get_settings().port}/console/travellers/{found.id}" if found else "(not filed)"
    )
    name = f"{featured['surname']}, {featured['given_names']}"
    out.print(f"featured journey: {name} on {featured['flight']}, booked from {featured['booked_from']}: {where}")
    if shown:
        out.print(f"at the counter (/console/counter): e-declaration code [bold]{shown['code']}[/bold]; passport MRZ:")
        out.print(shown["mrz"], highlight=False, markup=False)
        out.print("boarding pass:", highlight=False)
        out.print(shown["boarding_pass"], highlight=False, markup=False)


def _featured_query(featured: dict[str, str]) -> Select[Traveller]:
    """The featured traveller on the featured flight (a namesake may fly into another airport the same night)."""
    on_flight = (
        select(VoyageVersion.id)
        .join(Voyage, Voyage.id == VoyageVersion.voyage_id)
        .where(Voyage.carrier == featured["flight"][:2], Voyage.number == featured["flight"][2:])
    )
    return select(Traveller).where(
        Traveller.surname == featured["surname"],
        Traveller.given_names == featured["given_names"],
        Traveller.voyage_version_id.in_(on_flight),
    )


def _demo_token() -> str:
    with unit_of_work() as session:
        return issue_token(session=session, username="demo-officer", role=Role.officer)


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (KOUAN_HOST)."),
    port: int | None = typer.Option(None, help="Port to listen on (KOUAN_PORT)."),
    workers: int = typer.Option(1, min=1, max=32, help="Server processes (one per core suits a busy counter)."),
    access_log: bool = typer.Option(True, help="Log each request (uvicorn's access log)."),
) -> None:
    """Serve the API (/docs) and the officer console (/console)."""
    settings = get_settings()
    try:
        check_free(host=host or settings.host, port=port or settings.port)
    except CannotServe as error:
        fail(str(error), code=1)
    ensure_schema()
    run_server(host=host, port=port, workers=workers, access_log=access_log)


def run_server(*, host: str | None = None, port: int | None = None, workers: int = 1, access_log: bool = True) -> None:
    import uvicorn

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    options: dict[str, Any] = {"host": host, "port": port, "access_log": access_log, "log_level": "info"}
    options |= proxy_options(settings.trusted_proxies)
    if workers > 1:  # each process builds its own app from the settings in its environment
        uvicorn.run("kouan.demo.cli:frozen_app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(frozen_app(), **options)


FULL_COLLECTION_EVERY = 100  # younger collections between full ones (Python's default: 10)


def frozen_app() -> Any:
    """The app, with what start-up made frozen out of the garbage collector: it lives as long as the server, and
    full collections that skip it pause requests for less. With nothing long-lived left to weigh against, Python
    would run a full collection every 10 younger ones: ~8 ms of each 300-person manifest, scanning the caches the
    first requests fill; every 100 costs under 1 ms a manifest."""
    from kouan.app import create_app

    app = create_app(get_settings())
    gc.freeze()
    youngest, middle, _ = gc.get_threshold()
    gc.set_threshold(youngest, middle, FULL_COLLECTION_EVERY)
    return app
