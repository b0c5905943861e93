import pytest

from kouan.reference import airport, city_airports, place
from kouan.reference.airports import _cities


@pytest.mark.parametrize(
    ("code", "country", "region_code", "tz"),
    [
        ("PEK", "CHN", "CN-BJ", "Asia/Shanghai"),
        ("PKX", "CHN", "CN-BJ", "Asia/Shanghai"),
        ("PVG", "CHN", "CN-SH", "Asia/Shanghai"),
        ("WUH", "CHN", "CN-HB", "Asia/Shanghai"),
        ("CAN", "CHN", "CN-GD", "Asia/Shanghai"),
        ("CTU", "CHN", "CN-SC", "Asia/Shanghai"),
        ("HET", "CHN", "CN-NM", "Asia/Shanghai"),
        ("LXA", "CHN", "CN-XZ", "Asia/Shanghai"),
        ("INC", "CHN", "CN-NX", "Asia/Shanghai"),
        ("HKG", "HKG", "HKG", "Asia/Hong_Kong"),
        ("MFM", "MAC", "MAC", "Asia/Macau"),
        ("TPE", "TWN", "TWN", "Asia/Taipei"),
        ("KHH", "TWN", "TWN", "Asia/Taipei"),
        ("FCO", "ITA", "ITA", "Europe/Rome"),
        ("ULN", "MNG", "MNG", "Asia/Ulaanbaatar"),
        ("UBN", "MNG", "MNG", "Asia/Ulaanbaatar"),
        ("IKA", "IRN", "IRN", "Asia/Tehran"),
        ("PRN", "XKX", "XKX", "Europe/Belgrade"),
        ("pek", "CHN", "CN-BJ", "Asia/Shanghai"),
    ],
)
def test_airport(code, country, region_code, tz):
    found = airport(code)
    assert found is not None
    assert (found.country, found.region_code, found.tz) == (country, region_code, tz)


def test_every_mainland_airport_has_a_province():
    from kouan.reference.airports import _airports

    codes = [code for code, row in _airports().items() if row["country"] == "CN"]
    assert codes
    assert {code for code in codes if airport(code).region_code == "CHN"} == set()


@pytest.mark.parametrize(
    ("code", "airports"),
    [
        ("BJS", ("PEK", "PKX", "NAY")),
        ("LON", ("LHR", "LGW", "STN", "LTN", "LCY", "SEN")),
        ("NYC", ("JFK", "LGA", "EWR")),
        ("TYO", ("NRT", "HND")),
        ("SHA", ("SHA", "PVG")),
        ("PEK", ("PEK",)),
        ("ZZZ", ()),
    ],
)
def test_city_airports(code, airports):
    assert city_airports(code) == airports


@pytest.mark.parametrize(
    ("code", "kind", "country", "region_code"),
    [
        ("BJS", "city", "CHN", "CN-BJ"),
        ("LON", "city", "GBR", "GBR"),
        ("NYC", "city", "USA", "USA"),
        ("MIL", "city", "ITA", "ITA"),
        ("SHA", "airport", "CHN", "CN-SH"),
        ("PEK", "airport", "CHN", "CN-BJ"),
        ("MFM", "airport", "MAC", "MAC"),
    ],
)
def test_place(code, kind, country, region_code):
    found = place(code)
    assert found is not None
    assert (found.code, found.kind, found.country, found.region_code) == (code, kind, country, region_code)


def test_unknown_place():
    assert place("ZZZ") is None


@pytest.mark.parametrize("code", sorted(_cities()))
def test_city_members_are_airports_of_one_country(code):
    members = [airport(member) for member in city_airports(code)]
    assert None not in members
    assert len({member.country for member in members}) == 1
    assert airport(code) is None or city_airports(code)[0] == code
