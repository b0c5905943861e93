"""The layering written in pyproject's import-linter contracts holds: a wrong import fails the suite, not only lint."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_no_contract_ignores_an_import() -> None:
    """A contract kept by ignoring the imports that break it says nothing: none may list ignore_imports."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert contracts, "pyproject.toml declares no import contract"
    assert [c["name"] for c in contracts if c.get("ignore_imports")] == []
