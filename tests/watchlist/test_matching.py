"""Matching travellers against a list: hits explain themselves; dates of birth in classes decide with the name,
and a name alone never alerts when the dates of birth disagree."""

from __future__ import annotations

import pytest

from kouan.watchlist.matching import Entry, Hit, Person, WatchlistIndex, compare
from kouan.watchlist.matching.dates import BadDate, dob_class, parse_birth_date

LIST = [
    Entry("exit-ban-1", ("陳大文", "CHAN, Tai Man"), "1970-05-04", "HKG"),
    Entry("exit-ban-2", ("张伟",), "1985-03-12", "CHN"),
    Entry("wanted-3", ("Park Ji-hoon",), "1990-01-02", "KOR", ("M12345678",)),
    Entry("exit-ban-4", ("许杰",), "1962", "CHN"),
    Entry("exit-ban-5", ("ZHANG, Wei",), "1985-03-12", "CHN"),
]


@pytest.fixture(scope="module")
def index() -> WatchlistIndex:
    return WatchlistIndex(entries=LIST, list_version="exit-ban@7")


def hits(index: WatchlistIndex, name: str, birth: str | None, nationality: str | None = None) -> list[Hit]:
    return index.match([Person("t1", (name,), birth, nationality)])


def test_a_cantonese_spelling_of_a_han_entry_is_a_hit_that_explains_itself(index: WatchlistIndex) -> None:
    [hit] = hits(index, "CHAN<<TAI<MAN", "1970-05-04", "HKG")
    assert (hit.entry_id, hit.alert, hit.list_version, hit.algorithm) == ("exit-ban-1", True, "exit-ban@7", "name-v1")
    assert hit.alias in {"陳大文", "CHAN, Tai Man"} and hit.spelling in {"cantonese", "latin"}
    assert hit.key == "Jan|Daiman ~ Jan|Daiman"
    assert hit.features == {
        "name": 1.0,
        "dob": "exact",
        "nationality": "agree",
        "sex": "missing",
        "document": "missing",
        "name_shared_by": hit.features["name_shared_by"],
    }
    assert hit.explanation()["list_version"] == "exit-ban@7" and hit.explanation()["alias"] == hit.alias


@pytest.mark.parametrize(
    ("name", "birth", "entry", "spelling"),
    [
        ("CHEN<<DAWEN", "1970-05-04", "exit-ban-1", "pinyin"),
        ("Chang Wei", "1985-03-12", "exit-ban-2", "wade-giles"),
        ("HSU<<CHIEH", "1962-07-30", "exit-ban-4", "wade-giles"),
        ("Pak Jihun", "1990-01-02", "wanted-3", "latin"),
        ("Jihoon Bak", "1990-02-01", "wanted-3", "latin"),
    ],
)
def test_other_romanisations_are_hits(index: WatchlistIndex, name: str, birth: str, entry: str, spelling: str) -> None:
    found = {(hit.entry_id, hit.spelling) for hit in hits(index, name, birth)}
    assert (entry, spelling) in found


def test_a_name_alone_with_a_disagreeing_date_of_birth_is_no_alert(index: WatchlistIndex) -> None:
    assert hits(index, "CHAN<<TAI<MAN", "1971-08-09", "HKG") == []
    [near] = [h for h in index.match([Person("t", ("CHAN<<TAI<MAN",), "1971-08-09")], alerts_only=False)]
    assert (near.alert, near.features["dob"], near.features["name"]) == (False, "disagree", 1.0)


def test_the_same_document_alerts_even_when_the_date_of_birth_disagrees(index: WatchlistIndex) -> None:
    [hit] = index.match([Person("t", ("PARK<<JI<HOON",), "1991-05-05", "KOR", "M 1234 5678")])
    assert (hit.entry_id, hit.alert, hit.features["document"]) == ("wanted-3", True, "same")


def test_one_typo_still_meets(index: WatchlistIndex) -> None:
    [hit] = hits(index, "CAHN<<TAI<MAN", "1970-05-04")
    assert hit.entry_id == "exit-ban-1" and hit.features["name"] >= 0.8


def test_a_year_only_entry_meets_a_full_date_of_that_year(index: WatchlistIndex) -> None:
    [hit] = hits(index, "XU<<JIE", "1962-11-02", "CHN")
    assert (hit.entry_id, hit.features["dob"], hit.alert) == ("exit-ban-4", "year-only", True)


def test_every_entry_sharing_the_name_is_a_separate_hit(index: WatchlistIndex) -> None:
    found = hits(index, "ZHANG<<WEI", "1985-03-12", "CHN")
    assert {hit.entry_id for hit in found} == {"exit-ban-2", "exit-ban-5"}


def test_a_manifest_is_matched_in_one_call_and_innocents_raise_nothing(index: WatchlistIndex) -> None:
    manifest = [
        Person("1", ("LI<<MING",), "1980-01-01"),
        Person("2", ("CHAN<<TAI<MAN",), "1970-05-04"),
        Person("3", ("SMITH<<JOHN",), "1970-05-04"),
    ]
    assert [(hit.person_id, hit.entry_id) for hit in index.match(manifest)] == [("2", "exit-ban-1")]


@pytest.mark.parametrize(
    ("listed", "given", "expected"),
    [
        ("1970-05-04", "1970-05-04", "exact"),
        ("1970-05-04", "1970-04-05", "swapped"),
        ("1970-05-04", "1971-05-04", "year-apart"),
        ("1970-05-04", "1969-05-04", "year-apart"),
        ("1970", "1970-05-04", "year-only"),
        ("1970-05", "1970-05-04", "year-only"),
        ("1970-06", "1970-05-04", "disagree"),
        (None, "1970-05-04", "missing"),
        ("1970-05-04", None, "missing"),
        ("1970-05-04", "1972-05-04", "disagree"),
        ("19700504", "1970-05-04", "exact"),
    ],
)
def test_dates_of_birth_fall_in_classes(listed: str | None, given: str | None, expected: str) -> None:
    assert dob_class(parse_birth_date(listed), parse_birth_date(given)) == expected


@pytest.mark.parametrize("text", ["04/05/1970", "1970-13-01", "70-05-04", "born 1970"])
def test_a_date_that_is_not_one_is_refused_by_name(text: str) -> None:
    with pytest.raises(BadDate, match="1970|70"):
        parse_birth_date(text)


def test_compare_decides_a_pair_as_the_index_does(index: WatchlistIndex) -> None:
    person = Person("t", ("CHAN<<TAI<MAN",), "1970-04-05", "HKG")
    [hit] = index.match([person])
    compared = compare(listed=LIST[0], given=person)
    assert (compared.score, compared.match) == (hit.score, hit.alert)
    assert compared.explanation["features"]["dob"] == "swapped"


def test_an_entry_without_a_date_of_birth_does_not_alert_on_a_name_alone() -> None:
    index = WatchlistIndex(entries=[Entry("e", ("ZHAO, Linting",), None, "CHN")], list_version="v1")
    [hit] = index.match([Person("t", ("ZHAO<<LINTING",), "1978-07-15", "CHN")], alerts_only=False)
    assert (hit.alert, hit.features["dob"], hit.features["name"]) == (False, "missing", 1.0)
    with_document = Entry("e", ("ZHAO, Linting",), None, "CHN", ("E123",))
    index = WatchlistIndex(entries=[with_document], list_version="v1")
    assert index.match([Person("t", ("ZHAO<<LINTING",), "1978-07-15", "CHN", "E123")])[0].alert


def test_a_near_spelling_that_is_another_well_formed_name_does_not_alert_on_a_year_alone() -> None:
    index = WatchlistIndex(entries=[Entry("e", ("WANG, Zhiqiangyu",), "1955", "CHN")], list_version="v1")
    assert index.match([Person("t", ("WANG<<ZHIQIANGLU",), "1955-03-19", "CHN")]) == []  # lu is a name, not a typo
    [typo] = index.match([Person("t", ("WANG<<ZHIQAINGYU",), "1955-03-19", "CHN")])
    assert typo.features["dob"] == "year-only"


def test_a_common_name_with_a_partial_date_is_not_told_apart() -> None:
    entries = [Entry(f"e{i}", ("王伟",), str(1950 + i % 40), "CHN") for i in range(12)]
    index = WatchlistIndex(entries=entries, list_version="v1")
    found = index.match([Person("t", ("WANG<<WEI",), "1951-06-01", "CHN")], alerts_only=False)
    assert found and not any(hit.alert for hit in found)
    assert {hit.features["name_shared_by"] for hit in found} == {12}


def test_two_names_without_dates_are_compared_as_names() -> None:
    compared = compare(listed=Entry("a", ("张伟",)), given=Person("b", ("Chang Wei",)))
    assert compared.match and compared.explanation["features"]["dob"] == "not-given"


def test_a_disagreeing_sex_holds_back_an_alert_on_a_name_and_date() -> None:
    index = WatchlistIndex(entries=[Entry("e", ("陳大文",), "1970-05-04", "HKG", sex="M")], list_version="v1")
    woman = Person("t", ("CHAN<<TAI<MAN",), "1970-05-04", "HKG", sex="F")
    assert index.match([woman]) == []
    [held] = index.match([woman], alerts_only=False)
    assert (held.alert, held.features["sex"], held.features["dob"], held.features["name"]) == (
        False,
        "disagree",
        "exact",
        1.0,
    )
    assert not compare(listed=index.entries[0], given=woman).match
    [man] = index.match([Person("t", ("CHAN<<TAI<MAN",), "1970-05-04", "HKG", sex="m")])
    [unknown] = index.match([Person("t", ("CHAN<<TAI<MAN",), "1970-05-04", "HKG", sex="X")])
    assert (man.features["sex"], unknown.features["sex"]) == ("agree", "missing")


def test_the_same_document_alerts_even_when_the_sex_disagrees() -> None:
    entry = Entry("e", ("Park Ji-hoon",), "1990-01-02", "KOR", ("M12345678",), sex="M")
    index = WatchlistIndex(entries=[entry], list_version="v1")
    [hit] = index.match([Person("t", ("PARK<<JI<HOON",), "1990-01-02", "KOR", "M12345678", sex="F")])
    assert (hit.alert, hit.features["sex"], hit.features["document"]) == (True, "disagree", "same")


def test_a_common_name_is_counted_among_entries_of_the_travellers_sex() -> None:
    women = [Entry(f"w{i}", ("王伟",), str(1950 + i % 40), "CHN", sex="F") for i in range(11)]
    index = WatchlistIndex(entries=[*women, Entry("m", ("王伟",), "1975", "CHN", sex="M")], list_version="v1")
    [hit] = index.match([Person("t", ("WANG<<WEI",), "1975-06-01", "CHN", sex="M")])
    assert (hit.entry_id, hit.features["sex"], hit.features["name_shared_by"]) == ("m", "agree", 1)
    unknown = index.match([Person("t", ("WANG<<WEI",), "1975-06-01", "CHN")], alerts_only=False)
    assert unknown and not any(hit.alert for hit in unknown)
    assert {hit.features["name_shared_by"] for hit in unknown} == {12}


def test_with_the_same_sex_a_year_off_tells_apart_a_name_many_share() -> None:
    entries = [Entry(f"e{i}", ("李明",), f"{1900 + i}-{1 + i % 12:02d}-11", "CHN", sex="M") for i in range(80)]
    index = WatchlistIndex(entries=entries, list_version="v1")
    [hit] = index.match([Person("t", ("LI<<MING",), "1942-06-11", "CHN", sex="M")])  # e41: 1941-06-11
    assert (hit.entry_id, hit.features["dob"], hit.features["name_shared_by"]) == ("e41", "year-apart", 80)
    assert index.match([Person("t", ("LI<<MING",), "1942-06-11", "CHN")]) == []
