"""Watchlists: exit and entry bans, wanted persons, lost or stolen documents, each import a version."""
