"""The history sync benchmark at a reduced size: its last line is one JSON object, every crossing appended once
and nothing on the second run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "history_sync_bench.py"


def test_the_benchmark_appends_every_crossing_once_and_nothing_again() -> None:
    command = [sys.executable, str(SCRIPT), "--voyages", "30", "--travellers", "20"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert (figures["store"], figures["voyages"], figures["crossings"], figures["stays"]) == ("sqlite", 30, 600, 1200)
    assert figures["days"] == 20 and figures["again_crossings"] == 0 and figures["sync_s"] > 0
