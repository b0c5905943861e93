"""Every setting says what it does, and the README's settings table lists each one (and no other)."""

from __future__ import annotations

import re
from pathlib import Path

from kouan.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_has_a_description() -> None:
    assert [name for name, field in Settings.model_fields.items() if not (field.description or "").strip()] == []


def test_the_readme_table_lists_every_setting_and_no_other() -> None:
    table = README.read_text(encoding="utf-8").split("## Settings", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `KOUAN_([A-Z0-9_]+)` \|", table, flags=re.M)
    assert sorted(listed) == sorted(name.upper() for name in Settings.model_fields)
