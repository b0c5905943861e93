"""Demo travellers: passenger parties (families share a booking, seats and usually a surname) and crew."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from kouan.demo.names import given_name, nationalities, surname
from kouan.formats.records import Document, Person, Role
from kouan.reference import airport

GERMAN_ALNUM = "0123456789CFGHJKLMNPRTVWXYZ"
BOOKING_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ADULT_AGES = ((18, 29, 30), (30, 44, 30), (45, 59, 25), (60, 85, 15))  # (from, to, weight)
PARTY_SIZES = ((1, 55), (2, 25), (3, 12), (4, 8))


@dataclass(frozen=True)
class Trip:
    """What the people of one party share: the night, where they boarded, their role and booking."""

    night: date
    embarkation: str
    debarkation: str
    role: Role
    booking_ref: str | None = None
    lives_abroad: bool = False  # Chinese nationals boarding abroad: do they live there (students, workers)?


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([item for item, _ in weighted], [weight for _, weight in weighted])[0]


def booking_ref(rng: random.Random) -> str:
    return "".join(rng.choice(BOOKING_CHARS) for _ in range(6))


def passport_number(rng: random.Random, nationality: str) -> str:
    pattern = rng.choice(nationalities()[nationality].passport)
    pools = {"#": string.digits, "?": string.ascii_uppercase, "*": GERMAN_ALNUM}
    return "".join(rng.choice(pools[char]) if char in pools else char for char in pattern)


def birth_date(rng: random.Random, night: date, age: int) -> date:
    birthday = date(night.year - age, night.month, min(night.day, 28))
    return birthday - timedelta(days=rng.randint(0, 364))


def adult_age(rng: random.Random) -> int:
    low, high, _ = rng.choices(ADULT_AGES, [weight for *_, weight in ADULT_AGES])[0]
    return rng.randint(low, high)


def passport(rng: random.Random, nationality: str, night: date, born: date) -> Document:
    """A passport issued after birth and valid on the night: 10 years, 5 for children under 16."""
    years = 5 if (night - born).days < 16 * 365 else 10
    issued = night - timedelta(days=rng.randint(10, max(10, min(years * 365 - 30, (night - born).days - 20))))
    expiry = date(issued.year + years, issued.month, min(issued.day, 28)) - timedelta(days=1)
    number = passport_number(rng, nationality)
    return Document(type="P", number=number, issuer=nationality, expiry=expiry, issued=issued)


def residence(trip: Trip, nationality: str) -> str:
    found = airport(trip.embarkation)
    boarded_in = found.country if found is not None else nationality
    return boarded_in if nationality == "CHN" and trip.lives_abroad and boarded_in != "CHN" else nationality


def person(rng: random.Random, trip: Trip, *, nationality: str, sex: str, age: int, family: str | None) -> Person:
    """One traveller; ``family`` is the surname to use, None to draw one."""
    born = birth_date(rng, trip.night, age)
    return Person(
        surname=family or surname(rng, nationality, sex),
        given_names=given_name(rng, nationality, sex),
        role=trip.role,
        sex=sex,
        birth_date=born,
        nationality=nationality,
        documents=(passport(rng, nationality, trip.night, born),),
        embarkation=trip.embarkation,
        debarkation=trip.debarkation,
        residence_country=residence(trip, nationality),
        booking_ref=trip.booking_ref,
    )


def party(rng: random.Random, trip: Trip, nationality: str) -> list[Person]:
    """A lone traveller, a couple, or a family with children (spouses keep their surname where that is usual)."""
    size = int(pick(rng, tuple((str(n), w) for n, w in PARTY_SIZES)))
    first_age = rng.randint(25, 50) if size > 2 else adult_age(rng)
    first_sex = rng.choice("MF")
    first = person(rng, trip, nationality=nationality, sex=first_sex, age=first_age, family=None)
    if size == 1:
        return [first]
    shared = nationalities()[nationality].family_name != "own"
    spouse_age = min(85, max(18, first_age + rng.randint(-6, 6)))
    spouse = person(
        rng,
        trip,
        nationality=nationality,
        sex="F" if first_sex == "M" else "M",
        age=spouse_age,
        family=first.surname if shared else None,
    )
    father = first.surname if first_sex == "M" else spouse.surname
    eldest = min(17, first_age - 20, spouse_age - 20)
    return [first, spouse, *(_child(rng, trip, nationality, father, eldest) for _ in range(size - 2) if eldest >= 1)]


def _child(rng: random.Random, trip: Trip, nationality: str, family: str, eldest: int) -> Person:
    age = rng.randint(1, eldest)
    return person(rng, trip, nationality=nationality, sex=rng.choice("MF"), age=age, family=family)


def crew_member(rng: random.Random, trip: Trip, nationality: str) -> Person:
    age = rng.randint(21, 58)
    return person(rng, trip, nationality=nationality, sex=rng.choice("MF"), age=age, family=None)
