"""Watchlists (布控名单): persons of interest, and matching travellers against them (比中)."""
