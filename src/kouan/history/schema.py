"""The history's two tables. Both are partitioned by ``day`` (the UTC day of the crossing), hive style:
``crossings/day=2020-03-20/part-<n>.parquet`` and ``stays/day=2020-03-20/part-<n>.parquet``. The day is in the
path, not in the files; a stay sits in its crossing's day, so one day's partitions hold everything a re-screen
of that day's crossings needs.

crossings
    ``crossing_id`` (unique across the history), ``port`` (IATA code of an airport or UN/LOCODE of a seaport or
    land crossing), ``direction`` (arrival or departure), ``person_key`` and ``document_key`` (opaque keys of the
    person and the travel document), ``nationality`` (ISO alpha-3, with HKG/MAC/TWN), ``arrival_time`` (UTC),
    ``level`` and ``level_rank`` at screening (``measures.ranks``; low when no stay counted) and ``known_on``
    (the day that level was known on).
stays
    ``crossing_id``, ``region_code``, ``date_from`` and ``date_to`` (both included) and ``source`` (manifest,
    pnr, declaration, port call...); stored with ``crossing_level_rank``, the crossing's ``level_rank`` at
    screening, written by the same append, so a re-screen finds the stays that now rank above their crossing's
    level without reading the crossings.
"""

from __future__ import annotations

import pyarrow as pa

ARRIVAL, DEPARTURE = "arrival", "departure"
DIRECTIONS = (ARRIVAL, DEPARTURE)

CROSSINGS_SCHEMA = pa.schema(
    [
        pa.field("crossing_id", pa.int64(), nullable=False),
        pa.field("port", pa.string(), nullable=False),
        pa.field("direction", pa.string(), nullable=False),
        pa.field("person_key", pa.int64(), nullable=False),
        pa.field("document_key", pa.int64(), nullable=False),
        pa.field("nationality", pa.string(), nullable=False),
        pa.field("arrival_time", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("level", pa.string(), nullable=False),
        pa.field("level_rank", pa.int8(), nullable=False),
        pa.field("known_on", pa.date32(), nullable=False),
    ]
)
STAYS_SCHEMA = pa.schema(
    [
        pa.field("crossing_id", pa.int64(), nullable=False),
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("date_from", pa.date32(), nullable=False),
        pa.field("date_to", pa.date32(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
    ]
)
STORED_STAYS_SCHEMA = pa.schema([*STAYS_SCHEMA, pa.field("crossing_level_rank", pa.int8(), nullable=False)])
DAY_SCHEMA = pa.schema([pa.field("day", pa.date32(), nullable=False)])
RISES_SCHEMA = pa.schema(
    [
        pa.field("crossing_id", pa.int64()),
        pa.field("day", pa.date32()),
        pa.field("from_level", pa.string()),
        pa.field("to_level", pa.string()),
        pa.field("region_code", pa.string()),
    ]
)
