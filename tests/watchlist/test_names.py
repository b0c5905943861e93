"""Names across scripts and romanisations meet: Han readings (surname readings first), Wade-Giles, Hong Kong
Cantonese, Korean and MRZ spellings of one name share a key; different names do not."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kouan.watchlist.matching.han import han_readings
from kouan.watchlist.matching.names import fold_key, name_keys, spellings

PAIRS = Path(__file__).parent / "data" / "pairs.csv"


def keys(name: str, *, either_way: bool = False) -> set[str]:
    return {fold_key(raw) for raw, _ in name_keys(name, either_way=either_way)}


def reading(name: str, system: str) -> str:
    return next(r.text() for r in han_readings(name) if r.system == system)


@pytest.mark.parametrize(
    ("han", "pinyin"),
    [
        ("单田芳", "SHAN Tianfang"),
        ("曾志伟", "ZENG Zhiwei"),
        ("区家麟", "OU Jialin"),
        ("解缙", "XIE Jin"),
        ("仇英", "QIU Ying"),
        ("朴槿惠", "PIAO Jinhui"),
        ("欧阳娜娜", "OUYANG Nana"),
        ("诸葛亮", "ZHUGE Liang"),
        ("司马懿", "SIMA Yi"),
        ("單田芳", "SHAN Tianfang"),  # traditional characters read alike
    ],
)
def test_a_surname_is_read_as_a_surname(han: str, pinyin: str) -> None:
    assert reading(han, "pinyin") == pinyin


@pytest.mark.parametrize(
    ("han", "wade_giles"), [("张伟", "CHANG Wei"), ("周杰伦", "CHOU Chieh-lun"), ("徐杰", "HSU Chieh")]
)
def test_wade_giles_readings_are_those_of_taiwan_documents(han: str, wade_giles: str) -> None:
    assert reading(han, "wade-giles") == wade_giles


@pytest.mark.parametrize(
    ("han", "hong_kong"),
    [("陈大文", "CHAN"), ("黄家驹", "WONG"), ("吴彦祖", "NG"), ("曾志伟", "TSANG"), ("欧阳娜娜", "AUYEUNG")],
)
def test_hong_kong_surnames_are_spelt_as_hong_kong_documents_spell_them(han: str, hong_kong: str) -> None:
    assert {r.text().split()[0] for r in han_readings(han) if r.system == "cantonese"} == {hong_kong}


def test_u_umlaut_is_written_v_by_pypinyin_and_meets_yu_and_u() -> None:
    assert reading("吕小军", "pinyin") == "LV Xiaojun"
    assert keys("吕小军") & keys("LYU<<XIAOJUN") & keys("LU Xiaojun") & keys("LV, Xiaojun")


def rows() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize("row", rows(), ids=lambda row: f"{row['name1']}~{row['name2']}")
def test_two_spellings_of_one_name_share_a_key(row: dict[str, str]) -> None:
    assert keys(row["name1"]) & keys(row["name2"], either_way=True)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("张伟", "Wang Wei"),
        ("单田芳", "Dan Tianfang"),  # 单 as a surname is not dan
        ("Park Ji-hoon", "Kim Ji-hoon"),
        ("陈大文", "Chen Dawei"),
        ("Lee Min-ho", "Lee Min-su"),
    ],
)
def test_different_names_share_no_key(one: str, other: str) -> None:
    assert not keys(one) & keys(other, either_way=True)


@pytest.mark.parametrize(
    ("name", "system", "surname", "given"),
    [
        ("PARK<<JI<HOON", "mrz", ("park",), ("ji", "hoon")),
        ("MUELLER<<JUERGEN<KARL", "mrz", ("mueller",), ("juergen", "karl")),
        ("O'Brien, Mary-Ann", "latin", ("obrien",), ("mary", "ann")),
        ("Zoë Ångström", "latin", (), ("zoe", "angstrom")),
    ],
)
def test_latin_forms_are_read_into_tokens(name: str, system: str, surname: tuple[str], given: tuple[str]) -> None:
    first = spellings(name)[0]
    assert (first.system, first.surname, first.given) == (system, surname, given)


def test_given_names_together_apart_or_hyphenated_and_in_either_order_share_a_key() -> None:
    forms = ["WANG<<XIAOMING", "Wang Xiao Ming", "Xiao-Ming Wang", "WANG, Xiao-ming", "Xiaoming WANG"]
    assert set.intersection(*(keys(form, either_way=True) for form in forms))


def test_a_document_whose_surname_and_given_name_fields_were_swapped_still_meets() -> None:
    assert keys("ZHANG, Xiaoming") & keys("XIAOMING<<ZHANG", either_way=True)
    assert not keys("ZHANG, Xiaoming") & keys("XIAOMING<<ZHANG")
