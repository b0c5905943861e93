"""`kouan agencies …`: the partner agencies referrals are shared with."""

from __future__ import annotations

import typer

from kouan.clitools import fail, print_json
from kouan.db import unit_of_work
from kouan.migrate import ensure_schema
from kouan.sharing.agencies.models import AgencyCreate, AgencyKind, AgencyRead
from kouan.sharing.agencies.service import (
    AgencyExists,
    agency_by_code,
    create_agency,
    issue_agency_token,
    list_agencies,
)

agencies_app = typer.Typer(help="Partner agencies: customs quarantine, health authorities.", no_args_is_help=True)


@agencies_app.command("create")
def create_agency_command(
    code: str = typer.Argument(..., help="Short code, e.g. CUSTOMS-PEK."),
    name: str = typer.Option(..., help="The agency's name."),
    kind: AgencyKind = typer.Option(
        ...,
        help="The kind of agency (customs_quarantine at a port or seaport, health_commission, local_government, "
        "embassy, maritime_authority at a seaport).",
    ),
    port: str | None = typer.Option(None, help="The port it works (customs quarantine)."),
    division: str | None = typer.Option(None, help="Its jurisdiction as an adcode prefix: 11, 1101 or 110105."),
    webhook: str | None = typer.Option(None, help="URL receiving signed webhooks; without it the agency pulls."),
) -> None:
    """Register an agency; prints its API token and webhook secret once."""
    ensure_schema()
    try:
        item = AgencyCreate(code=code, name=name, kind=kind, port=port, division=division, webhook_url=webhook)
        with unit_of_work() as session:
            agency, token = create_agency(session=session, item=item)
            print_json({**AgencyRead.model_validate(agency).model_dump(), "token": token,
                        "webhook_secret": agency.webhook_secret})  # fmt: skip
    except (AgencyExists, ValueError) as error:
        fail(str(error))


@agencies_app.command("list")
def list_agencies_command() -> None:
    ensure_schema()
    with unit_of_work() as session:
        print_json([AgencyRead.model_validate(a).model_dump() for a in list_agencies(session=session)])


@agencies_app.command("token")
def token_command(code: str = typer.Argument(..., help="The agency's code.")) -> None:
    """A new API token for the agency (the old one stops working)."""
    ensure_schema()
    with unit_of_work() as session:
        agency = agency_by_code(session=session, code=code)
        if agency is None:
            fail(f"no agency {code!r}")
        print_json({"code": code, "token": issue_agency_token(session=session, agency=agency)})
