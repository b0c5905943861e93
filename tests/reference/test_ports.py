"""Seaports by UN/LOCODE and the region their risk is kept under (mainland China by province)."""

from __future__ import annotations

import pytest

from kouan.reference._tables import DATA_DIR
from kouan.reference.ports import normalise_locode, port, port_region, ports
from kouan.reference.regions import region


@pytest.mark.parametrize(
    ("locode", "region_code", "subdivision"),
    [
        ("CNMAA", "CN-AH", "AH"),  # Ma'anshan, Anhui: a Yangtze port sea-ports lacks
        ("CNWHI", "CN-AH", "AH"),
        ("CNNKG", "CN-JS", "JS"),
        ("CNSHA", "CN-SH", "SH"),
        ("CNTAO", "CN-SD", "SD"),
        ("CNWEI", "CN-SD", "SD"),
    ],
)
def test_chinese_ports_give_their_province(locode: str, region_code: str, subdivision: str) -> None:
    found = port(locode)
    assert found is not None
    assert (found.country, found.country_alpha3, found.subdivision) == ("CN", "CHN", subdivision)
    assert found.region_code == region_code
    assert region(found.region_code) is not None


@pytest.mark.parametrize(
    ("locode", "alpha3", "name"),
    [
        ("SGSIN", "SGP", "Singapore"),
        ("KRPUS", "KOR", "Busan"),
        ("JPYOK", "JPN", "Yokohama"),
        ("AUNTL", "AUS", "Newcastle"),
        ("BRSSZ", "BRA", "Santos"),
        ("NLRTM", "NLD", "Rotterdam"),
        ("USLAX", "USA", "Los Angeles"),
        ("HKHKG", "HKG", "Hong Kong"),
    ],
)
def test_foreign_ports_give_their_country(locode: str, alpha3: str, name: str) -> None:
    found = port(locode)
    assert found is not None
    assert (found.name, found.country, found.country_alpha3, found.region_code) == (name, locode[:2], alpha3, alpha3)
    assert found.function == "1"
    assert port_region(locode) == alpha3


@pytest.mark.parametrize("text", ["CNMAA", "cnmaa", "CN MAA", "CN-MAA", " CNMAA "])
def test_locode_is_read_however_spaced(text: str) -> None:
    assert normalise_locode(text) == "CNMAA"
    assert port_region(text) == "CN-AH"


@pytest.mark.parametrize("text", ["", "CNMA", "CNMAAA", "C1MAA", "Ma'anshan", "CN/MAA"])
def test_text_not_shaped_like_a_locode(text: str) -> None:
    assert normalise_locode(text) is None
    assert port(text) is None
    assert port_region(text) is None


def test_unlisted_locode_is_no_port_but_still_names_its_country() -> None:
    assert port("ITQQQ") is None
    assert port_region("ITQQQ") == "ITA"


def test_unlisted_locode_of_an_unknown_country_gives_nothing() -> None:
    assert port("QQABC") is None
    assert port_region("QQABC") is None


def test_every_port_has_a_known_region_and_china_is_split_by_province() -> None:
    listed = ports()
    assert len(listed) > 3000
    assert all(region(found.region_code) is not None for found in listed)
    chinese = [found for found in listed if found.country_alpha3 == "CHN"]
    assert {found.region_code for found in chinese} >= {"CN-AH", "CN-JS", "CN-GD", "CN-SH", "CN-LN"}


def test_bundled_extract_is_small_and_documented() -> None:
    assert (DATA_DIR / "un_locode_ports.csv").stat().st_size < 1_000_000
    assert "un_locode_ports.csv" in (DATA_DIR / "README.md").read_text(encoding="utf-8")
