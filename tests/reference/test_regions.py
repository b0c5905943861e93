import csv
import gzip
import io
from collections import Counter

import pycountry
import pytest

from kouan.measures.jhu import BUNDLED
from kouan.reference import china_province, provinces, region, region_for_jhu, regions

JHU = BUNDLED


def test_regions_cover_countries_and_provinces():
    listed = regions()
    kinds = Counter(entry.kind for entry in listed)
    assert kinds["province"] == 31
    assert kinds["country"] == len(pycountry.countries) + 1  # + Kosovo
    assert len({entry.code for entry in listed}) == len(listed)


def test_province_codes_are_pycountry_letter_codes():
    known = {sub.code for sub in pycountry.subdivisions.get(country_code="CN")}
    assert {entry.code for entry in provinces()} <= known
    assert {"CN-HK", "CN-MO", "CN-TW"} & {entry.code for entry in provinces()} == set()


@pytest.mark.parametrize(
    ("code", "name", "name_zh", "kind", "parent"),
    [
        ("ITA", "Italy", "意大利", "country", None),
        ("CN-BJ", "Beijing", "北京市", "province", "CHN"),
        ("CN-HB", "Hubei", "湖北省", "province", "CHN"),
        ("CN-NX", "Ningxia", "宁夏回族自治区", "province", "CHN"),
        ("HKG", "Hong Kong", "香港", "country", None),
        ("XKX", "Kosovo", "科索沃", "country", None),
    ],
)
def test_region(code, name, name_zh, kind, parent):
    found = region(code)
    assert found is not None
    assert (found.name, found.name_zh, found.kind, found.parent) == (name, name_zh, kind, parent)


def test_province_zh_names_agree_with_pycountry():
    import gettext

    zh = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    for sub in pycountry.subdivisions.get(country_code="CN"):
        found = region(sub.code)
        if found is not None and zh.gettext(sub.name) != sub.name:
            assert found.name_zh == zh.gettext(sub.name)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Beijing", "CN-BJ"),
        ("Inner Mongolia", "CN-NM"),
        ("Inner-Mongolia", "CN-NM"),
        ("Tibet", "CN-XZ"),
        ("Xizang Zizhiqu", "CN-XZ"),
        ("Ningxia Hui Autonomous Region", "CN-NX"),
        ("Hong Kong", None),
        ("", None),
    ],
)
def test_china_province(name, code):
    assert china_province(name) == code


@pytest.mark.parametrize(
    ("province", "country", "iso3", "code"),
    [
        ("", "Italy", "ITA", "ITA"),
        ("", "Kosovo", "XKS", "XKX"),
        ("", "Taiwan*", "TWN", "TWN"),
        ("", "Diamond Princess", "", None),
        ("Hubei", "China", "CHN", "CN-HB"),
        ("Unknown", "China", "CHN", None),
        ("Hong Kong", "China", "HKG", "HKG"),
        ("Macau", "China", "MAC", "MAC"),
        ("Bermuda", "United Kingdom", "BMU", "BMU"),
        ("Channel Islands", "United Kingdom", "GBR", None),
        ("Ontario", "Canada", "CAN", None),
        ("Diamond Princess", "Canada", "CAN", None),
        ("Repatriated Travellers", "Canada", "", None),
    ],
)
def test_region_for_jhu_cases(province, country, iso3, code):
    assert region_for_jhu(province=province, country=country, iso3=iso3) == code


def _jhu_rows():
    raw = gzip.decompress(JHU.read_bytes()) if JHU.suffix == ".gz" else JHU.read_bytes()
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    return [(row["date"], row["Province_State"], row["Country_Region"], row["iso3"]) for row in reader]


def test_region_for_jhu_on_every_row():
    rows = _jhu_rows()
    mapped = {key: region_for_jhu(province=key[0], country=key[1], iso3=key[2]) for key in {r[1:] for r in rows}}
    chinese = {key[0]: code for key, code in mapped.items() if key[1] == "China" and key[0] not in ("", "Unknown")}
    assert {code for code in chinese.values()} >= {entry.code for entry in provinces()}
    assert None not in chinese.values()
    assert {code for code in mapped.values() if code} <= {entry.code for entry in regions()}
    per_date = Counter((row[0], mapped[row[1:]]) for row in rows if mapped[row[1:]])
    assert [key for key, count in per_date.items() if count > 1] == []
