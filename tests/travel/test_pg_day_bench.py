"""The national-day benchmark at a reduced size, on the test session's PostgreSQL: every flight filed by concurrent
writers, none lost, and the same manifest filed at once by every writer makes one version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import Cluster

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "pg_day_bench.py"


@pytest.mark.postgres
def test_a_day_filed_by_concurrent_writers_loses_nothing_and_makes_one_version(postgres_cluster: Cluster) -> None:
    url = postgres_cluster.create_database("kouan_day_bench")
    command = [sys.executable, str(SCRIPT), "--flights", "9", "--writers", "3", "--duplicates", "6",
               "--database-url", url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["errors"] == 0
    assert figures["voyages_filed"] == figures["flights"] == 9
    assert figures["duplicate_versions"] == 1
    assert figures["p99_ms"] >= figures["p50_ms"] > 0
