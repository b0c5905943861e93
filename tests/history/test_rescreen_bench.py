"""The re-screen benchmark at a reduced size keeps its contract: its last line is the issue's JSON object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "rescreen_bench.py"


def test_the_benchmark_prints_the_contracted_figures_and_both_rescreens_agree() -> None:
    command = [sys.executable, str(SCRIPT), "--days", "15", "--per-day", "3000"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) == {"crossings", "stays", "change_rescreen_s", "full_rescreen_s", "peak_memory_gb", "backend"}
    assert figures["crossings"] == 45_000 and figures["stays"] > 20_000
    assert figures["backend"] == "duckdb" and figures["peak_memory_gb"] > 0
