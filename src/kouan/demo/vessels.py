"""A week of ship calls at a Yangtze river port (Ma'anshan) in March 2020: Maritime Declarations of Health and crews.

``week_of_calls()`` gives nine calls over seven days, each with a Maritime Declaration of Health (JSON, as
:func:`kouan.formats.mdh.parse_mdh` reads it, dated the day before arrival) and a FAL Form 5 crew list (CSV with the
form's box names, as :func:`kouan.formats.fal.parse_fal` reads it). The ships, their routes, crew changes and the
answers that matter are in ``data/vessels.json``; the crews (names, ages, birthplaces, documents) are drawn from
``random.Random`` seeded with ``(seed, ship)``, so a seed always gives the same week. Planted on purpose: a fever
on board (question 4, with its schedule), a suspected infectious disease during the voyage (question 2), an
unanswered question, a crew count that differs from the crew list, and a joiner who is not on the crew list.
The ships are fictitious: their IMO numbers have a valid check digit but lie below 5000000, never issued to ships.
"""

from __future__ import annotations

import csv
import io
import json
import random
import string
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

from kouan.demo.names import given_name, surname
from kouan.demo.tables import read_json

LOCAL = timezone(timedelta(hours=8), "CST")  # China Standard Time, at every Chinese river port
DATE_STYLES = {"iso": "%Y-%m-%d", "dots": "%d.%m.%Y", "named": "%d %b %Y"}
RECOVERY_DAYS = 8  # chickenpox: blisters crusted and out of isolation
FAL_SHIP_BOXES = (
    "1.1 Name of ship",
    "1.2 IMO number",
    "1.3 Call sign",
    "1.4 Voyage number",
    "2 Port of arrival/departure",
    "3 Date of arrival/departure",
    "4 Flag State of ship",
    "5 Last port of call",
)
FAL_HEADING = (
    "6 No.",
    "7 Family name",
    "8 Given names",
    "9 Rank or rating",
    "10 Nationality",
    "11 Date and place of birth",
    "12 Nature and No. of identity document",
)


@dataclass(frozen=True)
class DemoCall:
    ship: str  # name
    imo: str  # 7 digits, valid check digit (fictitious)
    eta: datetime  # UTC, aware
    mdh_json: str  # Maritime Declaration of Health, submitted at the port the day before arrival
    crew_csv: str  # FAL Form 5 crew list, CSV with the form's box names
    note: str  # why this call matters in the demo


@dataclass(frozen=True)
class Seafarer:
    surname: str
    given_names: str
    rank: str
    side: str  # officer | rating
    nationality: str  # alpha-3
    born: date
    birthplace: str
    document: str  # nature and number, as written in box 12
    joined: date | None = None  # when the crew change brought them on board, within the declaration's window
    joined_at: str | None = None  # where (UN/LOCODE)

    @property
    def listed_name(self) -> str:
        return f"{self.surname}, {self.given_names}"


@dataclass
class Voyage:
    """One call being built: its table row, the day it arrives (local) and its draws."""

    spec: dict[str, Any]
    arrival: date
    rng: random.Random
    taken: set[str]  # document numbers already used this week
    crew: list[Seafarer] = field(default_factory=list)

    def day(self, offset: int) -> date:
        return self.arrival + timedelta(days=offset)


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return dict(read_json("vessels.json"))


def _people(nationality: str) -> dict[str, Any]:
    return dict(_table()["people"][nationality])


# --- the crew ------------------------------------------------------------------------------------------------


def _name(rng: random.Random, nationality: str) -> tuple[str, str]:
    pools = _people(nationality)
    if "surnames" in pools:
        return rng.choice(pools["surnames"]), rng.choice(pools["given"])
    return surname(rng, nationality, "M"), given_name(rng, nationality, "M")


def _unique_name(voyage: Voyage, nationality: str) -> tuple[str, str]:
    names = {(member.surname, member.given_names) for member in voyage.crew}
    drawn = _name(voyage.rng, nationality)
    while drawn in names:
        drawn = _name(voyage.rng, nationality)
    return drawn


def _filled(rng: random.Random, pattern: str) -> str:
    pools = {"#": string.digits, "?": string.ascii_uppercase}
    return "".join(rng.choice(pools[char]) if char in pools else char for char in pattern)


def _document(voyage: Voyage, nationality: str) -> str:
    people = _people(nationality)
    nature, pattern = people["seafarer"] if voyage.spec["document"] == "seafarer" else ("Passport", people["passport"])
    number = _filled(voyage.rng, pattern)
    while number in voyage.taken:
        number = _filled(voyage.rng, pattern)
    voyage.taken.add(number)
    return f"{nature} {number}"


def _seafarer(voyage: Voyage, *, rank: str, side: str, ages: tuple[int, int]) -> Seafarer:
    nationality = voyage.spec["officers" if side == "officer" else "ratings"]
    family, given = _unique_name(voyage, nationality)
    age = voyage.rng.randint(*ages)
    born = date(voyage.arrival.year - age, 1, 1) - timedelta(days=voyage.rng.randint(0, 364))
    place = voyage.rng.choice(_people(nationality)["places"])
    document = _document(voyage, nationality)
    return Seafarer(family, given, rank, side, nationality, born, place, document)


def _ranks(size: int) -> list[tuple[str, str, tuple[int, int]]]:
    """The ``size`` most needed ranks (the table lists them by need) with their ages, in the order of a crew list."""
    order = {rank: index for index, rank in enumerate(_table()["crew_list_order"])}
    chosen = [(rank, side, (low, high)) for rank, side, low, high in _table()["ranks"][:size]]
    return sorted(chosen, key=lambda item: order[item[0]])


def _crew_change(voyage: Voyage) -> None:
    change = voyage.spec.get("change")
    if change is None:
        return
    eligible = [i for i, m in enumerate(voyage.crew) if m.nationality == change["nationality"] and m.rank != "Master"]
    for index in voyage.rng.sample(eligible, change["count"]):
        member = voyage.crew[index]
        voyage.crew[index] = replace(member, joined=voyage.day(change["day"]), joined_at=change["at"])


def _build_crew(voyage: Voyage) -> None:
    for rank, side, ages in _ranks(voyage.spec["crew"]):
        voyage.crew.append(_seafarer(voyage, rank=rank, side=side, ages=ages))
    _crew_change(voyage)


# --- FAL Form 5 ----------------------------------------------------------------------------------------------


def _nationality_box(voyage: Voyage, nationality: str) -> str:
    return _people(nationality)["demonym"] if voyage.spec["nationality"] == "demonym" else nationality


def _crew_row(voyage: Voyage, number: int, member: Seafarer) -> list[str]:
    born = member.born.strftime(DATE_STYLES[voyage.spec["dates"]]).upper()
    return [
        str(number),
        member.surname,
        member.given_names,
        member.rank,
        _nationality_box(voyage, member.nationality),
        f"{born} {member.birthplace}",
        member.document,
    ]


def _ship_rows(voyage: Voyage, port: str) -> list[list[str]]:
    spec = voyage.spec
    last = spec["ports"][-1][0]
    values = [spec["ship"], f"IMO {spec['imo']}", spec["call_sign"], spec["voyage"], port]
    values += [voyage.arrival.isoformat(), spec["flag"], last]
    return [[name, value] for name, value in zip(FAL_SHIP_BOXES, values, strict=True)]


def crew_list_csv(voyage: Voyage, port: str) -> str:
    """The FAL Form 5 crew list: the ship's boxes as ``box,value`` lines, then the form's heading and one row each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(_ship_rows(voyage, port))
    writer.writerow(FAL_HEADING)
    writer.writerows(_crew_row(voyage, number, member) for number, member in enumerate(voyage.crew, start=1))
    return out.getvalue()


# --- the Maritime Declaration of Health --------------------------------------------------------------------


def _joiners(voyage: Voyage) -> list[Seafarer]:
    return [member for member in voyage.crew if member.joined is not None]


def _persons_joined(voyage: Voyage) -> list[dict[str, Any]]:
    stranger = voyage.spec.get("stranger")
    joined = [
        {"name": m.listed_name, "joined_from": [m.joined_at, _people(m.nationality)["country"]]}
        for m in _joiners(voyage)
    ]
    if stranger is not None:
        joined.append({"name": stranger["name"], "joined_from": [stranger["at"]]})
    return joined


def _case_person(voyage: Voyage) -> Seafarer:
    who = voyage.spec["case"]["who"]
    if who == "joined":
        return voyage.rng.choice(_joiners(voyage))
    return next(member for member in voyage.crew if member.rank == who)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _values(voyage: Voyage) -> dict[str, Any]:
    """What the note and the texts of a case may name: ``{joined}``, ``{onset}``, ``{recovered}``..."""
    spec = voyage.spec
    onset = voyage.day(spec["case"]["onset"]) if "case" in spec else None
    return {
        "joined": voyage.day(spec["change"]["day"]).isoformat() if "change" in spec else None,
        "onset": onset.isoformat() if onset else None,
        "recovered": (onset + timedelta(days=RECOVERY_DAYS)).isoformat() if onset else None,
        "declared": spec.get("declared_crew", spec["crew"]),
        "listed": len(voyage.crew),
        "stranger": spec["stranger"]["name"] if "stranger" in spec else None,
    }


def _signed_on(voyage: Voyage) -> tuple[str, date]:
    """Where and when a case who did not join in the declaration's window signed on (``case.joined_at``)."""
    locode, offset = voyage.spec["case"]["joined_at"]
    return locode, voyage.day(offset)


def _schedule(voyage: Voyage, person: Seafarer) -> list[dict[str, Any]]:
    case, values, declared = voyage.spec["case"], _values(voyage), voyage.day(-1)
    joined_at, joined_on = (person.joined_at, person.joined) if person.joined else _signed_on(voyage)
    return [
        {
            "name": person.listed_name,
            "class_or_rating": person.rank,
            "age": _age_on(person.born, declared),
            "sex": "M",
            "nationality": person.nationality,
            "port_joined": joined_at,
            "date_joined": joined_on.isoformat() if joined_on else None,
            "nature_of_illness": case["illness"],
            "date_of_onset_of_symptoms": values["onset"],
            "reported_to_port_medical_officer": case["reported"],
            "disposal_of_case": case["disposal"].format(**values),
            "drugs_medicines_or_other_treatment_given": case["treatment"],
            "comments": case["comments"].format(**values),
        }
    ]


def _answers(voyage: Voyage) -> list[dict[str, Any]]:
    details = voyage.spec["case"]["answers"] if "case" in voyage.spec else {}
    answers: list[dict[str, Any]] = []
    for number in range(1, 10):
        answer: dict[str, Any] = {"n": number, "answer": "yes" if str(number) in details else "no"}
        if str(number) in details:
            answer["details"] = details[str(number)].format(**_values(voyage))
        if voyage.spec.get("unanswered") == number:
            answer["answer"] = ""
        answers.append(answer)
    return answers


def _affected(voyage: Voyage) -> tuple[str, str | None]:
    locode = voyage.spec.get("affected")
    if locode is None:
        return "no", None
    offset = next(day for port, day in voyage.spec["ports"] if port == locode)
    return "yes", f"{locode} {voyage.day(offset).isoformat()}"


def _ship_header(voyage: Voyage, port: str) -> dict[str, Any]:
    spec, master = voyage.spec, voyage.crew[0]
    certificate_at, certificate_day = spec["ssc"]
    return {
        "submitted_at_port": port,
        "date": voyage.day(-1).isoformat(),
        "ship_name": spec["ship"],
        "registration_or_imo_no": spec["imo"],
        "arriving_from": spec["ports"][-1][0],
        "sailing_to": port,
        "flag_nationality": spec["flag"],
        "master_name": f"{master.surname} {master.given_names}",
        "gross_tonnage_ship": spec["gross_tonnage"],
        "tonnage_inland_vessel": None,
        "valid_sanitation_control_exemption_or_control_certificate_on_board": "yes",
        "ssc_issued_at": certificate_at,
        "ssc_issue_date": voyage.day(certificate_day).isoformat(),
        "reinspection_required": "no",
    }


def _voyage_header(voyage: Voyage) -> dict[str, Any]:
    visited, visit = _affected(voyage)
    return {
        "visited_affected_area_identified_by_WHO": visited,
        "affected_area_port_and_date_of_visit": visit,
        "ports_of_call_since_voyage_start_or_past_30_days_whichever_shorter": [
            {"port": locode, "date_of_departure": voyage.day(offset).isoformat()}
            for locode, offset in voyage.spec["ports"]
        ],
        "persons_joined_since_voyage_start_or_past_30_days_on_request": _persons_joined(voyage),
        "number_of_crew_on_board": voyage.spec.get("declared_crew", len(voyage.crew)),
        "number_of_passengers_on_board": 0,
    }


def declaration_json(voyage: Voyage, port: str) -> str:
    """The Maritime Declaration of Health, dated the day before arrival, as ``parse_mdh`` reads it."""
    schedule = _schedule(voyage, _case_person(voyage)) if "case" in voyage.spec else []
    master = f"{voyage.crew[0].surname} {voyage.crew[0].given_names}"
    document = {
        "header": {**_ship_header(voyage, port), **_voyage_header(voyage)},
        "health_questions": _answers(voyage),
        "attachment_schedule_per_case": schedule,
        "signature": {"master": master, "ship_surgeon": None},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- the week ------------------------------------------------------------------------------------------------


def _eta(rng: random.Random, arrival: date) -> datetime:
    local = datetime.combine(arrival, time(rng.randint(8, 23), rng.choice((0, 15, 30, 45))), tzinfo=LOCAL)
    return local.astimezone(UTC)


def _call(spec: dict[str, Any], *, start: date, port: str, seed: int, taken: set[str]) -> DemoCall:
    arrival = start + timedelta(days=spec["eta_day"])
    voyage = Voyage(spec, arrival, random.Random(f"{seed}:{spec['ship']}"), taken)
    _build_crew(voyage)
    eta = _eta(voyage.rng, arrival)
    mdh = declaration_json(voyage, port)
    note = spec["note"].format(**_values(voyage))
    return DemoCall(spec["ship"], spec["imo"], eta, mdh, crew_list_csv(voyage, port), note)


def week_of_calls(*, start: date = date(2020, 3, 9), port: str = "CNMAA", seed: int = 2020) -> list[DemoCall]:
    """Nine calls at ``port`` arriving over the seven days from ``start`` (local time), ordered by arrival."""
    taken: set[str] = set()
    calls = [_call(spec, start=start, port=port, seed=seed, taken=taken) for spec in _table()["calls"]]
    return sorted(calls, key=lambda call: call.eta)
