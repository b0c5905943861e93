"""The watchlist benchmark at a reduced size (CI): its last line is the JSON contract and the planted variants
are found."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "watchlist_bench.py"
FIGURES = {"travellers_per_s", "blocking_recall", "recall_planted", "innocent_alert_rate", "peak_memory_gb"}


def test_the_benchmark_prints_its_figures_and_finds_the_planted() -> None:
    command = [sys.executable, str(SCRIPT), "--watchlist", "5000", "--travellers", "2000"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) == FIGURES
    assert figures["blocking_recall"] >= 0.97 and figures["recall_planted"] >= 0.9
    assert figures["innocent_alert_rate"] <= 0.02 and figures["travellers_per_s"] > 0
