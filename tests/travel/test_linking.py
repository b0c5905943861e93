"""One person across manifest, PNR and earlier crossings: the pure linking core."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from kouan.travel.journey.linking import (
    PersonRecord,
    link_pnr_to_manifest,
    link_to_history,
    name_similarity,
    normalise_document,
    normalise_given_names,
    normalise_name,
)

BORN = date(1985, 3, 14)


def person(record_id: str, surname: str, given: str, **fields: object) -> PersonRecord:
    values: dict[str, object] = {"birth_date": BORN, "nationality": "CHN", "document_number": None, "source": "x"}
    values.update(fields)
    return PersonRecord(record_id=record_id, surname=surname, given_names=given, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  José-María  ", "JOSE MARIA"),
        ("Müller", "MULLER"),
        ("STRAẞE", "STRASSE"),
        ("Østergård", "OESTERGARD"),
        ("O'NEIL", "O NEIL"),
        ("VAN<DER<BERG", "VAN DER BERG"),
        ("Łukasz", "LUKASZ"),
        ("wang  xiao\tming", "WANG XIAO MING"),
        (None, ""),
    ],
)
def test_names_become_ascii_words(raw: str | None, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MARIO MR", "MARIO"),
        ("ANNA MRS", "ANNA"),
        ("TOM MSTR", "TOM"),
        ("DR JOHN PAUL", "JOHN PAUL"),
        ("JOHNMR", "JOHN"),
        ("LUCYMISS", "LUCY"),
        ("ALEXANDR", "ALEXANDR"),
        ("MR", ""),
    ],
)
def test_pnr_titles_are_dropped_from_given_names(raw: str, expected: str) -> None:
    assert normalise_given_names(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("e 1234-5678", "E12345678"), ("G12<<345", "G12345"), (None, "")])
def test_document_numbers_lose_separators(raw: str | None, expected: str) -> None:
    assert normalise_document(raw) == expected


@pytest.mark.parametrize(
    ("left", "right", "at_least"),
    [
        (("WANG", "XIAOMING"), ("WANG", "XIAO MING"), 1.0),
        (("WANG", "XIAOMING"), ("XIAOMING", "WANG"), 1.0),
        (("ROSSI", "MARIO"), ("ROSSI", "MARIO MR"), 1.0),
        (("MÜLLER", "JÜRGEN"), ("MUELLER", "JUERGEN"), 0.85),
        (("GONZALEZ", "ANA MARIA"), ("GONZALES", "ANA MARIA"), 0.9),
        (("OUYANG", "NA"), ("OU YANG", "NA"), 1.0),
    ],
)
def test_variants_of_one_name_are_near_equal(left: tuple[str, str], right: tuple[str, str], at_least: float) -> None:
    assert name_similarity(left=person("a", *left), right=person("b", *right)) >= at_least


@pytest.mark.parametrize(
    ("left", "right"),
    [(("WANG", "XIAOMING"), ("LI", "JUN")), (("SMITH", "JOHN"), ("SMITH", "")), (("SMITH", "JOHN"), ("", ""))],
)
def test_different_names_score_low(left: tuple[str, str], right: tuple[str, str]) -> None:
    assert name_similarity(left=person("a", *left), right=person("b", *right)) < 0.85


def test_same_document_links_the_booking_under_a_transliterated_name() -> None:
    pnr = [person("p1", "ZHANG", "SAN", document_number="E1234 5678")]
    manifest = [person("m1", "CHANG", "SHAN", document_number="E12345678")]
    [link] = link_pnr_to_manifest(pnr=pnr, manifest=manifest)
    assert (link.left_id, link.right_id, link.score, link.method) == ("p1", "m1", 1.0, "document")
    assert link.evidence["document"] == "exact"


def test_same_document_and_nationality_under_another_name_is_not_linked_at_one() -> None:
    arrival = person("a1", "CHEN", "WEI", document_number="E7654321")
    earlier = person("h1", "CHEN", "HUI", document_number="E7654321")
    assert link_to_history(arrivals=[arrival], history=[earlier]) == []
    pnr = [replace(earlier, record_id="p1", source="pnr")]
    assert link_pnr_to_manifest(pnr=pnr, manifest=[replace(arrival, record_id="m1")]) == []


@pytest.mark.parametrize(
    ("pnr_given", "pnr_birth"),
    [("MARIO MR", BORN), ("MARIOMR", BORN), ("MARIO", None), ("MARIO MR", None)],
)
def test_booking_and_close_name_link_even_without_birth_date(pnr_given: str, pnr_birth: date | None) -> None:
    pnr = [person("p1", "ROSSI", pnr_given, birth_date=pnr_birth, booking_ref="ABC123", nationality="ITA")]
    manifest = [person("m1", "ROSSI", "MARIO", booking_ref="abc123", nationality="ITA", document_number="YA1")]
    [link] = link_pnr_to_manifest(pnr=pnr, manifest=manifest)
    assert link.method == "booking+name"
    assert link.score >= 0.85


def test_booking_does_not_link_a_different_person_in_it() -> None:
    pnr = [person("p1", "ROSSI", "LUCA MSTR", booking_ref="ABC123", birth_date=None)]
    manifest = [person("m1", "ROSSI", "MARIA", booking_ref="ABC123")]
    assert link_pnr_to_manifest(pnr=pnr, manifest=manifest) == []


def test_father_and_son_of_one_name_in_one_booking_are_told_apart_by_birth_date() -> None:
    pnr = [
        person("p-father", "SMITH", "JOHN MR", booking_ref="Q1", birth_date=date(1960, 1, 2)),
        person("p-son", "SMITH", "JOHN MR", booking_ref="Q1", birth_date=date(1990, 5, 6)),
    ]
    manifest = [
        person("m-son", "SMITH", "JOHN", booking_ref="Q1", birth_date=date(1990, 5, 6)),
        person("m-father", "SMITH", "JOHN", booking_ref="Q1", birth_date=date(1960, 1, 2)),
    ]
    links = link_pnr_to_manifest(pnr=pnr, manifest=manifest)
    assert {(link.left_id, link.right_id) for link in links} == {("p-father", "m-father"), ("p-son", "m-son")}


def test_name_and_birth_date_link_without_booking_or_document() -> None:
    pnr = [person("p1", "XIAOMING", "WANG", birth_date=BORN)]
    manifest = [person("m1", "WANG", "XIAO MING", document_number="E1")]
    [link] = link_pnr_to_manifest(pnr=pnr, manifest=manifest)
    assert (link.method, link.evidence["birth_date"]) == ("name+birth-date", "exact")


def test_a_manifest_record_gets_one_link_and_a_passenger_is_used_once() -> None:
    pnr = [person("p1", "LI", "NA", document_number="E1"), person("p2", "LI", "NA")]
    manifest = [person("m1", "LI", "NA", document_number="E1"), person("m2", "LI", "NA", document_number="E2")]
    links = link_pnr_to_manifest(pnr=pnr, manifest=manifest)
    assert [(link.left_id, link.right_id, link.method) for link in links] == [
        ("p1", "m1", "document"),
        ("p2", "m2", "name+birth-date"),
    ]


def test_pnr_linking_does_not_depend_on_input_order() -> None:
    pnr = [person(f"p{i}", "CHEN", f"WEI{chr(65 + i)}", booking_ref="B1") for i in range(6)]
    manifest = [person(f"m{i}", "CHEN", f"WEI{chr(65 + i)}", booking_ref="B1") for i in range(6)]
    expected = link_pnr_to_manifest(pnr=pnr, manifest=manifest)
    shuffled_pnr, shuffled_manifest = pnr[:], manifest[:]
    random.Random(7).shuffle(shuffled_pnr)
    random.Random(8).shuffle(shuffled_manifest)
    assert link_pnr_to_manifest(pnr=shuffled_pnr, manifest=shuffled_manifest) == expected
    assert len(expected) == 6


def test_same_document_and_nationality_link_to_every_earlier_crossing() -> None:
    arrival = person("a1", "TANAKA", "HIROSHI", nationality="JPN", document_number="TK1234567")
    history = [replace(arrival, record_id=f"h{i}", surname="TANAKA", given_names="HIROSI") for i in range(3)]
    links = link_to_history(arrivals=[arrival], history=history)
    assert [(link.right_id, link.method, link.score) for link in links] == [
        ("h0", "document", 1.0),
        ("h1", "document", 1.0),
        ("h2", "document", 1.0),
    ]


@pytest.mark.parametrize(
    ("earlier", "method"),
    [
        (person("h1", "WANG", "XIAOMING", document_number="E0000001"), "name+birth-date"),  # renewed passport
        (person("h1", "XIAOMING", "WANG", document_number=None), "name+birth-date"),  # swapped, no document
        (person("h1", "WANG", "XIAO MING", document_number="E99", sex="M"), "name+birth-date"),
        (person("h1", "WANG", "XIAOMING", document_number="E7654321"), "document"),
    ],
)
def test_variants_of_one_traveller_link_to_history(earlier: PersonRecord, method: str) -> None:
    arrival = person("a1", "WANG", "XIAOMING", document_number="E7654321", sex="M")
    [link] = link_to_history(arrivals=[arrival], history=[earlier])
    assert (link.left_id, link.right_id, link.method) == ("a1", "h1", method)
    assert link.score >= 0.85


def test_year_only_birth_date_links_on_a_near_exact_name() -> None:
    arrival = person("a1", "HASSAN", "AHMED", nationality="SOM")
    earlier = person("h1", "HASSAN", "AHMED", nationality="SOM", birth_date=date(1985, 1, 1), birth_year_only=True)
    [link] = link_to_history(arrivals=[arrival], history=[earlier])
    assert (link.evidence["birth_date"], link.score) == ("year-only", 0.92)


def test_year_only_birth_date_does_not_carry_a_loose_name() -> None:
    arrival = person("a1", "HASSAN", "AHMED", nationality="SOM")
    earlier = person("h1", "HASAN", "AHMAD", nationality="SOM", birth_date=date(1985, 1, 1), birth_year_only=True)
    assert link_to_history(arrivals=[arrival], history=[earlier]) == []


@pytest.mark.parametrize(
    "earlier",
    [
        person("h1", "WANG", "XIAOMING", birth_date=date(1985, 3, 15)),  # namesake, one day apart
        person("h1", "WANG", "XIAOMING", birth_date=date(1990, 7, 1)),  # namesake
        person("h1", "WANG", "XIAOMING", birth_date=None),  # no birth date: a name alone never links
        person("h1", "WANG", "XIAOMING", nationality="SGP"),  # same name and date, another nationality
        person("h1", "WANG", "XIAOMING", document_number="E7654321", nationality="SGP", birth_date=date(1970, 1, 1)),
        person("h1", "WANG", "JUN"),
    ],
)
def test_other_people_do_not_link_to_history(earlier: PersonRecord) -> None:
    arrival = person("a1", "WANG", "XIAOMING", document_number="E7654321")
    assert link_to_history(arrivals=[arrival], history=[earlier]) == []


def test_threshold_decides_a_borderline_history_link() -> None:
    arrival = person("a1", "GONZALEZ", "ANA MARIA", nationality="ESP")
    earlier = person("h1", "GONZALES", "ANA MARIA", nationality=None)
    [link] = link_to_history(arrivals=[arrival], history=[earlier])
    assert link.evidence["nationality"] == "missing"
    assert link_to_history(arrivals=[arrival], history=[earlier], threshold=link.score + 0.001) == []


def test_history_links_are_ordered_by_arrival_then_best_score() -> None:
    arrivals = [person("a2", "LI", "JUN", document_number="X2"), person("a1", "ZHAO", "LEI", document_number="X1")]
    history = [
        person("h3", "LI", "JUN"),
        person("h1", "ZHAO", "LEI", document_number="X1"),
        person("h2", "ZHAO", "LEI", document_number="X0"),
    ]
    links = link_to_history(arrivals=arrivals, history=history)
    assert [(link.left_id, link.right_id) for link in links] == [("a1", "h1"), ("a1", "h2"), ("a2", "h3")]
