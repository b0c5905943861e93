"""The Maritime Declaration of Health (IHR 2005 Annex 8) as JSON: particulars, ports of call, answers, schedule."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kouan.formats.mdh import PORTS_KEY, SCHEDULE_KEY, MaritimeDeclaration, mdh_to_dict, parse_mdh
from kouan.formats.records import FormatError

DATA = Path(__file__).parent / "data"
ALL_NO = json.loads((DATA / "mdh_jin_hai_fortune_all_no.json").read_text(encoding="utf-8"))
FEVER = json.loads((DATA / "mdh_ocean_crest_fever.json").read_text(encoding="utf-8"))


def _parse(document: dict[str, Any]) -> MaritimeDeclaration:
    return parse_mdh(json.dumps(document))


def _changed(document: dict[str, Any], **header: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["header"].update(header)
    return changed


def _warnings(declaration: MaritimeDeclaration) -> dict[str, str]:
    return {w.segment: w.message for w in declaration.warnings}


def test_all_no_declaration_of_a_bulk_carrier_bound_for_maanshan() -> None:
    mdh = _parse(ALL_NO)
    assert mdh.warnings == ()
    assert (mdh.ship.name, mdh.ship.imo, mdh.ship.flag, mdh.ship.declaration_date) == (
        "JIN HAI FORTUNE",
        "9321483",
        "HKG",
        date(2020, 3, 8),
    )
    assert mdh.ship.submitted_at_port is not None and mdh.ship.submitted_at_port.region_code == "CN-AH"
    assert (mdh.ship.crew_on_board, mdh.ship.passengers_on_board, mdh.ship.gross_tonnage) == (10, 0, 43012.0)
    assert [(c.port.locode, c.port.region_code, c.departure) for c in mdh.ports_of_call if c.port] == [
        ("AUNTL", "AUS", date(2020, 2, 12)),
        ("SGSIN", "SGP", date(2020, 2, 24)),
        ("CNSHA", "CN-SH", date(2020, 3, 4)),
        ("CNNKG", "CN-JS", date(2020, 3, 7)),
    ]
    assert [answer.answer for answer in mdh.answers] == [False] * 9
    assert mdh.schedule == ()


def test_persons_joined_give_each_place_a_region() -> None:
    joined = _parse(ALL_NO).persons_joined
    assert [(p.name, [place.region_code for place in p.joined_from]) for p in joined] == [
        ("SANTOS, MARK ANTHONY", ["SGP", "PHL"]),
        ("GARCIA, ROMMEL", ["SGP"]),
    ]


def test_declaration_with_a_suspected_case_and_its_schedule() -> None:
    mdh = _parse(FEVER)
    assert mdh.warnings == ()
    assert [answer.number for answer in mdh.answers if answer.answer] == [2, 4, 7]
    assert mdh.answers[1].details == "one crew member with fever and cough since 2020-03-16"
    assert mdh.ship.visited_affected_area is True and mdh.ship.imo == "9074729" and mdh.ship.flag == "PAN"
    (case,) = mdh.schedule
    assert (case.name, case.age, case.sex, case.nationality) == ("MOROZ, TARAS", 34, "M", "UKR")
    assert case.joined_at is not None and (case.joined_at.locode, case.joined_at.region_code) == ("KRPUS", "KOR")
    assert (case.joined_on, case.onset, case.reported_to_port_medical_officer) == (
        date(2020, 3, 2),
        date(2020, 3, 16),
        False,
    )
    assert case.nature_of_illness == "fever 38.6 C, dry cough, fatigue"


def test_persons_joined_accepts_one_place_as_a_string() -> None:
    joined = _parse(FEVER).persons_joined[1]
    assert [place.locode for place in joined.joined_from] == ["KRPUS"]


def test_wrong_imo_check_digit_is_a_warning_naming_the_number() -> None:
    mdh = _parse(_changed(ALL_NO, registration_or_imo_no="IMO 9321488"))
    assert mdh.ship.imo is None
    assert _warnings(mdh) == {"$.header.registration_or_imo_no": "IMO 9321488: check digit is 8, should be 3"}


def test_unknown_locode_is_a_warning_and_keeps_its_country() -> None:
    calls = [{"port": "ITQQQ", "date_of_departure": "2020-03-01"}]
    mdh = _parse(_changed(ALL_NO, **{PORTS_KEY: calls}))
    assert _warnings(mdh) == {f"$.header.{PORTS_KEY}[0].port": "unknown UN/LOCODE 'ITQQQ'"}
    port = mdh.ports_of_call[0].port
    assert port is not None and (port.locode, port.name, port.region_code) == ("ITQQQ", None, "ITA")


@pytest.mark.parametrize(("text", "alpha3"), [("China", "CHN"), ("Italy", "ITA"), ("Philippines", "PHL")])
def test_a_country_name_is_not_mistaken_for_a_locode(text: str, alpha3: str) -> None:
    mdh = _parse(_changed(ALL_NO, arriving_from=text))
    assert mdh.warnings == ()
    assert mdh.ship.arriving_from is not None
    assert (mdh.ship.arriving_from.locode, mdh.ship.arriving_from.region_code) == (None, alpha3)


@pytest.mark.parametrize(
    ("header", "path", "message"),
    [
        ({"arriving_from": "Atlantis"}, "arriving_from", "'Atlantis' is neither a UN/LOCODE nor a country"),
        ({"date": "31/02/2020"}, "date", "31/02/2020 is not a date"),
        ({"flag_nationality": "Narnia"}, "flag_nationality", "'Narnia' is not a known country or nationality"),
        ({"gross_tonnage_ship": "big"}, "gross_tonnage_ship", "'big' is not a tonnage"),
        ({"number_of_crew_on_board": "ten"}, "number_of_crew_on_board", "'ten' is not a number"),
        (
            {"number_of_crew_on_board": -1},
            "number_of_crew_on_board",
            "'-1' is not a whole number from 0 to 999,999,999",
        ),
        ({"reinspection_required": "perhaps"}, "reinspection_required", "'perhaps' is neither yes nor no"),
        ({PORTS_KEY: "SGSIN"}, PORTS_KEY, "not a list; ignored"),
        ({PORTS_KEY: ["SGSIN"]}, f"{PORTS_KEY}[0]", "not an object; skipped"),
        ({PORTS_KEY: [{"date_of_departure": "2020-03-01"}]}, f"{PORTS_KEY}[0].port", "no port"),
    ],
)
def test_each_bad_header_box_is_a_warning_at_its_json_path(header: dict[str, Any], path: str, message: str) -> None:
    mdh = _parse(_changed(ALL_NO, **header))
    assert _warnings(mdh) == {f"$.header.{path}": message}


@pytest.mark.parametrize(
    ("departure", "message"),
    [
        ("2020-03-09", "2020-03-09 is after the declaration's date"),
        ("2020-01-20", "48 days before the declaration: older than the 30 days asked"),
    ],
)
def test_port_call_dates_are_checked_against_the_declaration(departure: str, message: str) -> None:
    calls = [{"port": "SGSIN", "date_of_departure": departure}]
    mdh = _parse(_changed(ALL_NO, **{PORTS_KEY: calls}))
    assert _warnings(mdh) == {f"$.header.{PORTS_KEY}[0].date_of_departure": message}
    assert mdh.ports_of_call[0].departure == date.fromisoformat(departure)


def test_bad_joined_from_place_names_its_index() -> None:
    joined = [{"name": "X", "joined_from": ["SGSIN", "Atlantis"]}]
    mdh = _parse(_changed(ALL_NO, persons_joined_since_voyage_start_or_past_30_days_on_request=joined))
    key = "persons_joined_since_voyage_start_or_past_30_days_on_request"
    assert _warnings(mdh) == {f"$.header.{key}[0].joined_from[1]": "'Atlantis' is neither a UN/LOCODE nor a country"}
    assert [place.locode for place in mdh.persons_joined[0].joined_from] == ["SGSIN"]


def test_missing_and_bad_answers_are_warnings() -> None:
    document = copy.deepcopy(ALL_NO)
    document["health_questions"] = [
        {"n": 1, "answer": "no"},
        {"n": 2, "answer": "dunno"},
        {"n": 12, "answer": "no"},
        "yes",
    ]
    mdh = _parse(document)
    assert [answer.answer for answer in mdh.answers] == [False] + [None] * 8
    assert _warnings(mdh)["$.health_questions[1].answer"] == "'dunno' is neither yes nor no"
    assert _warnings(mdh)["$.health_questions[2].n"] == "'12' is not a question of the form (1 to 9)"
    assert _warnings(mdh)["$.health_questions[3]"] == "not an object; skipped"
    unanswered = [w.message for w in mdh.warnings if w.segment == "$.health_questions"]
    assert unanswered == [f"question {n} is not answered" for n in range(2, 10)]


def test_answers_as_a_mapping_of_numbers() -> None:
    document = copy.deepcopy(ALL_NO)
    document["health_questions"] = {str(n): "yes" if n == 8 else "no" for n in range(1, 10)}
    mdh = _parse(document)
    assert [answer.number for answer in mdh.answers if answer.answer] == [8]
    assert mdh.warnings == ()


def test_yes_needing_particulars_without_a_schedule_is_a_warning() -> None:
    document = copy.deepcopy(FEVER)
    document[SCHEDULE_KEY] = []
    assert _warnings(_parse(document)) == {
        f"$.{SCHEDULE_KEY}": "question 4 answered yes but the schedule lists no case"
    }


def test_bad_schedule_boxes_are_warnings_and_the_case_is_kept() -> None:
    document = copy.deepcopy(FEVER)
    document[SCHEDULE_KEY][0].update(age="thirty", date_of_onset_of_symptoms="16/03/20", nationality="XYZ")
    mdh = _parse(document)
    assert _warnings(mdh) == {
        f"$.{SCHEDULE_KEY}[0].age": "'thirty' is not a number",
        f"$.{SCHEDULE_KEY}[0].date_of_onset_of_symptoms": "16/03/20 is not a date",
        f"$.{SCHEDULE_KEY}[0].nationality": "'XYZ' is not a known country or nationality",
    }
    assert mdh.schedule[0].name == "MOROZ, TARAS" and mdh.schedule[0].onset is None


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("not json", "line 1 column 1"),
        ("[]", "$"),  # JSON, but not an object
        ('{"health_questions": []}', "$.header"),
        ('{"header": {}}', "$.health_questions"),
        ('{"header": {}, "health_questions": "no"}', "$.health_questions"),
    ],
)
def test_a_file_that_is_no_declaration_is_a_format_error(text: str, position: str) -> None:
    with pytest.raises(FormatError) as raised:
        parse_mdh(text)
    assert raised.value.position == position


def test_dict_for_the_cli_has_iso_dates_and_warnings() -> None:
    plain = mdh_to_dict(_parse(_changed(FEVER, registration_or_imo_no="9074720")))
    assert plain["ship"]["declaration_date"] == "2020-03-21"
    assert plain["ports_of_call"][0] == {
        "port": {"as_written": "JPYOK", "locode": "JPYOK", "name": "Yokohama", "region_code": "JPN"},
        "departure": "2020-02-26",
    }
    assert plain["schedule"][0]["onset"] == "2020-03-16"
    assert plain["warnings"] == [
        {"segment": "$.header.registration_or_imo_no", "message": "IMO 9074720: check digit is 0, should be 9"}
    ]
    json.dumps(plain)
