"""`kouan watchlist`: the lists (exit and entry bans, wanted persons, lost or stolen documents)."""

from __future__ import annotations

import typer

from kouan.watchlist.list_cli import add_list_commands

watchlist_app = typer.Typer(help="Watchlists: import versions, list them.", no_args_is_help=True)
add_list_commands(watchlist_app)
