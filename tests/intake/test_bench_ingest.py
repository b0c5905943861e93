"""The manifest benchmark at a reduced size: its last line is one JSON object with the contract's keys first, then
the re-send figures, every manifest and re-send answered 201 through a running server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_ingest.py"
CONTRACT = ["people", "parse_ms", "file_ms", "screen_ms", "p50_ms", "p99_ms", "manifests_per_s"]


def test_the_benchmark_prints_the_contract_then_the_resend_figures() -> None:
    command = [sys.executable, str(SCRIPT), "--people", "30", "--repeat", "3"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(figures)[: len(CONTRACT)] == CONTRACT and figures["people"] == 30
    assert figures["p99_ms"] >= figures["p50_ms"] > 0 and figures["manifests_per_s"] > 0
    assert figures["resend_p99_ms"] >= figures["resend_p50_ms"] > 0
    assert figures["resend_same_p50_ms"] > 0 and figures["resend_file_ms"] > 0
    assert figures["server_cpu_ms"] >= 0 and figures["resend_server_cpu_ms"] >= 0  # clock ticks: 10 ms
