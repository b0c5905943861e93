"""Crossing history: every screened crossing and its stays, appended as Parquet partitioned by day, read through
ibis on DuckDB (embedded) or Spark (national), and re-screened with the screening engine's own rules.

- :mod:`kouan.history.schema`: the two tables' columns.
- :mod:`kouan.history.store`: :func:`~kouan.history.store.append` and the day partitions on disk.
- :mod:`kouan.history.read`: the history (or only some days of it) as ibis tables on a backend.
- :mod:`kouan.history.rescreen`: screening a day's crossings, and re-screening the history after a change.
- :mod:`kouan.history.generate`: a seeded synthetic national year (numpy + pyarrow).
- :mod:`kouan.history.sync`: the operational store's arrived crossings appended once (``kouan history sync``), read
  by :mod:`kouan.history.from_store`, remembered in :mod:`kouan.history.models`.
"""
