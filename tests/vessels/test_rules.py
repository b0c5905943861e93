"""The vessel and crew screening rules, each on both sides of its boundary."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kouan.formats.fal import FalList, FalShip, parse_fal
from kouan.formats.fal_boxes import FalPerson
from kouan.formats.mdh import (
    QUESTIONS,
    HealthAnswer,
    JoinedPerson,
    MaritimeDeclaration,
    MdhShip,
    PortCall,
    ScheduleCase,
    parse_mdh,
)
from kouan.formats.mdh_fields import MdhPlace
from kouan.vessels.rules import (
    CREW_WINDOW_DAYS,
    VESSEL_WINDOW_DAYS,
    RegionLevel,
    highest,
    name_key,
    screen_call,
)

DATA = Path(__file__).parents[1] / "formats" / "data"
ARRIVAL = date(2020, 3, 21)


class FakeLevels:
    """``level_of`` from a dict of region -> level (or (region, day) -> level); remembers what it was asked."""

    def __init__(self, levels: dict[Any, str]) -> None:
        self.levels = levels
        self.asked: list[tuple[str, date]] = []

    def __call__(self, region: str, day: date) -> RegionLevel:
        self.asked.append((region, day))
        level = self.levels.get((region, day), self.levels.get(region, "low"))
        return RegionLevel(level, f"{region} on {day}: {level}")


def place(code: str, region: str | None = None) -> MdhPlace:
    return MdhPlace(as_written=code, locode=code, name=None, region_code=region if region else code[:2])


def call(code: str, days_before: int | None, region: str | None = None) -> PortCall:
    departure = None if days_before is None else ARRIVAL - timedelta(days=days_before)
    return PortCall(port=place(code, region), departure=departure)


def answers(yes: tuple[int, ...] = (), unanswered: tuple[int, ...] = (), details: str | None = None):
    return tuple(
        HealthAnswer(n, q, None if n in unanswered else n in yes, details if n in yes else None)
        for n, q in QUESTIONS.items()
    )


def ship(**boxes: Any) -> MdhShip:
    names = MdhShip.__dataclass_fields__
    return MdhShip(**{name: boxes.get(name) for name in names})


def case(name: str, **boxes: Any) -> ScheduleCase:
    names = ScheduleCase.__dataclass_fields__
    return ScheduleCase(**{key: boxes.get(key) for key in names if key != "name"}, name=name)


def mdh(
    calls: tuple[PortCall, ...] = (),
    *,
    joined: tuple[JoinedPerson, ...] = (),
    health: tuple[HealthAnswer, ...] | None = None,
    schedule: tuple[ScheduleCase, ...] = (),
    **boxes: Any,
) -> MaritimeDeclaration:
    return MaritimeDeclaration(ship(**boxes), calls, joined, answers() if health is None else health, schedule, ())


def fal(*names: tuple[str, str], imo: str | None = None) -> FalList:
    persons = tuple(
        FalPerson(f"row {i}", surname, given, None, None, None, None, None) for i, (surname, given) in enumerate(names)
    )
    return FalList(form=5, ship=FalShip(imo=imo), persons=persons, warnings=())


def screen(declaration: MaritimeDeclaration, levels: dict[Any, str] | None = None, **kwargs: Any):
    return screen_call(mdh=declaration, crew=kwargs.pop("crew", None), arrival=ARRIVAL,
                       level_of=FakeLevels(levels or {}), **kwargs)  # fmt: skip


def texts(reasons) -> str:
    return "\n".join(reason.text for reason in reasons)


def kinds(reasons) -> list[str]:
    return [reason.kind for reason in reasons]


# --- levels ------------------------------------------------------------------------------------------------


def test_highest_of_nothing_is_low_and_unknown_ranks_between_low_and_medium() -> None:
    assert highest([]) == "low"
    assert highest(["low", "unknown"]) == "unknown"
    assert highest(["unknown", "medium"]) == "medium"
    assert highest(["medium", "high", "low"]) == "high"


# --- ports of call -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "level"), [(VESSEL_WINDOW_DAYS, "high"), (VESSEL_WINDOW_DAYS + 1, "low")])
def test_a_port_counts_when_left_within_30_days_inclusive(days: int, level: str) -> None:
    result = screen(mdh((call("KRPUS", days, "KOR"),)), {"KOR": "high"})
    assert result.level == level


def test_the_risk_is_taken_as_known_on_the_day_the_ship_left() -> None:
    levels = FakeLevels({("KOR", ARRIVAL - timedelta(days=20)): "high"})
    result = screen_call(mdh=mdh((call("KRPUS", 20, "KOR"),)), crew=None, arrival=ARRIVAL, level_of=levels)
    assert result.level == "high"
    assert ("KOR", ARRIVAL - timedelta(days=20)) in levels.asked
    assert "left 2020-03-01" in texts(result.reasons)


def test_the_vessel_is_as_high_as_its_worst_port_with_a_reason_each_and_one_for_the_low_ones() -> None:
    calls = (call("JPYOK", 25, "JPN"), call("KRPUS", 18, "KOR"), call("CNSHA", 3, "CN-SH"), call("CNNKG", 1, "CN-JS"))
    result = screen(mdh(calls), {"JPN": "medium", "KOR": "high"})
    assert result.level == "high"
    ports = [r.text for r in result.reasons if r.kind == "port_of_call"]
    assert len(ports) == 3
    assert "JPYOK" in ports[0] and "medium" in ports[0] and "中风险" in ports[0]
    assert "KRPUS" in ports[1] and "高风险" in ports[1]
    assert "low" in ports[2] and "CNSHA 2020-03-18" in ports[2] and "CNNKG 2020-03-20" in ports[2]


def test_all_ports_low_is_low_with_electronic_clearance() -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),)))
    assert result.level == "low"
    assert result.actions == ("Electronic quarantine clearance / 电讯检疫",)


def test_a_port_without_departure_date_counts_as_known_on_arrival_and_says_so() -> None:
    levels = FakeLevels({"KOR": "medium"})
    result = screen_call(mdh=mdh((call("KRPUS", None, "KOR"),)), crew=None, arrival=ARRIVAL, level_of=levels)
    assert result.level == "medium"
    assert levels.asked[0] == ("KOR", ARRIVAL)
    assert "departure date missing" in texts(result.reasons)


def test_an_undated_low_port_still_gets_its_own_reason() -> None:
    result = screen(mdh((call("CNSHA", None, "CN-SH"),)))
    assert result.level == "low"
    assert "departure date missing" in texts(result.reasons)


def test_a_place_without_region_is_unknown_and_named() -> None:
    unplaced = PortCall(MdhPlace("XXZZZ", "XXZZZ", None, None), ARRIVAL - timedelta(days=3))
    result = screen(mdh((unplaced, call("CNSHA", 2, "CN-SH"))))
    assert result.level == "unknown"
    assert "XXZZZ" in texts(result.reasons) and "no region known" in texts(result.reasons)


def test_a_port_of_call_with_no_port_is_unknown() -> None:
    result = screen(mdh((PortCall(None, ARRIVAL - timedelta(days=3)),)))
    assert result.level == "unknown"
    assert "no port named" in texts(result.reasons)


def test_no_ports_of_call_at_all_is_unknown_and_asks_for_them() -> None:
    result = screen(mdh(()))
    assert result.level == "unknown"
    assert "no_ports" in kinds(result.reasons)
    assert "Electronic quarantine clearance / 电讯检疫" in result.actions
    assert any("missing declaration answers and departure dates" in action for action in result.actions)


def test_ports_all_older_than_the_window_are_low() -> None:
    result = screen(mdh((call("KRPUS", VESSEL_WINDOW_DAYS + 5, "KOR"),)), {"KOR": "high"})
    assert result.level == "low"
    assert "No port of call within 30 days" in texts(result.reasons)


# --- health answers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "a death on board"), (2, "suspected infectious disease"), (3, "more ill than"), (4, "ill person on board")],
)
def test_a_yes_to_questions_1_to_4_makes_the_vessel_high_whatever_the_ports(number: int, words: str) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(yes=(number,), details="since 2020-03-16")))
    assert result.level == "high"
    reason = next(r for r in result.reasons if r.kind == "health_answer")
    assert f"question {number} answered yes" in reason.text and words in reason.text
    assert "since 2020-03-16" in reason.text and f"第{number}问" in reason.text
    assert "Boarding quarantine at the anchorage before berthing / 锚地登临检疫" in result.actions
    assert {"No shore leave / 船员不得下地", "Crew change refused / 不予换班"} <= set(result.actions)


@pytest.mark.parametrize("number", [5, 6, 7, 8, 9])
def test_a_yes_to_questions_5_to_9_is_a_reason_without_raising(number: int) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(yes=(number,))))
    assert result.level == "low"
    assert f"question {number} answered yes" in texts(result.reasons)


def test_a_sanitary_measure_is_worded() -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(yes=(7,), details="disinfection")))
    assert "sanitary measure applied on board (disinfection)" in texts(result.reasons)


def test_stowaways_say_where_they_joined_when_the_details_do() -> None:
    said = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(yes=(8,), details="two, at Lagos")))
    assert "stowaways found on board; where they joined: two, at Lagos" in texts(said.reasons)
    unsaid = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(yes=(8,))))
    assert "where they joined not stated" in texts(unsaid.reasons)


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_questions_1_to_4_unanswered_make_the_vessel_at_least_unknown(number: int) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(unanswered=(number,))))
    assert result.level == "unknown"
    assert f"question {number} not answered" in texts(result.reasons)


def test_an_unanswered_question_keeps_a_higher_port_level() -> None:
    result = screen(mdh((call("KRPUS", 3, "KOR"),), health=answers(unanswered=(1, 2))), {"KOR": "medium"})
    assert result.level == "medium"


@pytest.mark.parametrize("number", [5, 6, 7, 8, 9])
def test_questions_5_to_9_unanswered_say_nothing(number: int) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=answers(unanswered=(number,))))
    assert result.level == "low"
    assert "health_answer" not in kinds(result.reasons)


def test_a_question_missing_from_the_declaration_counts_as_not_answered() -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), health=()))
    assert result.level == "unknown"
    assert kinds(result.reasons).count("health_answer") == 4


def test_an_ill_person_in_the_schedule_makes_the_vessel_high() -> None:
    ill = case("MOROZ, TARAS", nature_of_illness="fever", onset=date(2020, 3, 16))
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), schedule=(ill,)))
    assert result.level == "high"
    assert "ill_on_board" in kinds(result.reasons)


# --- crew ---------------------------------------------------------------------------------------------------


def test_names_match_whatever_the_case_spaces_commas_and_order() -> None:
    assert name_key("SANTOS, MARK ANTHONY") == name_key("Mark  anthony santos") == name_key("santos mark anthony")
    assert name_key("PARK, JI-HOON") == name_key("Ji Hoon Park")
    assert name_key("SANTOS, MARK") != name_key("SANTOS, MARK ANTHONY")


@pytest.mark.parametrize(("days", "joined"), [(CREW_WINDOW_DAYS, True), (CREW_WINDOW_DAYS + 1, False)])
def test_a_seafarer_who_joined_within_14_days_takes_the_joining_port(days: int, joined: bool) -> None:
    declaration = mdh((call("PHMNL", days, "PHL"),), joined=(JoinedPerson("REYES, ARNEL", (place("PHMNL", "PHL"),)),))
    result = screen(declaration, {"PHL": "high"}, crew=fal(("Reyes", "Arnel"), ("Wang", "Jianguo")))
    reyes, wang = result.crew
    assert (reyes.joined_at, reyes.joined_on) == (("PHMNL", ARRIVAL - timedelta(days=days)) if joined else (None, None))
    assert ("joined_at" in kinds(reyes.reasons)) is joined
    assert reyes.level == ("high" if joined else "low")  # the ship left PHMNL beyond the crew window
    assert wang.joined_at is None and wang.level == reyes.level  # aboard when the ship was at PHMNL, if within 14 days
    assert (reyes.index, reyes.surname, reyes.given_names) == (0, "Reyes", "Arnel")


def test_a_crew_change_in_a_high_risk_port_is_said_with_the_day() -> None:
    declaration = mdh((call("PHMNL", 5, "PHL"),), joined=(JoinedPerson("REYES ARNEL", (place("PHMNL", "PHL"),)),))
    reyes = screen(declaration, {"PHL": "high"}, crew=fal(("REYES", "ARNEL"))).crew[0]
    assert reyes.level == "high"
    assert "Joined from PHMNL on 2020-03-16" in texts(reyes.reasons)
    assert reyes.actions == (
        "Isolate on board / 船上隔离",
        "Refer to customs health quarantine at berthing / 靠泊后移交海关卫生检疫",
    )


def test_the_schedules_joining_date_comes_before_the_ports_departure() -> None:
    ill = case("REYES, ARNEL", joined_at=place("PHMNL", "PHL"), joined_on=ARRIVAL - timedelta(days=16))
    declaration = mdh((call("PHMNL", 10, "PHL"),), schedule=(ill,))
    reyes = screen(declaration, {"PHL": "medium"}, crew=fal(("REYES", "ARNEL"))).crew[0]
    assert reyes.joined_at is None  # 16 days before arrival, by the schedule
    assert reyes.level == "high"  # named in the schedule


def test_every_place_the_seafarer_joined_from_is_assessed_on_the_joining_day() -> None:
    joined = JoinedPerson("MOROZ, TARAS", (place("KRPUS", "KOR"), MdhPlace("UKR", None, None, "UKR")))
    levels = FakeLevels({"UKR": "medium"})
    result = screen_call(
        mdh=mdh((call("KRPUS", 6, "KOR"),), joined=(joined,)), crew=None, arrival=ARRIVAL, level_of=levels
    )
    assert result.crew[0].level == "medium"
    assert ("UKR", ARRIVAL - timedelta(days=6)) in levels.asked
    assert result.crew[0].joined_at == "KRPUS"


def test_a_joining_date_nowhere_to_be_found_is_taken_as_arrival_and_said_unknown() -> None:
    joined = JoinedPerson("MOROZ, TARAS", (place("UAODS", "UKR"),))
    levels = FakeLevels({"UKR": "medium", "KOR": "high"})
    calls = (call("KRPUS", 10, "KOR"),)
    moroz = screen_call(mdh=mdh(calls, joined=(joined,)), crew=None, arrival=ARRIVAL, level_of=levels).crew[0]
    assert (moroz.joined_at, moroz.joined_on) == ("UAODS", None)
    assert ("UKR", ARRIVAL) in levels.asked
    assert "date unknown" in texts(moroz.reasons)
    assert moroz.level == "high"  # when they joined is unknown, so every port of the crew window counts


@pytest.mark.parametrize(("departed", "counted"), [(6, False), (5, False), (4, True)])
def test_ports_after_joining_count_for_the_seafarer(departed: int, counted: bool) -> None:
    calls = (call("PHMNL", 5, "PHL"), call("KRPUS", departed, "KOR"))
    declaration = mdh(calls, joined=(JoinedPerson("REYES, ARNEL", (place("PHMNL", "PHL"),)),))
    reyes = screen(declaration, {"KOR": "high"}, crew=fal(("REYES", "ARNEL"))).crew[0]
    assert reyes.level == ("high" if counted else "low")


@pytest.mark.parametrize(("days", "level"), [(CREW_WINDOW_DAYS, "medium"), (CREW_WINDOW_DAYS + 1, "low")])
def test_a_seafarer_aboard_all_along_takes_the_ports_of_the_last_14_days(days: int, level: str) -> None:
    result = screen(mdh((call("SGSIN", days, "SGP"),)), {"SGP": "medium"}, crew=fal(("WANG", "JIANGUO")))
    assert result.level == "medium"
    assert result.crew[0].level == level
    if level == "low":
        assert "No port of call within 14 days" in texts(result.crew[0].reasons)


def test_crew_actions_by_level() -> None:
    result = screen(mdh((call("SGSIN", 3, "SGP"),)), {"SGP": "medium"}, crew=fal(("WANG", "JIANGUO")))
    assert any("登轮测温" in action for action in result.crew[0].actions)
    assert result.actions[0] == "Temperature checks of all crew reported before berthing / 靠泊前报告全体船员体温"
    assert screen(mdh((call("CNSHA", 3, "CN-SH"),)), crew=fal(("WANG", "J"))).crew[0].actions == ()


def test_a_seafarer_of_a_ship_without_ports_is_unknown() -> None:
    wang = screen(mdh(()), crew=fal(("WANG", "JIANGUO"))).crew[0]
    assert wang.level == "unknown"
    assert kinds(wang.reasons) == ["no_ports"]
    assert "核实" in wang.actions[0]


def test_a_joining_place_without_region_is_unknown() -> None:
    joined = JoinedPerson("LI, HAIBO", (MdhPlace("Atlantis", None, None, None),))
    li = screen(mdh((call("CNSHA", 3, "CN-SH"),), joined=(joined,)), crew=fal(("LI", "HAIBO"))).crew[0]
    assert li.level == "unknown"
    assert "Joined from Atlantis: no region known" in texts(li.reasons)


def test_a_seafarer_in_the_schedule_is_high_with_the_illness_and_onset() -> None:
    ill = case("REYES, ARNEL", nature_of_illness="fever 38.6 C", onset=date(2020, 3, 16))
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), schedule=(ill,)), crew=fal(("WANG", "A"), ("Reyes", "Arnel")))
    assert [c.level for c in result.crew] == ["low", "high"]
    assert "fever 38.6 C, onset 2020-03-16" in texts(result.crew[1].reasons)


def test_without_a_crew_list_the_declarations_persons_are_screened_once_each() -> None:
    joined = (JoinedPerson("MOROZ, TARAS", (place("KRPUS", "KOR"),)), JoinedPerson(None, ()))
    ill = (case("TARAS MOROZ"), case("PARK, JI-HOON"))
    result = screen(mdh((call("KRPUS", 5, "KOR"),), joined=joined, schedule=ill))
    assert [(c.surname, c.given_names) for c in result.crew] == [("MOROZ", "TARAS"), ("PARK", "JI-HOON")]
    assert [c.level for c in result.crew] == ["high", "high"]


# --- discrepancies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("declared", "flagged"), [(2, False), (3, True), (None, False)])
def test_the_declared_crew_number_against_the_crew_list(declared: int | None, flagged: bool) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), crew_on_board=declared), crew=fal(("A", "B"), ("C", "D")))
    assert bool(result.discrepancies) is flagged
    if flagged:
        assert "3 crew on board, the crew list names 2" in texts(result.discrepancies)
        assert result.discrepancies[0] in result.reasons
        assert result.level == "low"


def test_persons_joined_or_ill_but_not_on_the_crew_list() -> None:
    joined = (JoinedPerson("GARCIA, ROMMEL", ()), JoinedPerson("SANTOS, MARK", ()))
    declaration = mdh((call("CNSHA", 3, "CN-SH"),), joined=joined, schedule=(case("LI, HAIBO"),))
    result = screen(declaration, crew=fal(("SANTOS", "MARK")))
    assert kinds(result.discrepancies) == ["discrepancy", "discrepancy"]
    found = texts(result.discrepancies)
    assert "GARCIA, ROMMEL joined according to the MDH but is not on the crew list" in found
    assert "LI, HAIBO is in the MDH schedule of ill persons but not on the crew list" in found


@pytest.mark.parametrize(("listed", "flagged"), [("9074729", True), ("9321483", False), (None, False)])
def test_the_imo_number_against_the_crew_list(listed: str | None, flagged: bool) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), imo="9321483"), crew=fal(imo=listed))
    assert ("IMO number 9321483 differs" in texts(result.discrepancies)) is flagged


@pytest.mark.parametrize(("code", "flagged"), [("CNSHA", False), ("CNNKG", True)])
def test_arriving_from_a_port_not_among_the_ports_of_call(code: str, flagged: bool) -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), arriving_from=place(code, "CN-JS")))
    assert ("not among its ports of call" in texts(result.discrepancies)) is flagged


def test_ports_declared_at_an_earlier_call_but_missing_now() -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),)), earlier_ports=["CN SHA", "krpus", "KRPUS"])
    assert len(result.discrepancies) == 1
    assert "KRPUS was declared at an earlier call" in result.discrepancies[0].text


def test_no_crew_list_means_no_crew_list_differences() -> None:
    result = screen(mdh((call("CNSHA", 3, "CN-SH"),), crew_on_board=20, joined=(JoinedPerson("A B", ()),)))
    assert result.discrepancies == ()


# --- the sample files --------------------------------------------------------------------------------------


def sample(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_ocean_crest_with_a_fever_case_is_high() -> None:
    declaration = parse_mdh(sample("mdh_ocean_crest_fever.json"))
    result = screen_call(mdh=declaration, crew=None, arrival=date(2020, 3, 21), level_of=FakeLevels({"KOR": "medium"}))
    assert result.level == "high"
    assert {"health_answer", "ill_on_board", "port_of_call"} <= set(kinds(result.reasons))
    moroz, park = result.crew
    assert (moroz.surname, moroz.level) == ("MOROZ", "high")
    assert "fever 38.6 C" in texts(moroz.reasons)
    assert moroz.joined_at is None  # joined at Busan 2020-03-02 by the schedule: 19 days before arrival
    assert park.level == "low" and result.discrepancies == ()


@pytest.mark.parametrize("crew_file", ["fal5_maanshan_2020.csv"])
def test_jin_hai_fortune_with_its_crew_list(crew_file: str) -> None:
    declaration = parse_mdh(sample("mdh_jin_hai_fortune_all_no.json"))
    crew = parse_fal(sample(crew_file))
    result = screen_call(mdh=declaration, crew=crew, arrival=date(2020, 3, 9), level_of=FakeLevels({"SGP": "medium"}))
    assert result.level == "medium"
    assert result.discrepancies == ()
    assert len(result.crew) == 10
    santos = next(c for c in result.crew if c.surname == "SANTOS")
    assert (santos.joined_at, santos.joined_on) == ("SGSIN", date(2020, 2, 24))  # 14 days before arrival
    assert santos.level == "medium"


def test_jin_hai_fortune_with_a_short_crew_list_is_flagged() -> None:
    declaration = parse_mdh(sample("mdh_jin_hai_fortune_all_no.json"))
    crew = parse_fal(sample("fal5_jin_hai_fortune.json"))
    result = screen_call(mdh=declaration, crew=crew, arrival=date(2020, 3, 9), level_of=FakeLevels({}))
    found = texts(result.discrepancies)
    assert f"MDH declares 10 crew on board, the crew list names {len(crew.persons)}" in found
    assert "GARCIA, ROMMEL joined according to the MDH but is not on the crew list" in found
    assert result.level == "low"


def test_the_rules_import_no_database_or_web_framework() -> None:
    code = "import sys, kouan.vessels.rules; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not loaded & {"sqlalchemy", "fastapi", "starlette", "ibis", "duckdb", "psycopg"}
