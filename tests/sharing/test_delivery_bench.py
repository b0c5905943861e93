"""The delivery benchmark at a reduced size: a relay killed mid-run loses nothing and no effect is applied twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "delivery_bench.py"


def test_a_killed_relay_loses_nothing_and_duplicates_no_effect() -> None:
    command = [sys.executable, str(SCRIPT), "--referrals", "300", "--failure-rate", "0.2", "--kill-relay-after", "100"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["lost"] == 0
    assert result["duplicate_effects"] == 0
    assert result["delivered_unique"] == result["referrals"] == 300
    assert "relay-1 killed (SIGKILL)" in done.stdout


@pytest.mark.kafka
def test_through_kafka_a_killed_relay_loses_nothing_and_consumers_apply_each_key_once() -> None:
    options = ["--sender", "kafka", "--referrals", "2000", "--batch", "100", "--kill-relay-after", "300"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *options], capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["lost"], result["duplicate_effects"]) == (0, 0)
    assert result["delivered_unique"] == result["referrals"] == 2000
    assert "relay-1 killed (SIGKILL)" in done.stdout and "sender kafka" in done.stdout
