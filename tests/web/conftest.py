"""Console tests: one Chromium per browser test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.support.live import chromium


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser
