"""Alembic environment: the URL comes from Settings (or the caller's config), the tables from every domain."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kouan.db import get_engine
from kouan.models import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    with get_engine(config.get_main_option("sqlalchemy.url") or None).connect() as connection:
        run(connection)
        connection.commit()


main()
