"""Running the Alembic migrations that ship inside the package."""

from __future__ import annotations

from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def make_revision(message: str, url: str | None = None) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)


def ensure_schema() -> None:
    """Bring the configured store to the latest schema (a no-op when it is already there)."""
    from kouan.settings import get_settings

    upgrade(get_settings().database_url)


db_app = typer.Typer(help="The operational store.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations (creates the SQLite file when it does not exist)."""
    from kouan.clitools import err
    from kouan.settings import get_settings

    upgrade(get_settings().database_url)
    err.print(f"database at revision head: {get_settings().database_url}")
