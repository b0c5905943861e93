"""The Maritime Declaration of Health (IHR 2005, Annex 8) as JSON: parse, check, and the CLI dict.

The JSON follows the form (``shared/data/samples/vessel/mdh_ihr2005_annex8_fields.json``): a ``header`` with the
ship's particulars, the ports of call since the voyage began or in the last 30 days (``port``,
``date_of_departure``) and the persons who joined (``name``, ``joined_from``); ``health_questions`` as
``[{"n": 1, "answer": "no"}, ...]``; and ``attachment_schedule_per_case``, one object per ill person. Ports are
UN/LOCODEs (a country is accepted where the form allows one). Every bad box is a warning naming its JSON path;
only a file that is no declaration at all raises FormatError.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from kouan.formats.fal_fields import FieldProblem, read_nationality
from kouan.formats.mdh_fields import Boxes, MdhPlace, imo, objects, tonnage, whole_number, yes_no
from kouan.formats.records import FormatError, ParseWarning, json_object

QUESTIONS = {
    1: "Has any person died on board during the voyage otherwise than as a result of accident?",
    2: "Is there on board or has there been during the international voyage any case of disease which you "
    "suspect to be of an infectious nature?",
    3: "Has the total number of ill passengers during the voyage been greater than normal/expected?",
    4: "Is there any ill person on board now?",
    5: "Was a medical practitioner consulted?",
    6: "Are you aware of any condition on board which may lead to infection or spread of disease?",
    7: "Has any sanitary measure (e.g. quarantine, isolation, disinfection or decontamination) been applied on board?",
    8: "Have any stowaways been found on board?",
    9: "Is there a sick animal or pet on board?",
}
SCHEDULED = (1, 2, 4, 5, 6)  # a "yes" to these asks for particulars in the schedule
LOOK_BACK_DAYS = 30
PORTS_KEY = "ports_of_call_since_voyage_start_or_past_30_days_whichever_shorter"
JOINED_KEY = "persons_joined_since_voyage_start_or_past_30_days_on_request"
SCHEDULE_KEY = "attachment_schedule_per_case"


@dataclass(frozen=True)
class PortCall:
    port: MdhPlace | None
    departure: date | None


@dataclass(frozen=True)
class JoinedPerson:
    name: str | None
    joined_from: tuple[MdhPlace, ...]


@dataclass(frozen=True)
class HealthAnswer:
    number: int
    question: str
    answer: bool | None  # None when not answered
    details: str | None = None


@dataclass(frozen=True)
class ScheduleCase:
    name: str | None
    class_or_rating: str | None
    age: int | None
    sex: str | None
    nationality: str | None  # alpha-3
    joined_at: MdhPlace | None
    joined_on: date | None
    nature_of_illness: str | None
    onset: date | None
    reported_to_port_medical_officer: bool | None
    disposal: str | None
    treatment: str | None
    comments: str | None


@dataclass(frozen=True)
class MdhShip:
    submitted_at_port: MdhPlace | None
    declaration_date: date | None
    name: str | None
    imo: str | None  # seven digits, check digit verified
    arriving_from: MdhPlace | None
    sailing_to: MdhPlace | None
    flag: str | None  # alpha-3
    master: str | None
    gross_tonnage: float | None
    sanitation_certificate_on_board: bool | None
    certificate_issued_at: MdhPlace | None
    certificate_issued_on: date | None
    reinspection_required: bool | None
    visited_affected_area: bool | None
    affected_area_visit: str | None
    crew_on_board: int | None
    passengers_on_board: int | None


@dataclass(frozen=True)
class MaritimeDeclaration:
    ship: MdhShip
    ports_of_call: tuple[PortCall, ...]
    persons_joined: tuple[JoinedPerson, ...]
    answers: tuple[HealthAnswer, ...]
    schedule: tuple[ScheduleCase, ...]
    warnings: tuple[ParseWarning, ...]


def _document(text: str) -> dict[str, Any]:
    document = json_object(text)
    if not isinstance(document.get("header"), dict):
        raise FormatError(position="$.header", message="no header object: not a Maritime Declaration of Health")
    if not isinstance(document.get("health_questions"), list | dict):
        raise FormatError(
            position="$.health_questions", message="no health questions: not a Maritime Declaration of Health"
        )
    return document


def _ship(boxes: Boxes) -> MdhShip:
    return MdhShip(
        submitted_at_port=boxes.place("submitted_at_port"),
        declaration_date=boxes.day("date"),
        name=boxes.text("ship_name"),
        imo=boxes.read("registration_or_imo_no", imo),
        arriving_from=boxes.place("arriving_from"),
        sailing_to=boxes.place("sailing_to"),
        flag=boxes.read("flag_nationality", read_nationality),
        master=boxes.text("master_name"),
        gross_tonnage=boxes.read("gross_tonnage_ship", tonnage),
        sanitation_certificate_on_board=boxes.read(
            "valid_sanitation_control_exemption_or_control_certificate_on_board", yes_no
        ),
        certificate_issued_at=boxes.place("ssc_issued_at"),
        certificate_issued_on=boxes.day("ssc_issue_date"),
        reinspection_required=boxes.read("reinspection_required", yes_no),
        visited_affected_area=boxes.read("visited_affected_area_identified_by_WHO", yes_no),
        affected_area_visit=boxes.text("affected_area_port_and_date_of_visit"),
        crew_on_board=boxes.read("number_of_crew_on_board", whole_number),
        passengers_on_board=boxes.read("number_of_passengers_on_board", whole_number),
    )


def _port_call(boxes: Boxes, declared_on: date | None) -> PortCall:
    call = PortCall(port=boxes.place("port"), departure=boxes.day("date_of_departure"))
    if call.port is None:
        boxes.warn("port", "no port")
    if call.departure is not None and declared_on is not None:
        _check_departure(boxes, departure=call.departure, declared_on=declared_on)
    return call


def _check_departure(boxes: Boxes, *, departure: date, declared_on: date) -> None:
    days = (declared_on - departure).days
    if days < 0:
        boxes.warn("date_of_departure", f"{departure.isoformat()} is after the declaration's date")
    elif days > LOOK_BACK_DAYS:
        boxes.warn(
            "date_of_departure", f"{days} days before the declaration: older than the {LOOK_BACK_DAYS} days asked"
        )


def _joined_place(boxes: Boxes, *, index: int, text: str) -> MdhPlace | None:
    key = f"joined_from[{index}]"
    try:
        return boxes.place_of(text, key)
    except FieldProblem as problem:
        boxes.warn(key, str(problem))
        return None


def _joined(boxes: Boxes) -> JoinedPerson:
    raw = boxes.value.get("joined_from")
    texts = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    places = [_joined_place(boxes, index=index, text=str(text)) for index, text in enumerate(texts) if text]
    return JoinedPerson(name=boxes.text("name"), joined_from=tuple(p for p in places if p is not None))


def _case(boxes: Boxes) -> ScheduleCase:
    return ScheduleCase(
        name=boxes.text("name"),
        class_or_rating=boxes.text("class_or_rating"),
        age=boxes.read("age", whole_number),
        sex=(boxes.text("sex") or "").upper()[:1] or None,
        nationality=boxes.read("nationality", read_nationality),
        joined_at=boxes.place("port_joined"),
        joined_on=boxes.day("date_joined"),
        nature_of_illness=boxes.text("nature_of_illness"),
        onset=boxes.day("date_of_onset_of_symptoms"),
        reported_to_port_medical_officer=boxes.read("reported_to_port_medical_officer", yes_no),
        disposal=boxes.text("disposal_of_case"),
        treatment=boxes.text("drugs_medicines_or_other_treatment_given"),
        comments=boxes.text("comments"),
    )


def _answer_boxes(document: dict[str, Any], warnings: list[ParseWarning]) -> dict[int, Boxes]:
    questions = document["health_questions"]
    if isinstance(questions, dict):  # {"1": "no", ...}
        questions = [{"n": key, "answer": value} for key, value in questions.items()]
    found: dict[int, Boxes] = {}
    for boxes in objects(questions, path="$.health_questions", warnings=warnings):
        number = boxes.read("n", whole_number)
        if number not in QUESTIONS:
            boxes.warn("n", f"{boxes.text('n')!r} is not a question of the form (1 to 9)")
        else:
            found[number] = boxes
    return found


def _answers(document: dict[str, Any], warnings: list[ParseWarning]) -> tuple[HealthAnswer, ...]:
    found = _answer_boxes(document, warnings)
    answers = []
    for number, question in QUESTIONS.items():
        boxes = found.get(number)
        answer = boxes.read("answer", yes_no) if boxes is not None else None
        if answer is None:
            warnings.append(ParseWarning("$.health_questions", f"question {number} is not answered"))
        details = boxes.text("details") if boxes is not None else None
        answers.append(HealthAnswer(number=number, question=question, answer=answer, details=details))
    return tuple(answers)


def _check_schedule(
    answers: tuple[HealthAnswer, ...], schedule: list[ScheduleCase], warnings: list[ParseWarning]
) -> None:
    for answer in answers:
        if answer.answer and answer.number in SCHEDULED and not schedule:
            message = f"question {answer.number} answered yes but the schedule lists no case"
            warnings.append(ParseWarning(f"$.{SCHEDULE_KEY}", message))


def parse_mdh(text: str) -> MaritimeDeclaration:
    """A Maritime Declaration of Health as JSON; raises FormatError only when the file is not one."""
    document = _document(text)
    warnings: list[ParseWarning] = []
    header = Boxes(document["header"], "$.header", warnings)
    ship = _ship(header)
    calls = [_port_call(boxes, ship.declaration_date) for boxes in header.objects(PORTS_KEY)]
    joined = [_joined(boxes) for boxes in header.objects(JOINED_KEY)]
    answers = _answers(document, warnings)
    schedule = [_case(boxes) for boxes in Boxes(document, "$", warnings).objects(SCHEDULE_KEY)]
    _check_schedule(answers, schedule, warnings)
    return MaritimeDeclaration(ship, tuple(calls), tuple(joined), answers, tuple(schedule), tuple(warnings))


# --- the CLI JSON contract -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def mdh_to_dict(declaration: MaritimeDeclaration) -> dict[str, Any]:
    """The ``kouan formats mdh`` JSON: ship, ports_of_call, persons_joined, answers, schedule, warnings."""
    plain = _plain(asdict(declaration))
    plain["warnings"] = [{"segment": w.segment, "message": w.message} for w in declaration.warnings]
    return dict(plain)
