"""The real data kept in the repository is the shared original, byte for byte: each copy against the SHA-256 recorded
in tests/data/SHA256SUMS, and the originals against it too where ../shared/data sits beside the checkout."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_JHU, DATA, SHARED

COPIES = {  # original under shared/data → its copy in the repository
    "samples/paxlst/paxlst_cbp_guide_d05b.edi": DATA / "paxlst" / "paxlst_cbp_guide_d05b.edi",
    "samples/paxlst/paxlst_gtas_multileg_d05b.edi": DATA / "paxlst" / "paxlst_gtas_multileg_d05b.edi",
    "samples/pnrgov/pnrgov_gtas_pg76_11_1.edi": DATA / "pnrgov" / "pnrgov_gtas_pg76_11_1.edi",
    "risk/jhu_2020H1_daily_rate14.csv": BUNDLED_JHU,
    "risk/jhu_country_weekly_rate14_2020_2023.csv": DATA / "risk" / "jhu_country_weekly_rate14_2020_2023.csv.gz",
}


def recorded() -> dict[str, str]:
    lines = (DATA / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines if line)}


def digest(path: Path) -> str:
    content = path.read_bytes()
    return hashlib.sha256(gzip.decompress(content) if path.suffix == ".gz" else content).hexdigest()


def test_every_recorded_original_has_a_copy() -> None:
    assert recorded().keys() == COPIES.keys()


@pytest.mark.parametrize("original", sorted(COPIES))
def test_the_copy_is_the_original(original: str) -> None:
    assert digest(COPIES[original]) == recorded()[original]
    if SHARED.is_dir():  # beside a checkout that has the shared folder: the record is the original's
        assert digest(SHARED / original) == recorded()[original]
