"""Screening adds the entry policies in force and the special arrival zone (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from kouan.audit.models import AuditEvent
from kouan.formats.paxlst import parse_paxlst
from kouan.measures.designations import add_zone, designate
from kouan.measures.models import ArrivalZoneCreate, DesignationCreate, RegionDesignation
from kouan.screening.policy import CHECK_VISA
from kouan.screening.service import screen_voyage
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from tests.support.messages import crew_list, passenger_list


def screen(session: Session, raw: str):
    result = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK")
    voyage = get_voyage(session=session, voyage_id=result.voyage_id)
    assert voyage is not None
    return screen_voyage(session=session, voyage=voyage)


def test_a_beijing_bound_flight_after_march_23_is_diverted_to_a_designated_point(session: Session) -> None:
    screening = screen(session, passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003231830")]))
    rossi = screening.results[0]
    assert rossi.policy is not None and rossi.policy.decision == "divert"
    assert screening.policy is not None and "TSN" in screening.policy["rules"][0]["divert_to"]
    assert any("designated point of entry" in a and "PVG" in a for a in rossi.actions)


def test_the_day_before_phase_two_an_unnamed_flight_is_not_diverted(session: Session) -> None:
    screening = screen(session, passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003200830")]))
    assert screening.policy is None
    assert screening.results[0].policy is not None and screening.results[0].policy.decision == "allowed_with_conditions"
    assert [r["id"] for r in screening.results[0].policy.rules] == ["R1"]


def test_after_march_28_foreigners_get_a_visa_check_and_nationals_do_not(session: Session) -> None:
    legs = [("ICN", "TSN", "2003290830")]
    foreigner = screen(session, passenger_list(names=["KIM:MINSU"], legs=legs, nationality="KOR", number="CA124"))
    national = screen(session, passenger_list(names=["LI:WEI"], legs=legs, nationality="CHN", number="CA126"))
    assert CHECK_VISA in foreigner.results[0].actions
    assert CHECK_VISA not in national.results[0].actions


def test_flights_from_high_risk_origins_go_to_the_special_arrival_zone(session: Session) -> None:
    add_zone(session=session, item=ArrivalZoneCreate(airport="PEK", code="T3-D", name="T3-D special zone"), actor="a")
    rome = screen(session, passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003201830")]))
    ulaanbaatar = screen(
        session, passenger_list(names=["BATAA:BOLD"], legs=[("ULN", "PEK", "2003201030")], carrier="OM", number="OM223")
    )
    assert rome.zone == "T3-D special zone" and "FCO" in (rome.zone_reason or "")
    assert ulaanbaatar.zone is None


def test_an_analysts_designation_raises_the_level_and_says_so(session: Session) -> None:
    designate(
        session=session,
        item=DesignationCreate(region_code="MNG", level="high", valid_from=date(2020, 3, 1), reason="cluster"),
        actor="analyst1",
    )
    session.execute(update(RegionDesignation).values(recorded_at=datetime(2020, 3, 2, tzinfo=UTC)))
    screening = screen(
        session, passenger_list(names=["BATAA:BOLD"], legs=[("ULN", "PEK", "2003201030")], carrier="OM", number="OM223")
    )
    bataa = screening.results[0]
    assert bataa.level == "high" and "designated high by analysts" in bataa.reasons[0].text
    session.execute(delete(RegionDesignation))
    session.execute(delete(AuditEvent))


def test_a_passengers_visa_from_2019_is_refused_after_march_28_and_crew_are_not(session: Session) -> None:
    legs = [("FRA", "TSN", "2003281830")]
    passenger = screen(
        session, passenger_list(names=["MUELLER:HANS"], legs=legs, nationality="DEU", visa_issued=date(2019, 11, 1))
    )
    crew = screen(session, crew_list(names=["WEBER:ANNA"], legs=legs, visa_issued=date(2019, 11, 1)))
    hans, anna = passenger.results[0], next(r for r in crew.results if r.surname == "WEBER")
    assert hans.policy is not None and hans.policy.decision == "refuse_entry"
    assert any(r["id"] == "R3" and "国家移民管理局" in r["source"] for r in hans.policy.rules)
    assert any("Refuse entry" in a for a in hans.actions)
    assert anna.policy is not None and anna.policy.decision != "refuse_entry"


def test_a_visa_issued_after_the_announcement_is_not_refused(session: Session) -> None:
    raw = passenger_list(
        names=["MUELLER:HANS"], legs=[("FRA", "TSN", "2003281830")], nationality="DEU", visa_issued=date(2020, 3, 27)
    )
    assert screen(session, raw).results[0].policy.decision != "refuse_entry"  # type: ignore[union-attr]
