"""Fixtures for the travel tests: the suite's one local Spark session, shared with the screening tests."""

from __future__ import annotations

import os
import sys

from tests.screening.conftest import spark_session

# Batch linking runs a Python UDF (rapidfuzz's Jaro-Winkler) on Spark: its workers must use this interpreter, which
# has kouan's dependencies, not whatever `python3` is first on PATH. Read when the shared session starts.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

__all__ = ["spark_session"]
