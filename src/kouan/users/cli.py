"""`kouan users …`: people who may use the API and console."""

from __future__ import annotations

import typer

from kouan.clitools import fail, print_json
from kouan.db import unit_of_work
from kouan.migrate import ensure_schema
from kouan.users.models import Role
from kouan.users.service import UserExists, create_user

app = typer.Typer(help="Users of the API and console.", no_args_is_help=True)


@app.command("create")
def create(
    username: str = typer.Argument(..., help="Login name."),
    role: Role = typer.Option(Role.officer, help="officer, analyst or admin."),
) -> None:
    """Create a user and print its bearer token (shown once: only its digest is kept)."""
    ensure_schema()
    try:
        with unit_of_work() as session:
            user, token = create_user(session=session, username=username, role=role)
            print_json({"username": user.username, "role": user.role, "token": token})
    except UserExists as error:
        fail(str(error))
