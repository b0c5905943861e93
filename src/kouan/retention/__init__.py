"""Purging personal data past its retention period while keeping aggregates."""
