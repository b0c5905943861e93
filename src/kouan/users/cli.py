"""`kouan users …` and `kouan units …`: people who may use the API and console, and our own units."""

from __future__ import annotations

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.clitools import fail, print_json
from kouan.db import unit_of_work
from kouan.migrate import ensure_schema
from kouan.users.models import Role, Unit, UnitLevel
from kouan.users.service import UserExists, create_user
from kouan.users.units import create_unit

app = typer.Typer(help="Users of the API and console.", no_args_is_help=True)
units_app = typer.Typer(help="Our own units: general station → station → duty team.", no_args_is_help=True)


@app.command("create")
def create(
    username: str = typer.Argument(..., help="Login name."),
    role: Role = typer.Option(Role.officer, help="officer, analyst or admin."),
    unit: str | None = typer.Option(None, help="The unit's code; without one the user works at national level."),
) -> None:
    """Create a user and print its bearer token (shown once: only its digest is kept)."""
    ensure_schema()
    try:
        with unit_of_work() as session:
            user, token = create_user(session=session, username=username, role=role)
            user.unit_id = _unit_id(session=session, code=unit)
            print_json({"username": user.username, "role": user.role, "unit": unit, "token": token})
    except UserExists as error:
        fail(str(error))


def _unit_id(*, session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        fail(f"no unit {code!r}: create it with `kouan units create`")
    return unit.id


@units_app.command("create")
def create_unit_command(
    code: str = typer.Argument(...),
    name: str = typer.Option(...),
    level: UnitLevel = typer.Option(...),
    parent: str | None = typer.Option(None, help="The parent unit's code."),
    port: str | None = typer.Option(None, help="The port a station works (its arrivals' referrals are its own)."),
) -> None:
    ensure_schema()
    with unit_of_work() as session:
        above = session.scalar(select(Unit).where(Unit.code == parent)) if parent else None
        if parent and above is None:
            fail(f"no unit {parent!r}")
        unit = create_unit(session=session, code=code, name=name, level=level, parent=above, port=port)
        print_json({"id": unit.id, "code": unit.code, "level": unit.level, "parent": parent, "port": port})
