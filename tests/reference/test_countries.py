import pytest

from kouan.reference import country, normalise_country


@pytest.mark.parametrize(
    ("code", "canonical", "alpha2", "iso_country"),
    [
        ("D", "DEU", "DE", "DEU"),
        ("D<<", "DEU", "DE", "DEU"),
        ("de", "DEU", "DE", "DEU"),
        ("DEU", "DEU", "DE", "DEU"),
        ("GBD", "GBD", None, "GBR"),
        ("GBN", "GBN", None, "GBR"),
        ("GBR", "GBR", "GB", "GBR"),
        ("UK", "GBR", "GB", "GBR"),
        ("RKS", "RKS", "XK", "XKX"),
        ("XK", "RKS", "XK", "XKX"),
        ("XKS", "RKS", "XK", "XKX"),
        ("XXA", "XXA", None, None),
        ("XXB", "XXB", None, None),
        ("UNO", "UNO", None, None),
        ("EUE", "EUE", None, None),
        ("CHN", "CHN", "CN", "CHN"),
        ("HK", "HKG", "HK", "HKG"),
        ("TWN", "TWN", "TW", "TWN"),
    ],
)
def test_codes(code, canonical, alpha2, iso_country):
    found = country(code)
    assert found is not None
    assert (found.code, found.alpha2, found.iso_country) == (canonical, alpha2, iso_country)
    assert normalise_country(code) == canonical


@pytest.mark.parametrize(
    ("code", "name", "name_zh"),
    [
        ("ITA", "Italy", "意大利"),
        ("DEU", "Germany", "德国"),
        ("D", "Germany", "德国"),
        ("JPN", "Japan", "日本"),
        ("MNG", "Mongolia", "蒙古"),
        ("XXA", "Stateless person (1954 Convention)", "无国籍人（1954年公约）"),
        ("RKS", "Kosovo", "科索沃"),
    ],
)
def test_names(code, name, name_zh):
    found = country(code)
    assert found is not None
    assert (found.name, found.name_zh) == (name, name_zh)


@pytest.mark.parametrize("code", ["ZZZ", "", "Q", "GBX"])
def test_unknown(code):
    assert country(code) is None
    with pytest.raises(KeyError, match=repr(code)):
        normalise_country(code)


@pytest.mark.parametrize(
    "code",
    [
        *("GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "UNO", "UNA", "UNK", "XBA", "XIM", "XCC", "XCE"),
        *("XCO", "XEC", "XPO", "XES", "XMP", "XOM", "XDC", "XXA", "XXB", "XXC", "XXX", "EUE"),
    ],
)
def test_every_mrz_code_has_names(code):
    found = country(code)
    assert found is not None
    assert found.code == code
    assert found.name
    assert found.name_zh
