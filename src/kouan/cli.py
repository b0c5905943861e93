"""The `kouan` command: each domain's commands assembled under one Typer app."""

from __future__ import annotations

import typer

from kouan.audit.cli import audit_app
from kouan.contacts.cli import contacts
from kouan.demo.cli import demo, serve
from kouan.formats.cli import app as formats_app
from kouan.history.cli import history_app
from kouan.intake.cli import crossings_app, declarations_app, ingest
from kouan.intake.rescreen_cli import designate_command, rescreen, rescreen_after_import
from kouan.measures.cli import AFTER_IMPORT
from kouan.measures.cli import app as measures_app
from kouan.measures.policy_cli import app as policy_app
from kouan.migrate import db_app
from kouan.overstays.cli import overstays_command
from kouan.referrals.cli import referrals_app
from kouan.referrals.delivery import sweep_delivered
from kouan.retention.cli import purge
from kouan.screening.cli import screen
from kouan.sharing.agencies.cli import agencies_app
from kouan.sharing.outbox.cli import relay_app
from kouan.users.cli import app as users_app
from kouan.users.cli import units_app
from kouan.vessels.cli import screen_vessel
from kouan.watchlist.cli import watchlist_app

app = typer.Typer(help="kouan 口岸: pre-arrival screening at a port of entry.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(formats_app, name="formats")
measures_app.command("designate")(designate_command)  # it rescreens past arrivals: intake
AFTER_IMPORT.append(rescreen_after_import)  # newer figures rescreen the past arrivals they change
app.add_typer(measures_app, name="measures")
app.add_typer(users_app, name="users")
app.add_typer(policy_app, name="policy")
app.add_typer(crossings_app, name="crossings")
app.add_typer(declarations_app, name="declarations")
app.add_typer(relay_app(on_delivered=sweep_delivered), name="relay")
app.add_typer(referrals_app, name="referrals")
app.add_typer(agencies_app, name="agencies")
app.add_typer(units_app, name="units")
app.add_typer(audit_app, name="audit")
app.add_typer(history_app, name="history")
app.add_typer(watchlist_app, name="watchlist")
app.command()(ingest)
app.command()(screen)
app.command()(rescreen)
app.command()(demo)
app.command()(serve)
app.command()(purge)
app.command()(contacts)
app.command(name="screen-vessel")(screen_vessel)
app.command(name="overstays")(overstays_command)

if __name__ == "__main__":
    app()
