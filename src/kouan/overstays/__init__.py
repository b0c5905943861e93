"""Overstays (非法居留): foreigners past their permitted stay with no exit, from our own entries and exits."""
