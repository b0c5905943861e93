"""The health declaration card, 4th edition (《出/入境人员健康申明卡》, in use from 2020-03-03), filed online.

The pure part: the card's symptom list, the e-declaration code, the ``CardIn`` model with per-field errors, and the
24-hour rule. The service part files a card through the same path as bulk declarations (``add_declarations``), so
its places become stays with source "declaration" on the matching manifest traveller. Services never commit.

Error messages are English msgids; the public pages translate them with the zh catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.reference import country, place
from kouan.travel.declarations.codes import CODE_ALPHABET, CODE_LENGTH, clean_code
from kouan.travel.journey.bookings import declared_flight, voyage_for_flight
from kouan.travel.journey.models import Declaration
from kouan.travel.journey.schemas import DeclarationCreate, DeclaredPlace
from kouan.travel.journey.service import add_declarations
from kouan.travel.registry.models import Voyage

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
EARLIEST = timedelta(hours=24)  # a card may be filed at most this long before arrival
LATEST = timedelta(days=2)  # and not for a flight that arrived longer ago than this
MAX_PLACES = 20
CHANNELS = ("web", "bulk", "counter")


@dataclass(frozen=True)
class Symptom:
    key: str
    en: str
    zh: str


SYMPTOMS: tuple[Symptom, ...] = (
    Symptom("fever", "Fever", "发热"),
    Symptom("fatigue", "Fatigue", "乏力"),
    Symptom("dry_cough", "Dry cough", "干咳"),
    Symptom("sputum", "Sputum", "咳痰"),
    Symptom("headache", "Headache", "头痛"),
    Symptom("sore_throat", "Sore throat", "咽痛"),
    Symptom("shortness_of_breath", "Shortness of breath", "气促"),
    Symptom("dyspnoea", "Dyspnoea (difficulty breathing)", "呼吸困难"),
    Symptom("chest_tightness", "Chest tightness", "胸闷"),
    Symptom("conjunctival_congestion", "Conjunctival congestion (red eyes)", "结膜充血"),
    Symptom("diarrhoea", "Diarrhoea", "腹泻"),
)
SYMPTOM_KEYS = tuple(s.key for s in SYMPTOMS)

FLIGHT = re.compile(r"^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$")
DOCUMENT = re.compile(r"^[A-Z0-9<]{3,35}$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{5,40}$")
PORT = re.compile(r"^[A-Z0-9]{3,5}$")
NAMED = re.compile(r"^([a-z_]+): (.+)$")


def _known_country(value: str) -> str:
    text = value.strip().upper()
    if text.startswith("CN-") and len(text) <= 8:
        return text
    found = country(text)
    if found is None:
        raise ValueError("Unknown country or region")
    return found.code


class CardPlace(DeclaredPlace):
    """A country or region of the last 14 days, with the dates the traveller was there."""

    model_config = ConfigDict(str_strip_whitespace=True)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return _known_country(value)

    @model_validator(mode="after")
    def _order(self) -> CardPlace:
        if self.date_to is not None and self.date_to < self.date_from:
            raise ValueError("date_to: The end date is before the start date")
        return self


class CardIn(BaseModel):
    """The 4th-edition card: who, which flight, where in the last 14 days, where for the next 14, and health."""

    model_config = ConfigDict(str_strip_whitespace=True)

    surname: str = Field(min_length=1, max_length=70)
    given_names: str = Field(default="", max_length=70)
    sex: Literal["M", "F", "X"]
    birth_date: date
    nationality: str = Field(min_length=1, max_length=8, description="ISO alpha-3 or alpha-2 (or MRZ) code.")
    document_number: str = Field(min_length=1, max_length=35)
    occupation: str = Field(min_length=1, max_length=80)
    flight: str = Field(min_length=1, max_length=10, description="Carrier and number, e.g. EK308.")
    flight_date: date | None = Field(default=None, description="Arrival day (Beijing); taken from arrival if absent.")
    arrival: datetime | None = Field(default=None, description="Arrival time; naive = Beijing time.")
    seat: str | None = Field(default=None, max_length=5)
    port_of_entry: str | None = Field(default=None, max_length=5, description="Port code, e.g. PEK.")
    places: list[CardPlace] = Field(default_factory=list, max_length=MAX_PLACES)
    address: str = Field(min_length=1, max_length=300, description="Exact address for the next 14 days.")
    phone: str = Field(min_length=1, max_length=40)
    case_contact: bool = Field(description="Contact with a confirmed or suspected case in the last 14 days.")
    symptoms: list[str] = Field(default_factory=list, description=f"Keys among {', '.join(SYMPTOM_KEYS)}.")
    fever_medicine: bool = Field(description="Antipyretics or cold medicine taken in the last 72 hours.")

    @field_validator("nationality")
    @classmethod
    def _nationality(cls, value: str) -> str:
        return _known_country(value)

    @field_validator("document_number", "seat", "port_of_entry")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.replace(" ", "").upper() if value else value

    @field_validator("document_number")
    @classmethod
    def _document(cls, value: str) -> str:
        if not DOCUMENT.match(value):
            raise ValueError("Not a valid document number")
        return value

    @field_validator("flight")
    @classmethod
    def _flight(cls, value: str) -> str:
        text = value.replace(" ", "").upper()
        if not FLIGHT.match(text):
            raise ValueError("Not a valid flight number, e.g. EK308")
        return text

    @field_validator("port_of_entry")
    @classmethod
    def _port(cls, value: str | None) -> str | None:
        if value and not PORT.match(value):
            raise ValueError("Not a valid port code, e.g. PEK")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not PHONE.match(value):
            raise ValueError("Not a valid phone number")
        return value

    @field_validator("birth_date")
    @classmethod
    def _born(cls, value: date) -> date:
        if not date(1900, 1, 1) <= value <= date.today():
            raise ValueError("The date of birth must be in the past")
        return value

    @field_validator("symptoms")
    @classmethod
    def _symptoms(cls, value: list[str]) -> list[str]:
        if any(key not in SYMPTOM_KEYS for key in value):
            raise ValueError("Not a symptom on the card")
        return [key for key in SYMPTOM_KEYS if key in value]  # the card's order, each once

    @model_validator(mode="after")
    def _flight_day(self) -> CardIn:
        if self.arrival is not None and self.arrival.tzinfo is None:
            self.arrival = self.arrival.replace(tzinfo=BEIJING)
        if self.flight_date is None and self.arrival is not None:
            self.flight_date = self.arrival.astimezone(BEIJING).date()
        if self.flight_date is None:
            raise ValueError("flight_date: Required")
        return self


class InvalidCard(ValueError):
    """A card refused; ``errors`` maps each field (``places.0.country``) to an English message (a msgid)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


MESSAGES = {
    "missing": "Required",
    "string_too_short": "Required",
    "string_too_long": "Too long",
    "too_long": "Too many entries",
    "literal_error": "Choose one of the options",
    "bool_parsing": "Choose yes or no",
    "bool_type": "Choose yes or no",
    "list_type": "Not valid",
}


def _message(error: Any) -> str:
    kind = str(error["type"])
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind.startswith("date"):
        return "Not a valid date" if not kind.startswith("datetime") else "Not a valid date and time"
    return MESSAGES.get(kind, "Not valid")


def field_errors(error: ValidationError) -> dict[str, str]:
    """Each error of a ``CardIn`` validation under its field's dotted path (the first error of a field wins)."""
    errors: dict[str, str] = {}
    for item in error.errors():
        message = _message(item)
        path = [str(part) for part in item["loc"]]
        named = NAMED.match(message)
        if named:  # a model-level check naming its field
            path, message = [*path, named.group(1)], named.group(2)
        errors.setdefault(".".join(path) or "card", message)
    return errors


def parse_card(data: Any) -> CardIn:
    """``data`` as a ``CardIn``; raises ``InvalidCard`` naming each bad field."""
    try:
        return CardIn.model_validate(data)
    except ValidationError as error:
        errors = field_errors(error)
        if isinstance(data, dict) and not data.get("flight_date") and not data.get("arrival"):
            errors.setdefault("flight_date", "Required")  # checked after the fields, so said here too
        raise InvalidCard(errors) from error


def timing_errors(*, card: CardIn, now: datetime) -> dict[str, str]:
    """The 24-hour rule: not earlier than 24 hours before arrival, not for a flight that arrived over 2 days ago.
    Without an arrival time the flight date (Beijing day) decides, giving the traveller the benefit of the doubt."""
    assert card.flight_date is not None
    field = "arrival" if card.arrival is not None else "flight_date"
    start = datetime.combine(card.flight_date, time.min, tzinfo=BEIJING)
    earliest_arrival = card.arrival or start
    latest_arrival = card.arrival or start + timedelta(days=1)
    if now < earliest_arrival - EARLIEST:
        return {field: "Too early: the card can be filed at most 24 hours before arrival"}
    if now > latest_arrival + LATEST:
        return {field: "This flight arrived more than two days ago"}
    late = [i for i, p in enumerate(card.places) if p.date_from > card.flight_date]
    return {f"places.{i}.date_from": "This date is after the arrival date" for i in late}


def check_card(*, data: Any, now: datetime) -> CardIn:
    """Validate ``data`` as a card filed at ``now``; raises ``InvalidCard`` naming each bad field."""
    card = parse_card(data)
    errors = timing_errors(card=card, now=now)
    if errors:
        raise InvalidCard(errors)
    return card


def _stay_place(text: str | None) -> str | None:
    """A stay's place is an IATA airport or city code (5 characters at most); a city as written is kept apart."""
    found = place(text) if text and len(text) <= 5 else None
    return found.code if found else None


def _declaration(card: CardIn) -> DeclarationCreate:
    places = [DeclaredPlace(**p.model_dump(exclude={"place"}), place=_stay_place(p.place)) for p in card.places]
    fields = card.model_dump(include=set(DeclarationCreate.model_fields) - {"places"})
    return DeclarationCreate(**fields, places=places)


def file_card(*, session: Session, card: CardIn, port: str, channel: str, now: datetime) -> Declaration:
    """File ``card`` (already checked) with a fresh code, through the bulk path so the voyage it names is relinked
    and its places become stays; ``port`` is our port (its stays are relative to it). Flushes, never commits."""
    assert channel in CHANNELS, channel
    assert now.tzinfo is not None
    ids, _ = add_declarations(session=session, declarations=[_declaration(card)], port=port)
    row = session.get(Declaration, ids[0])
    assert row is not None and row.code
    row.places = [{**stored, "city": typed.place} for stored, typed in zip(row.places, card.places, strict=True)]
    row.sex, row.occupation, row.port_of_entry = card.sex, card.occupation, card.port_of_entry or port
    row.case_contact, row.fever_medicine, row.symptoms = card.case_contact, card.fever_medicine, card.symptoms
    row.channel, row.submitted_at = channel, now
    session.flush()
    return row


def card_by_code(*, session: Session, code: str) -> Declaration | None:
    """The declaration filed under ``code`` (as typed: case, spaces and hyphens do not matter); None if none."""
    wanted = clean_code(code)
    if len(wanted) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in wanted):
        return None
    return session.scalars(select(Declaration).where(Declaration.code == wanted)).one_or_none()


def card_voyages(*, session: Session, declaration: Declaration) -> list[Voyage]:
    """The filed voyage a declaration names, if its manifest is in (to rescreen it)."""
    if not declaration.flight:
        return []
    carrier, number, day = declared_flight(flight=declaration.flight, day=declaration.flight_date)
    voyage = voyage_for_flight(session=session, carrier=carrier, number=number, day=day)
    return [voyage] if voyage else []


def card_summary(declaration: Declaration) -> dict[str, Any]:
    """What was declared, as JSON-ready values (for the staff API)."""
    return {
        "code": declaration.code,
        "channel": declaration.channel,
        "submitted_at": declaration.submitted_at.isoformat(),
        "surname": declaration.surname,
        "given_names": declaration.given_names,
        "sex": declaration.sex,
        "birth_date": declaration.birth_date.isoformat() if declaration.birth_date else None,
        "nationality": declaration.nationality,
        "document_number": declaration.document_number,
        "occupation": declaration.occupation,
        "flight": declaration.flight,
        "flight_date": declaration.flight_date.isoformat() if declaration.flight_date else None,
        "seat": declaration.seat,
        "port_of_entry": declaration.port_of_entry,
        "places": declaration.places,
        "address": declaration.address,
        "phone": declaration.phone,
        "case_contact": declaration.case_contact,
        "symptoms": declaration.symptoms,
        "fever_medicine": declaration.fever_medicine,
    }
