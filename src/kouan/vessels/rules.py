"""Screening a ship's call: the vessel by its ports of call and health answers, each seafarer by where they joined.

Pure: the caller hands in the parsed Maritime Declaration of Health, the FAL Form 5 crew list (if any), the arrival
date and ``level_of``, which says a region's level as it was known on a given day. The vessel's level is the highest of
its ports of call within :data:`VESSEL_WINDOW_DAYS` (each taken on the day the ship left it), and "high" whenever the
declaration answers yes to questions 1-4 or lists an ill person. Each seafarer's level is the highest of where they
joined (when within :data:`CREW_WINDOW_DAYS`), the ports the ship called at while they were on board within that
window, and "high" when the schedule of ill persons names them. Differences between the declaration, the crew list and
earlier calls are flagged without raising any level. Levels rank low < unknown < medium < high, as
:data:`kouan.measures.ranks.LEVEL_RANK` (pure, as this module).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kouan.formats.fal import FalList
from kouan.formats.mdh import HealthAnswer, JoinedPerson, MaritimeDeclaration, PortCall, ScheduleCase
from kouan.formats.mdh_fields import MdhPlace
from kouan.measures.ranks import HIGH, LEVEL_RANK, LOW, UNKNOWN
from kouan.vessels import rules_text as words

VESSEL_WINDOW_DAYS = 30
CREW_WINDOW_DAYS = 14
RAISING = (1, 2, 3, 4)  # MDH questions whose "yes" makes the vessel high


@dataclass(frozen=True)
class RegionLevel:
    level: str  # "low" | "unknown" | "medium" | "high"
    text: str  # "Singapore 14-day rate 3.1 per 100k on 2020-03-09 (JHU CSSE): medium", worded by the caller


LevelOf = Callable[[str, date], RegionLevel]  # (kouan region code, day) -> the region's level as known on that day


@dataclass(frozen=True)
class Reason:
    kind: str  # "port_of_call" | "joined_at" | "health_answer" | "ill_on_board" | "discrepancy" | "no_ports"
    text: str  # "English / 中文"


@dataclass(frozen=True)
class CrewResult:
    index: int  # position in the crew list (0-based)
    surname: str
    given_names: str
    level: str
    reasons: tuple[Reason, ...]
    actions: tuple[str, ...]
    joined_at: str | None  # UN/LOCODE (or the place as written) where they joined within the window, if they did
    joined_on: date | None


@dataclass(frozen=True)
class VesselResult:
    level: str
    reasons: tuple[Reason, ...]
    actions: tuple[str, ...]
    crew: tuple[CrewResult, ...]
    discrepancies: tuple[Reason, ...]
    arrival: date


@dataclass(frozen=True)
class _Finding:
    level: str
    reason: Reason


@dataclass(frozen=True)
class _Person:
    surname: str
    given_names: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class _Joining:
    places: tuple[MdhPlace, ...]
    day: date | None  # None: the date is unknown


def screen_call(
    *,
    mdh: MaritimeDeclaration,
    crew: FalList | None,
    arrival: date,
    level_of: LevelOf,
    earlier_ports: Sequence[str] = (),
) -> VesselResult:
    """The vessel's level, reasons and actions, each seafarer's, and the differences between the documents."""
    findings = [*_answers(mdh), *_ill_cases(mdh), *_vessel_ports(mdh, arrival=arrival, level_of=level_of)]
    level = highest(found.level for found in findings)
    discrepancies = tuple(_discrepancies(mdh=mdh, crew=crew, earlier_ports=earlier_ports))
    people = _persons(mdh=mdh, crew=crew)
    screened = tuple(
        _screen_person(index=index, person=person, mdh=mdh, arrival=arrival, level_of=level_of)
        for index, person in enumerate(people)
    )
    reasons = tuple(found.reason for found in findings) + discrepancies
    return VesselResult(level, reasons, words.VESSEL_ACTIONS[level], screened, discrepancies, arrival)


def highest(levels: Iterable[str]) -> str:
    """The highest of ``levels`` (low < unknown < medium < high); "low" when there are none."""
    return max([LOW, *levels], key=LEVEL_RANK.__getitem__)


# --- the vessel ---------------------------------------------------------------------------------------------


def _answers(mdh: MaritimeDeclaration) -> list[_Finding]:
    given = {answer.number: answer for answer in mdh.answers}
    found = (_answer(number, given.get(number)) for number in words.QUESTION_SHORT)
    return [finding for finding in found if finding is not None]


def _answer(number: int, answer: HealthAnswer | None) -> _Finding | None:
    if answer is not None and answer.answer:
        text = words.answer_yes_text(number=number, details=answer.details)
        return _Finding(HIGH if number in RAISING else LOW, Reason("health_answer", text))
    if (answer is None or answer.answer is None) and number in RAISING:
        return _Finding(UNKNOWN, Reason("health_answer", words.answer_missing_text(number)))
    return None


def _ill_cases(mdh: MaritimeDeclaration) -> list[_Finding]:
    return [_ill(case) for case in mdh.schedule]


def _ill(case: ScheduleCase) -> _Finding:
    text = words.ill_text(name=case.name or "an unnamed person", illness=case.nature_of_illness, onset=case.onset)
    return _Finding(HIGH, Reason("ill_on_board", text))


def _vessel_ports(mdh: MaritimeDeclaration, *, arrival: date, level_of: LevelOf) -> list[_Finding]:
    if not mdh.ports_of_call:
        text = words.no_ports_text(arrival=arrival, days=VESSEL_WINDOW_DAYS)
        return [_Finding(UNKNOWN, Reason("no_ports", text))]
    calls = _within(mdh.ports_of_call, arrival=arrival, days=VESSEL_WINDOW_DAYS)
    return _ports(calls, arrival=arrival, level_of=level_of, days=VESSEL_WINDOW_DAYS)


def _within(calls: Iterable[PortCall], *, arrival: date, days: int) -> tuple[PortCall, ...]:
    """Calls left at most ``days`` before arrival (inclusive); a call without a departure date always counts."""
    return tuple(call for call in calls if call.departure is None or (arrival - call.departure).days <= days)


def _ports(calls: Sequence[PortCall], *, arrival: date, level_of: LevelOf, days: int) -> list[_Finding]:
    """A finding per port that is not plainly low, and one summarising the low ones."""
    if not calls:
        return [_Finding(LOW, Reason("port_of_call", words.no_recent_ports_text(arrival=arrival, days=days)))]
    findings, low = [], []
    for call in calls:
        found = _port(call, arrival=arrival, level_of=level_of)
        if found.level == LOW and call.departure is not None and call.port is not None:
            low.append(f"{words.place_label(call.port)} {call.departure}")
        else:
            findings.append(found)
    if low:
        findings.append(_Finding(LOW, Reason("port_of_call", words.ports_low_text(low))))
    return findings


def _port(call: PortCall, *, arrival: date, level_of: LevelOf) -> _Finding:
    place = call.port
    if place is None or place.region_code is None:
        return _Finding(UNKNOWN, Reason("port_of_call", words.port_unplaced_text(place)))
    risk = level_of(place.region_code, call.departure or arrival)
    if call.departure is None:
        text = words.port_undated_text(place=place, arrival=arrival, risk=risk.text, level=risk.level)
    else:
        text = words.port_text(place=place, departure=call.departure, risk=risk.text, level=risk.level)
    return _Finding(risk.level, Reason("port_of_call", text))


# --- the crew -----------------------------------------------------------------------------------------------


def name_key(text: str) -> tuple[str, ...]:
    """The words of a name, upper case and sorted: "SANTOS, Mark  Anthony" and "MARK ANTHONY SANTOS" match."""
    return tuple(sorted(re.findall(r"[^\W_]+", text.upper())))


def _split_name(name: str) -> _Person:
    surname, _, given = name.partition(",") if "," in name else (name, "", "")
    return _Person(surname=surname.strip(), given_names=given.strip(), key=name_key(name))


def _persons(*, mdh: MaritimeDeclaration, crew: FalList | None) -> list[_Person]:
    """The crew list's persons or, without one, those the declaration says joined or were ill."""
    if crew is not None:
        return [_Person(p.surname, p.given_names, name_key(f"{p.surname} {p.given_names}")) for p in crew.persons]
    names = [joined.name for joined in mdh.persons_joined] + [case.name for case in mdh.schedule]
    people: dict[tuple[str, ...], _Person] = {}
    for name in names:
        if name and name_key(name) not in people:
            people[name_key(name)] = _split_name(name)
    return list(people.values())


def _screen_person(
    *, index: int, person: _Person, mdh: MaritimeDeclaration, arrival: date, level_of: LevelOf
) -> CrewResult:
    case = next((case for case in mdh.schedule if case.name and name_key(case.name) == person.key), None)
    joining = _joining(person=person, case=case, mdh=mdh, arrival=arrival)
    findings = _exposure(joining, mdh=mdh, arrival=arrival, level_of=level_of) + ([_ill(case)] if case else [])
    level = highest(found.level for found in findings)
    reasons = tuple(found.reason for found in findings)
    place = joining.places[0] if joining and joining.places else None
    joined_at = (place.locode or place.as_written) if place else None
    return CrewResult(
        index, person.surname, person.given_names, level, reasons, words.CREW_ACTIONS[level], joined_at,
        joining.day if joining else None,
    )  # fmt: skip


def _joining(*, person: _Person, case: ScheduleCase | None, mdh: MaritimeDeclaration, arrival: date) -> _Joining | None:
    """Where and when the person joined, when that was within the crew window (or on an unknown day)."""
    joined = next((j for j in mdh.persons_joined if j.name and name_key(j.name) == person.key), None)
    places = _joined_places(case=case, joined=joined)
    if not places and (case is None or case.joined_on is None):
        return None
    day = case.joined_on if case is not None and case.joined_on else _departure_from(places, mdh=mdh)
    if day is not None and (arrival - day).days > CREW_WINDOW_DAYS:
        return None
    return _Joining(places=places, day=day)


def _joined_places(*, case: ScheduleCase | None, joined: JoinedPerson | None) -> tuple[MdhPlace, ...]:
    places = ([case.joined_at] if case is not None and case.joined_at else []) + list(
        joined.joined_from if joined else ()
    )
    unique: list[MdhPlace] = []
    for place in places:
        if not any(_same_place(place, seen) for seen in unique):
            unique.append(place)
    return tuple(unique)


def _departure_from(places: tuple[MdhPlace, ...], *, mdh: MaritimeDeclaration) -> date | None:
    """The ship's (latest) departure from the port where the person joined, if it is among the ports of call."""
    days = [c.departure for c in mdh.ports_of_call if c.departure and places and _same_place(c.port, places[0])]
    return max(days, default=None)


def _same_place(one: MdhPlace | None, other: MdhPlace | None) -> bool:
    if one is None or other is None:
        return False
    if one.locode and other.locode:
        return one.locode == other.locode
    return _code(one.as_written) == _code(other.as_written)


def _code(text: str) -> str:
    return "".join(text.upper().split())


def _exposure(
    joining: _Joining | None, *, mdh: MaritimeDeclaration, arrival: date, level_of: LevelOf
) -> list[_Finding]:
    calls = _within(mdh.ports_of_call, arrival=arrival, days=CREW_WINDOW_DAYS)
    if joining is None:
        if not mdh.ports_of_call:
            return [_Finding(UNKNOWN, Reason("no_ports", words.no_ports_text(arrival=arrival, days=CREW_WINDOW_DAYS)))]
        return _ports(calls, arrival=arrival, level_of=level_of, days=CREW_WINDOW_DAYS)
    joined = [_joined_at(place, day=joining.day, arrival=arrival, level_of=level_of) for place in joining.places]
    day = joining.day
    after = [call for call in calls if day is None or call.departure is None or call.departure > day]
    return joined + (_ports(after, arrival=arrival, level_of=level_of, days=CREW_WINDOW_DAYS) if after else [])


def _joined_at(place: MdhPlace, *, day: date | None, arrival: date, level_of: LevelOf) -> _Finding:
    if place.region_code is None:
        return _Finding(UNKNOWN, Reason("joined_at", words.joined_unplaced_text(place)))
    risk = level_of(place.region_code, day or arrival)
    return _Finding(
        risk.level, Reason("joined_at", words.joined_text(place=place, day=day, risk=risk.text, level=risk.level))
    )


# --- differences between the documents ----------------------------------------------------------------------


def _discrepancies(*, mdh: MaritimeDeclaration, crew: FalList | None, earlier_ports: Sequence[str]) -> list[Reason]:
    texts = _crew_differences(mdh=mdh, crew=crew) if crew is not None else []
    texts += _arriving_from(mdh) + _earlier(mdh=mdh, earlier_ports=earlier_ports)
    return [Reason("discrepancy", text) for text in texts]


def _crew_differences(*, mdh: MaritimeDeclaration, crew: FalList) -> list[str]:
    texts = []
    declared, listed = mdh.ship.crew_on_board, len(crew.persons)
    if declared is not None and declared != listed:
        texts.append(words.crew_count_text(declared=declared, listed=listed))
    if mdh.ship.imo and crew.ship.imo and mdh.ship.imo != crew.ship.imo:
        texts.append(words.imo_text(declared=mdh.ship.imo, listed=crew.ship.imo))
    return texts + _missing_names(mdh=mdh, crew=crew)


def _missing_names(*, mdh: MaritimeDeclaration, crew: FalList) -> list[str]:
    on_list = {name_key(f"{p.surname} {p.given_names}") for p in crew.persons}
    joined = [j.name for j in mdh.persons_joined if j.name and name_key(j.name) not in on_list]
    ill = [c.name for c in mdh.schedule if c.name and name_key(c.name) not in on_list]
    return [words.not_on_list_text(name=name, ill=False) for name in joined] + [
        words.not_on_list_text(name=name, ill=True) for name in ill
    ]


def _arriving_from(mdh: MaritimeDeclaration) -> list[str]:
    place = mdh.ship.arriving_from
    if place is None or any(_same_place(place, call.port) for call in mdh.ports_of_call):
        return []
    return [words.arriving_from_text(place)]


def _earlier(*, mdh: MaritimeDeclaration, earlier_ports: Sequence[str]) -> list[str]:
    declared = {_code(call.port.locode or call.port.as_written) for call in mdh.ports_of_call if call.port}
    missing = dict.fromkeys(_code(code) for code in earlier_ports if _code(code) not in declared)
    return [words.earlier_port_text(code) for code in missing if code]
