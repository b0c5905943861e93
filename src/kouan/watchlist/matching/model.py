"""What the matching core takes and gives: list entries and persons in, explained hits out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALGORITHM = "name-v1"


@dataclass(frozen=True, slots=True)
class Entry:
    """A person on a list. ``names``: each alias as written — Han (surname first), Hangul, MRZ
    ``SURNAME<<GIVEN<NAMES``, ``Surname, Given`` or Latin in any order. ``birth_date``: YYYY-MM-DD, YYYY-MM or YYYY.
    ``nationality``: an ICAO/ISO alpha-3 code. ``sex``: 'M', 'F' or None (anything else, such as 'X', counts as
    not known)."""

    entry_id: str
    names: tuple[str, ...]
    birth_date: str | None = None
    nationality: str | None = None
    documents: tuple[str, ...] = ()
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A traveller to check: names as on the document or manifest, the same forms as an Entry's; ``sex`` as on the
    document (PAXLST, MRZ): 'M', 'F' or None."""

    person_id: str
    names: tuple[str, ...]
    birth_date: str | None = None
    nationality: str | None = None
    document: str | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """A candidate match of a person against a list entry, with what found it and how each feature scored."""

    person_id: str
    entry_id: str
    score: float
    alert: bool
    alias: str  # the entry's name as listed that matched
    spelling: str  # the system of the alias's spelling that matched (pinyin, wade-giles, cantonese, korean, latin, mrz)
    key: str  # the blocking key that found the entry
    features: dict[str, Any] = field(default_factory=dict)
    list_version: str = ""
    algorithm: str = ALGORITHM

    def explanation(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "list_version": self.list_version,
            "entry": self.entry_id,
            "alias": self.alias,
            "spelling": self.spelling,
            "key": self.key,
            "features": self.features,
        }
