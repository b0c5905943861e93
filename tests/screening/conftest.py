"""Fixtures for the screening tests: real JHU risk rows and one local Spark session per test run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from .helpers import jhu_risk_table


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: runs on a local Spark session (slow start, runs in CI)")


@pytest.fixture(scope="session")
def jhu_risk() -> pa.Table:
    return jhu_risk_table()


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """A local Spark session (2 cores, no UI, quiet). Spark parity runs in CI: a missing Java is a failure."""
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.fail("Spark needs Java: run `make system-deps` (apt-get install default-jre-headless)")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("kouan-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
