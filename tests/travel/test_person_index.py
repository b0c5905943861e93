"""The person index: planted people linked day by day, rare names, a shared document, merges and splits."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from kouan.travel.persons.corrections import current_persons, events, merge, split
from kouan.travel.persons.index import LINKED_SCHEMA, link_day
from tests.travel.test_batch_linking import SURNAMES, SYLLABLES, TODAY, Population, population, table

BORN = date(1971, 5, 6)


def crossing(record_id: str, surname: str, given: str, **fields: Any) -> dict[str, Any]:
    row = {"record_id": record_id, "surname": surname, "given_names": given, "birth_date": BORN,
           "nationality": "CHN", "document_number": None, "sex": "M", "event_date": TODAY}  # fmt: skip
    return row | fields


def link(root: Path, day: date, rows: list[dict[str, Any]], **options: Any) -> dict[str, dict[str, Any]]:
    linked = link_day(root=root, day=day, records=table(rows), **options)
    assert linked.schema == LINKED_SCHEMA
    return {row["record_id"]: row for row in linked.to_pylist()}


def person_now(root: Path) -> dict[str, int]:
    return {row["record_id"]: row["person_id"] for row in current_persons(root=root).to_pylist()}


@pytest.fixture(scope="module")
def planted() -> Population:
    return population()


@pytest.fixture(scope="module")
def linked_index(planted: Population, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("persons")
    by_day = sorted(planted.history, key=lambda row: row["event_date"])
    for day, rows in groupby(by_day, key=lambda row: row["event_date"]):
        link_day(root=root, day=day, records=table(list(rows)))
    return root, link(root, TODAY, planted.arrivals)


def found_pairs(root: Path, planted: Population) -> set[tuple[str, str]]:
    now = person_now(root)
    members: dict[int, list[str]] = {}
    for row in planted.history:
        members.setdefault(now[row["record_id"]], []).append(row["record_id"])
    return {(row["record_id"], h) for row in planted.arrivals for h in members.get(now[row["record_id"]], [])}


def test_planted_people_are_found_precisely(planted: Population, linked_index: tuple[Path, Any]) -> None:
    found = found_pairs(linked_index[0], planted)
    assert len(found & planted.truth) / len(found) >= 0.99
    assert len(found & planted.truth) / len(planted.truth) >= 0.95


@pytest.mark.parametrize("kind", ["renewed", "typo", "swapped", "title", "birth-typo"])
def test_each_planted_variant_is_mostly_found(planted: Population, linked_index: tuple[Path, Any], kind: str) -> None:
    wanted = {pair for pair in planted.truth if planted.kind[pair[0]] == kind}
    assert len(found_pairs(linked_index[0], planted) & wanted) / len(wanted) >= 0.7


def test_namesakes_born_another_day_are_other_persons(planted: Population, linked_index: tuple[Path, Any]) -> None:
    assert len(planted.namesakes) > 100
    assert not found_pairs(linked_index[0], planted) & planted.namesakes


def test_each_link_keeps_its_method_keys_and_levels(planted: Population, linked_index: tuple[Path, Any]) -> None:
    rows = linked_index[1]
    swapped = [rows[arrival] for arrival, kind in planted.kind.items() if kind == "swapped"]
    fuzzy = next(row for row in swapped if row["method"] == "fuzzy")
    evidence = json.loads(fuzzy["evidence"])
    assert (evidence["name"], evidence["birth_date"], evidence["document"]) == ("exact", "exact", "different")
    assert "name+birth-month" in fuzzy["keys"].split(",") and 0.9 <= fuzzy["score"] <= 1.0
    kept = next(rows[arrival] for arrival, kind in planted.kind.items() if kind == "same-passport")
    assert (kept["method"], kept["score"], json.loads(kept["evidence"])["document"]) == ("document", 1.0, "exact")


def test_a_day_is_linked_once(linked_index: tuple[Path, Any]) -> None:
    with pytest.raises(ValueError, match="already"):
        link_day(root=linked_index[0], day=TODAY, records=table([]))


def test_a_shared_document_under_another_name_is_not_the_same_person(tmp_path: Path) -> None:
    first = link(tmp_path, TODAY - timedelta(days=1), [crossing("h1", "CHEN", "HUI", document_number="E1")])
    [row] = link(tmp_path, TODAY, [crossing("a1", "CHEN", "WEI", document_number="E1")]).values()
    assert (row["method"], row["score"]) == ("new", None)
    assert row["person_id"] != first["h1"]["person_id"]
    nearest = json.loads(row["evidence"])["nearest"]
    assert nearest["evidence"]["document"] == "exact-other-name" and nearest["posterior"] < 0.9


def _crowd(size: int) -> list[dict[str, Any]]:
    """Many WANG WEI (one in 60 born on BORN), one OUYANG ZHENGHAO, other people around them."""
    births = [BORN if n % 60 == 0 else date(1945, 1, 1) + timedelta(days=89 * n) for n in range(size)]
    rows = [crossing(f"w{n}", "WANG", "WEI", birth_date=births[n], document_number=f"W{n}") for n in range(size)]
    givens = [SYLLABLES[n % len(SYLLABLES)] + SYLLABLES[n // len(SYLLABLES) % len(SYLLABLES)] for n in range(size)]
    rows += [crossing(f"o{n}", SURNAMES[n % 7], givens[n], document_number=f"O{n}",
                      birth_date=date(1940, 1, 1) + timedelta(days=97 * n + 13)) for n in range(size)]  # fmt: skip
    return [*rows, crossing("rare", "OUYANG", "ZHENGHAO", document_number="R1")]


def test_a_rare_name_and_birth_date_say_more_than_a_common_one(tmp_path: Path) -> None:
    link(tmp_path, TODAY - timedelta(days=1), _crowd(300))
    renewed = [crossing("a-rare", "OUYANG", "ZHENGHAO", document_number="N1"),
               crossing("a-common", "WANG", "WEI", document_number="N2")]  # fmt: skip
    rows = link(tmp_path, TODAY, renewed)
    rare, common = (json.loads(rows[name]["evidence"]) for name in ("a-rare", "a-common"))
    assert rows["a-rare"]["method"] == "fuzzy" and rows["a-rare"]["score"] >= 0.9
    assert rare["name_forms"] < common["nearest"]["evidence"]["name_forms"]
    assert rows["a-common"]["method"] == "new"  # five WANG WEI born that day: not one of them is more likely


@pytest.mark.parametrize(
    "later",
    [
        crossing("a1", "ZHENGHAO", "OUYANG", document_number="N1"),  # swapped, renewed passport
        crossing("a1", "OUYANG", "ZHENG HAO MR"),  # PNR title, no document
        crossing("a1", "OUYANG", "ZENGHAO", document_number="N1"),  # typo in the given names
        crossing("a1", "OUYANG", "ZHENGHAO", document_number="N1", birth_date=BORN + timedelta(days=1)),
    ],
)
def test_variants_of_a_traveller_find_the_person(tmp_path: Path, later: dict[str, Any]) -> None:
    first = link(tmp_path, TODAY - timedelta(days=1), _crowd(50))
    assert link(tmp_path, TODAY, [later])["a1"]["person_id"] == first["rare"]["person_id"]


def test_a_crossing_that_fits_two_persons_merges_them_with_its_evidence(tmp_path: Path) -> None:
    link(tmp_path, TODAY - timedelta(days=3), _crowd(300))
    renewed = link(tmp_path, TODAY - timedelta(days=2), [crossing("b1", "OUYANG", "ZHENGHAO", document_number="N1")],
                   threshold=1.01)  # fmt: skip
    before = person_now(tmp_path)
    assert before["b1"] != before["rare"] and renewed["b1"]["method"] == "new"
    link(tmp_path, TODAY, [crossing("c1", "OUYANG", "ZHENGHAO", document_number="R1")])
    now = person_now(tmp_path)
    assert now["b1"] == now["rare"] == now["c1"] == min(before["b1"], before["rare"])
    [event] = events(root=tmp_path).to_pylist()
    assert (event["kind"], event["record_ids"]) == ("merge", ["c1"])
    assert {event["person_id"], event["other_person_id"]} == {before["b1"], before["rare"]}
    assert json.loads(event["evidence"])["name"] == "exact"


def test_a_split_person_keeps_its_crossings_and_is_not_merged_back(tmp_path: Path) -> None:
    link(tmp_path, TODAY - timedelta(days=3), _crowd(50))
    link(tmp_path, TODAY - timedelta(days=2), [crossing("b1", "OUYANG", "ZHENGHAO", document_number="N1")])
    joined = person_now(tmp_path)
    assert joined["b1"] == joined["rare"]
    new = split(root=tmp_path, person_id=joined["b1"], record_ids=["b1"], reason="officer: two people", day=TODAY)
    assert person_now(tmp_path)["b1"] == new != person_now(tmp_path)["rare"]
    later = link(tmp_path, TODAY, [crossing("c1", "OUYANG", "ZHENGHAO", document_number="N1")])
    assert later["c1"]["person_id"] == new and later["c1"]["method"] == "document"
    kinds = [(event["kind"], event["reason"]) for event in events(root=tmp_path).to_pylist()]
    assert kinds == [("split", "officer: two people")]


def test_an_officer_merge_joins_the_crossings_of_two_persons(tmp_path: Path) -> None:
    first = link(tmp_path, TODAY, _crowd(5))
    kept = merge(root=tmp_path, keep=first["rare"]["person_id"], absorb=first["w1"]["person_id"], reason="same",
                 day=TODAY, evidence={"officer": "u1"})  # fmt: skip
    now = person_now(tmp_path)
    assert now["w1"] == now["rare"] == kept
    assert pa.Table.from_pylist(events(root=tmp_path).to_pylist()).column("kind").to_pylist() == ["merge"]
