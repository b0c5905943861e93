"""Batch linking on a planted population: exact documents, then Splink for renewed passports, typos and swaps."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kouan.travel.journey.batch_linking import (
    LINK_SCHEMA,
    PERSON_SCHEMA,
    link_batch,
    prepare,
    stage_inputs,
    train_model,
)
from kouan.travel.journey.linking import normalise_given_names, normalise_name

SURNAMES = (  # noqa: SIM905
    "WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE LIN LUO GAO "
    "NGUYEN TRAN KIM PARK SATO SUZUKI SMITH MUELLER GARCIA ROSSI IVANOV KHAN"
).split()
SYLLABLES = "XIAO MING WEI JUN HUA NA FANG YING HAO YU JIE LEI TING QIANG LING BO XIN YAN PENG HUI".split()  # noqa: SIM905
NATIONALITIES = ("CHN",) * 6 + ("HKG", "KOR", "JPN", "VNM", "USA", "DEU", "ITA", "RUS", "PAK")
TODAY = date(2020, 3, 15)
PLAN = {"same-passport": 500, "renewed": 200, "typo": 150, "swapped": 80, "title": 50, "birth-typo": 50}


@dataclass(frozen=True)
class Person:
    person_id: int
    surname: str
    given: str
    birth: date
    nationality: str
    sex: str
    passport: str


@dataclass
class Population:
    arrivals: list[dict[str, Any]]
    history: list[dict[str, Any]]
    truth: set[tuple[str, str]]  # (arrival_id, history_id) of one person
    kind: dict[str, str]  # arrival_id → planted variant
    namesakes: set[tuple[str, str]]  # same name, another person and birth date


def _person(rng: random.Random, person_id: int) -> Person:
    given = rng.choice(["", " "]).join(rng.sample(SYLLABLES, rng.choice([1, 2, 2])))
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    passport = f"{rng.choice('EGPK')}{rng.randrange(10**7, 10**8)}"
    sex = rng.choice("MF")
    return Person(person_id, rng.choice(SURNAMES), given, born, rng.choice(NATIONALITIES), sex, passport)


def _row(record_id: str, person: Person, *, day: date, **changes: Any) -> dict[str, Any]:
    row = {
        "record_id": record_id,
        "surname": person.surname,
        "given_names": person.given,
        "birth_date": person.birth,
        "nationality": person.nationality,
        "document_number": person.passport,
        "sex": person.sex,
        "event_date": day,
    }
    return row | changes


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word))
    return word[:at] + rng.choice("AEIOUNGHS") + word[at + 1 :] if rng.random() < 0.7 else word[:at] + word[at + 1 :]


def _arrival_variant(rng: random.Random, kind: str, person: Person) -> dict[str, Any]:
    renewed = f"N{rng.randrange(10**7, 10**8)}"
    row = _row("", person, day=TODAY, document_number=renewed)
    if kind == "same-passport":
        row["document_number"] = person.passport
    elif kind == "typo":
        field = rng.choice(["surname", "given_names"])
        row[field] = _typo(rng, row[field].replace(" ", "")) if len(row[field]) > 2 else row[field]
    elif kind == "swapped":
        row["surname"], row["given_names"] = person.given, person.surname
    elif kind == "title":
        row["given_names"], row["document_number"] = f"{person.given} {'MR' if person.sex == 'M' else 'MRS'}", None
    elif kind == "birth-typo":
        day = person.birth.day
        row["birth_date"] = person.birth.replace(day=day + 1 if day < 28 else day - 1)
    return row


def population(seed: int = 1) -> Population:
    rng = random.Random(seed)
    people = [_person(rng, number) for number in range(4000)]
    found = Population([], [], set(), {}, set())
    history_of: dict[int, list[str]] = {}
    for person in people[:3000]:  # seen in the last 30 days, 1–3 times
        for _ in range(rng.choice([1, 1, 2, 3])):
            record_id = f"h{len(found.history):05d}"
            found.history.append(_row(record_id, person, day=TODAY - timedelta(days=rng.randrange(1, 31))))
            history_of.setdefault(person.person_id, []).append(record_id)
    kinds = [kind for kind, count in PLAN.items() for _ in range(count)]
    for kind, person in zip(kinds, rng.sample(people[:3000], len(kinds)), strict=True):
        _arrive(found, _arrival_variant(rng, kind, person), kind, history_of[person.person_id])
    for person in people[3000:3400]:  # first crossing, half of them namesakes of a traveller in history
        _plant_new(rng, found, person, people[rng.randrange(3000)] if person.person_id % 2 else None, history_of)
    return found


def _arrive(found: Population, row: dict[str, Any], kind: str, history_ids: list[str]) -> str:
    row["record_id"] = arrival_id = f"a{len(found.arrivals):05d}"
    found.arrivals.append(row)
    found.kind[arrival_id] = kind
    found.truth |= {(arrival_id, history_id) for history_id in history_ids}
    return arrival_id


def _plant_new(
    rng: random.Random, found: Population, person: Person, namesake_of: Person | None, history_of: dict[int, list[str]]
) -> None:
    if namesake_of is None:
        _arrive(found, _row("", person, day=TODAY), "new", [])
        return
    same_name = replace(person, surname=namesake_of.surname, given=namesake_of.given, nationality="CHN")
    arrival_id = _arrive(found, _row("", same_name, day=TODAY), "namesake", [])
    found.namesakes |= {(arrival_id, history_id) for history_id in history_of[namesake_of.person_id]}


def table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=PERSON_SCHEMA)


@pytest.fixture(scope="module")
def planted() -> Population:
    return population()


@pytest.fixture(scope="module")
def duckdb_links(planted: Population) -> pa.Table:
    return link_batch(arrivals=table(planted.arrivals), history=table(planted.history))


def pairs(links: pa.Table, method: str | None = None) -> set[tuple[str, str]]:
    return {(row["arrival_id"], row["history_id"]) for row in links.to_pylist() if method in (None, row["method"])}


def test_links_have_the_documented_schema(duckdb_links: pa.Table) -> None:
    assert duckdb_links.schema == LINK_SCHEMA
    assert set(duckdb_links.column("method").to_pylist()) == {"document", "splink"}


def test_every_kept_passport_is_linked_by_document(planted: Population, duckdb_links: pa.Table) -> None:
    expected = {pair for pair in planted.truth if planted.kind[pair[0]] == "same-passport"}
    assert pairs(duckdb_links, "document") == expected
    assert set(duckdb_links.filter(pc.equal(duckdb_links["method"], "document"))["score"].to_pylist()) == {1.0}


def test_fuzzy_links_are_precise_and_find_most_planted_pairs(planted: Population, duckdb_links: pa.Table) -> None:
    found = pairs(duckdb_links, "splink")
    planted_fuzzy = {pair for pair in planted.truth if planted.kind[pair[0]] != "same-passport"}
    assert len(found & planted.truth) / len(found) >= 0.95
    assert len(found & planted_fuzzy) / len(planted_fuzzy) >= 0.8


@pytest.mark.parametrize("kind", ["renewed", "typo", "swapped", "title", "birth-typo"])
def test_each_planted_variant_is_mostly_found(planted: Population, duckdb_links: pa.Table, kind: str) -> None:
    wanted = {pair for pair in planted.truth if planted.kind[pair[0]] == kind}
    assert len(pairs(duckdb_links) & wanted) / len(wanted) >= 0.7


def test_namesakes_with_another_birth_date_are_not_linked(planted: Population, duckdb_links: pa.Table) -> None:
    assert len(planted.namesakes) > 100
    assert not pairs(duckdb_links) & planted.namesakes


def test_a_splink_link_carries_its_scored_levels(planted: Population, duckdb_links: pa.Table) -> None:
    swapped = [row for row in duckdb_links.to_pylist() if planted.kind[row["arrival_id"]] == "swapped"]
    evidence = json.loads(swapped[0]["evidence"])
    assert evidence == {"name": "swapped", "birth_date": "exact", "nationality": "exact", "sex": "exact"}
    assert 0.9 <= swapped[0]["score"] <= 1.0
    assert swapped[0]["method"] == "splink"


def test_same_input_gives_the_same_links(planted: Population, duckdb_links: pa.Table) -> None:
    again = link_batch(arrivals=table(planted.arrivals[::-1]), history=table(planted.history[::-1]))
    assert again.equals(duckdb_links)


def test_expectation_maximisation_learns_what_agreement_means_where_matches_are_plentiful(planted: Population) -> None:
    con = duckdb.connect()
    stage_inputs(con=con, arrivals=table(planted.arrivals), history=table(planted.history))
    learnt = train_model(con=con, expectation_maximisation=True)["m_u"]
    assert learnt["name"][0][0] > 0.5 > learnt["name"][-1][0]
    assert learnt["birth_date"][0][0] > 0.5 > learnt["birth_date"][-1][0]
    assert all(u < m for m, u in (learnt["name"][0], learnt["birth_date"][0]))


def test_no_history_gives_no_links(planted: Population) -> None:
    assert link_batch(arrivals=table(planted.arrivals[:50]), history=table([])).num_rows == 0


@pytest.mark.parametrize(
    ("surname", "given"),
    [("  José-María  ", "MARIO MR"), ("Østergård", "JOHNMR LUCYMISS"), ("O'NEIL", "DR SEAN"), ("WANG", "XIAO  MING")],
)
def test_batch_normalisation_agrees_with_the_pure_core(surname: str, given: str) -> None:
    source = table([_row("x", _person(random.Random(0), 0), day=TODAY, surname=surname, given_names=given)])
    [row] = prepare(table=source).to_pylist()
    assert row["surname_n"] == normalise_name(surname)
    assert row["given_n"] == normalise_given_names(given)


def test_an_unknown_backend_is_refused(planted: Population) -> None:
    with pytest.raises(ValueError, match="backend"):
        link_batch(arrivals=table(planted.arrivals[:5]), history=table(planted.history[:5]), backend="spark")


@pytest.mark.spark
def test_spark_gives_the_same_links_as_duckdb(planted: Population, duckdb_links: pa.Table, spark_session: Any) -> None:
    arrivals, history = table(planted.arrivals), table(planted.history)
    spark_links = link_batch(arrivals=arrivals, history=history, backend="spark", spark_session=spark_session)
    assert spark_links.equals(duckdb_links)


def test_a_shared_document_under_another_name_is_not_a_document_link() -> None:
    person = _person(random.Random(3), 0)
    arrival = _row("a1", replace(person, surname="CHEN", given="WEI"), day=TODAY)
    other = _row("h1", replace(person, surname="CHEN", given="HUI", birth=date(1970, 1, 2)), day=TODAY)
    links = link_batch(arrivals=table([arrival]), history=table([other]))
    assert not [row for row in links.to_pylist() if row["method"] == "document" or row["score"] == 1.0]


def test_a_shared_document_under_a_transliterated_name_is_still_a_document_link() -> None:
    person = _person(random.Random(3), 0)
    arrival = _row("a1", replace(person, surname="ZHANG", given="SAN"), day=TODAY)
    earlier = _row("h1", replace(person, surname="CHANG", given="SHAN"), day=TODAY)
    [link] = link_batch(arrivals=table([arrival]), history=table([earlier])).to_pylist()
    assert (link["method"], link["score"]) == ("document", 1.0)
