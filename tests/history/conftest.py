"""A small generated history (three days in March 2020), its synthetic figures, and the Spark session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from kouan.history.generate import generate_history, synthetic_risk
from kouan.history.rescreen import Rules
from kouan.screening import engine
from tests.screening.conftest import spark_session  # noqa: F401  (one local Spark session per run)

FIRST, DAYS, PER_DAY = date(2020, 3, 1), 20, 2000
LAST = date(2020, 3, 20)


def no_designations() -> pa.Table:
    return engine.DESIGNATIONS_SCHEMA.empty_table()


@pytest.fixture(scope="session")
def figures() -> pa.Table:
    return synthetic_risk(first=FIRST, last=LAST, seed=7)


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory, figures: pa.Table) -> Path:
    """20 days of 2,000 crossings each, screened on their day's figures and appended day by day."""
    root = tmp_path_factory.mktemp("history")
    rules = Rules(risk=figures, designations=no_designations(), known_on=LAST)
    generate_history(root=root, first=FIRST, days=DAYS, per_day=PER_DAY, seed=7, rules=rules)
    return root
