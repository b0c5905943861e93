"""English and pinyin addresses routed to a Chinese division; Chinese ones as before (cpca)."""

from __future__ import annotations

import time

import pytest

from kouan.referrals import pinyin_routing
from kouan.referrals.routing import Division, Unresolved, resolve_address


@pytest.mark.parametrize(
    ("address", "adcode", "name"),
    [
        ("Chaoyang District, Beijing", "110105", "北京市朝阳区"),
        ("No. 1 Jianguomenwai Ave, Chaoyang, Beijing 100022", "110105", "北京市朝阳区"),
        ("Pudong New Area, Shanghai", "310115", "上海市浦东新区"),
        ("Tianhe District, Guangzhou, Guangdong", "440106", "广东省广州市天河区"),
        ("Xuhui Qu Shanghai Shi", "310104", "上海市徐汇区"),
        ("BEIJING", "11", "北京市"),
        ("Chaoyang, Changchun", "220104", "吉林省长春市朝阳区"),
        ("Nanshan District, Shenzhen", "440305", "广东省深圳市南山区"),
        ("Haidian, Beijing", "110108", "北京市海淀区"),
        ("Chaoyangqu, Beijingshi", "110105", "北京市朝阳区"),
        ("Pudong Xinqu", "310115", "上海市浦东新区"),
        ("Pudong New Area", "310115", "上海市浦东新区"),
        ("Xuhui Dist., Shanghai", "310104", "上海市徐汇区"),
        ("Zhongxian, Chongqing", "500233", "重庆市忠县"),
        ("Yanbian, Jilin", "2224", "吉林省延边朝鲜族自治州"),
        ("Yiwu City", "330782", "浙江省金华市义乌市"),
    ],
)
def test_a_pinyin_or_english_address_names_its_division(address: str, adcode: str, name: str) -> None:
    assert resolve_address(address) == Division(adcode=adcode, name=name)


@pytest.mark.parametrize(
    ("address", "adcode"),
    [
        ("Guangzhou", "4401"),
        ("Hangzhou", "3301"),
        ("Nanjing", "3201"),  # not 南靖县: a bare county name yields to the city
        ("Xi'an", "6101"),
        ("Xi’an, Shaanxi", "6101"),
        ("Urumqi", "6501"),
        ("Harbin", "2301"),
        ("Lhasa, Tibet", "5401"),
        ("Lüliang", "1411"),
        ("Suzhou, Jiangsu", "3205"),
        ("Suzhou, Anhui", "3413"),
    ],
)
def test_a_city_alone_is_the_city(address: str, adcode: str) -> None:
    division = resolve_address(address)
    assert isinstance(division, Division)
    assert (division.adcode, division.level) == (adcode, "city")


@pytest.mark.parametrize(
    ("address", "adcode"),
    [
        ("Guangdong Province", "44"),
        ("guangdong sheng", "44"),
        ("Beijing Shi", "11"),
        ("Shanghai", "31"),
        ("Hainan", "46"),  # not 海南区 of Wuhai
        ("Jilin", "22"),  # the province holds 吉林市: the safe answer
        ("Shanxi", "14"),
        ("Shaanxi", "61"),
        ("Inner Mongolia", "15"),
        ("Tibet", "54"),
        ("Xinjiang Uyghur Autonomous Region", "65"),
        ("Guangxi Zhuang Autonomous Region", "45"),
        ("Ningxia", "64"),
        ("Hong Kong", "81"),
        ("Hongkong SAR", "81"),
        ("Macau", "82"),
        ("Macao", "82"),
        ("Taiwan", "71"),
    ],
)
def test_a_province_alone_is_the_province(address: str, adcode: str) -> None:
    division = resolve_address(address)
    assert isinstance(division, Division)
    assert (division.adcode, division.level) == (adcode, "province")


@pytest.mark.parametrize(
    ("address", "places"),
    [
        ("Chaoyang District", ["110105", "220104", "440513"]),  # Beijing, Changchun, and 潮阳区 of Shantou
        ("Chaoyang", ["110105", "2113"]),
        ("Suzhou", ["3205", "3413"]),
        ("Fuzhou", ["3501", "3610"]),
        ("Taizhou", ["3212", "3310"]),
        ("Nanshan District", ["230404", "440305"]),
    ],
)
def test_two_places_that_fit_equally_are_named_not_guessed(address: str, places: list[str]) -> None:
    result = resolve_address(address)
    assert isinstance(result, Unresolved)
    assert f"fits {len(places)} places" in result.reason
    assert all(code in result.reason for code in places)
    assert "must name the city or province" in result.reason


@pytest.mark.parametrize("address", ["Pudong", "Kunshan", "Dean Street, London"])
def test_a_bare_district_without_its_city_waits(address: str) -> None:
    result = resolve_address(address)
    assert isinstance(result, Unresolved)
    assert "names no city or province" in result.reason


@pytest.mark.parametrize(
    "address", ["221B Baker Street, London", "1600 Pennsylvania Ave NW, Washington DC 20500", "Room 1203, Apt 5", "---"]
)
def test_an_address_outside_china_is_unresolved(address: str) -> None:
    assert resolve_address(address) == Unresolved(f"no Chinese province, city or district found in {address!r}")


@pytest.mark.parametrize(
    "address",
    [
        "Room 1203, Apt 5, 88 Century Ave, Pudong New Area, Shanghai 200120, P.R. China",
        "pudong new area shanghai",
        "PUDONG NEW AREA, SHANGHAI",
        "  Pudong   New Area ,Shanghai.  ",
        "Flat 3B, Bldg 7, Pudong New District, Shanghai",
    ],
)
def test_noise_and_capitalisation_do_not_matter(address: str) -> None:
    assert resolve_address(address) == Division(adcode="310115", name="上海市浦东新区")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("北京市朝阳区", Division(adcode="110105", name="北京市朝阳区")),
        ("北京", Division(adcode="11", name="北京市")),
        ("广州市", Division(adcode="4401", name="广东省广州市")),
        ("长春市朝阳区", Division(adcode="220104", name="吉林省长春市朝阳区")),
        ("重庆市忠县", Division(adcode="500233", name="重庆市县忠县")),  # cpca's own naming, kept
        ("Room 5, 北京市朝阳区建国路88号", Division(adcode="110105", name="北京市朝阳区")),
        ("朝阳区", Unresolved("朝阳区 is in 2 cities (北京市, 长春市): the address must name the city")),
        ("Chaoyang 朝阳区", Unresolved("朝阳区 is in 2 cities (北京市, 长春市): the address must name the city")),
        ("  ", Unresolved("no destination address was given")),
    ],
)
def test_chinese_and_mixed_addresses_go_through_cpca_as_before(address: str, expected: object) -> None:
    assert resolve_address(address) == expected


def test_the_index_is_built_once_and_resolving_is_quick() -> None:
    assert pinyin_routing.pinyin_index() is pinyin_routing.pinyin_index()
    addresses = ["No. 1 Jianguomenwai Ave, Chaoyang, Beijing 100022", "Tianhe District, Guangzhou", "Xuhui Qu"] * 334
    started = time.perf_counter()
    results = [resolve_address(address) for address in addresses]
    assert time.perf_counter() - started < 1.0
    assert results[0] == Division(adcode="110105", name="北京市朝阳区")
    assert pinyin_routing.pinyin_index.cache_info().currsize == 1


def test_the_index_knows_suffixes_and_english_forms() -> None:
    index = pinyin_routing.pinyin_index()
    assert index[("chaoyang", "qu")].keys() >= {"110105", "220104"}
    assert index[("pudong", "new", "area")] == {"310115": True}
    assert index[("inner", "mongolia")] == {"150000": False}
    assert "150000" in index[("inner", "mongolia", "autonomous", "region")]
    assert "532900" in index[("dali", "autonomous", "prefecture")]  # 大理白族自治州, its people left out
