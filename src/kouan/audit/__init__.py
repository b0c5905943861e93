"""Append-only, hash-chained record of who did what, when, under which basis."""
