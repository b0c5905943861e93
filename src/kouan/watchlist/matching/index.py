"""The list, indexed for blocking: each alias's keys and their one-letter deletions (SymSpell's neighbourhood, so
one typo on either side still meets) hashed into one sorted int64 array; a batch of persons is looked up with one
``searchsorted``, and only the candidate key pairs are scored (rapidfuzz ``cpdist``, in C, on all cores)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from kouan.watchlist.matching.model import Entry, Hit, Person
from kouan.watchlist.matching.names import name_keys
from kouan.watchlist.matching.score import THRESHOLD, decide_pair

MIN_DELETION_LENGTH = 6  # shorter keys (li|na) are not given typo neighbours: they would meet half the list


def deletions(key: str) -> list[str]:
    """The key and its one-letter deletions (never the ``|`` between anchor and rest)."""
    if len(key) < MIN_DELETION_LENGTH:
        return [key]
    return [key, *{key[:i] + key[i + 1 :] for i in range(len(key)) if key[i] != "|"}]


@dataclass(frozen=True, slots=True)
class Row:
    entry: int
    alias: int
    system: str


@dataclass(frozen=True, slots=True)
class Candidates:
    """Key pairs that met in the index: the person's key, the list's key and their name score."""

    person: NDArray[np.int64]
    person_key: list[str]
    entry_key: NDArray[np.int64]
    name: NDArray[np.float64]


class WatchlistIndex:
    """Build once per list version (``build``); ``match`` a manifest or a batch of travellers against it."""

    def __init__(self, *, entries: Sequence[Entry], list_version: str) -> None:
        self.entries = list(entries)
        self.list_version = list_version
        self.keys: list[str] = []
        self.rows: list[Row] = []
        self._row_key = np.asarray(self._collect(), dtype=np.int32)
        self._key_start, self._key_rows = _csr(self._row_key, len(self.keys))
        self._hashes, self._hash_keys = self._neighbourhood()

    def _collect(self) -> list[int]:
        key_ids: dict[str, int] = {}
        key_rows: list[int] = []
        for entry_pos, entry in enumerate(self.entries):
            for alias_pos, name in enumerate(entry.names):
                for key, spelling in name_keys(name):
                    key_rows.append(key_ids.setdefault(key, len(key_ids)))
                    self.rows.append(Row(entry_pos, alias_pos, spelling.system))
        self.keys = list(key_ids)
        return key_rows

    def _neighbourhood(self) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
        variants = [deletions(key) for key in self.keys]
        hashes = np.fromiter((hash(v) for vs in variants for v in vs), dtype=np.int64)
        owners = np.repeat(np.arange(len(variants), dtype=np.int32), [len(vs) for vs in variants])
        order = np.argsort(hashes, kind="stable")
        return hashes[order], owners[order]

    def candidates(self, persons: Sequence[Person]) -> Candidates:
        """Every (person key, list key) pair that shares a key or a deletion neighbour, with its name score."""
        person_of, person_keys = _person_keys(persons)
        variants = [deletions(key) for key in person_keys]
        query = np.fromiter((hash(v) for vs in variants for v in vs), dtype=np.int64)
        query_key = np.repeat(np.arange(len(variants)), [len(vs) for vs in variants])
        found_query, found_key = _lookup(self._hashes, self._hash_keys, query, query_key)
        pairs = np.unique(found_query * len(self.keys) + found_key)
        person_key, entry_key = pairs // len(self.keys), pairs % len(self.keys)
        texts = [person_keys[i] for i in person_key]
        names = process.cpdist(texts, [self.keys[i] for i in entry_key], scorer=fuzz.ratio, workers=-1) / 100
        return Candidates(np.asarray(person_of)[person_key], texts, entry_key, names)

    def match(self, persons: Sequence[Person], *, alerts_only: bool = True) -> list[Hit]:
        """The hits of a batch of persons, best first per person; only those that alert unless told otherwise."""
        found = self.candidates(persons)
        best: dict[tuple[int, int], tuple[float, str, int]] = {}
        for i in np.flatnonzero(found.name >= THRESHOLD):
            person, key = int(found.person[i]), int(found.entry_key[i])
            for row in self._key_rows[self._key_start[key] : self._key_start[key + 1]]:
                pair = (person, int(self.rows[row].entry))
                if best.get(pair, (-1.0,))[0] < found.name[i]:
                    best[pair] = (float(found.name[i]), found.person_key[i], int(row))
        hits = [self._hit(persons[p], row, name, key) for (p, _), (name, key, row) in best.items()]
        return sorted((h for h in hits if h.alert or not alerts_only), key=lambda h: (h.person_id, -h.score))

    def _hit(self, person: Person, row_pos: int, name: float, person_key: str) -> Hit:
        row = self.rows[row_pos]
        entry = self.entries[row.entry]
        decision = decide_pair(entry=entry, person=person, name=name)
        key = f"{person_key} ~ {self.keys[self._row_key[row_pos]]}"
        return Hit(
            person_id=person.person_id,
            entry_id=entry.entry_id,
            score=decision.score,
            alert=decision.alert,
            alias=entry.names[row.alias],
            spelling=row.system,
            key=key,
            features=decision.features,
            list_version=self.list_version,
        )


def _csr(row_key: NDArray[np.int32], n_keys: int) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """The rows of each key: rows[start[k]:start[k + 1]]."""
    order = np.argsort(row_key, kind="stable").astype(np.int32)
    start = np.searchsorted(row_key[order], np.arange(n_keys + 1))
    return start, order


def _person_keys(persons: Sequence[Person]) -> tuple[list[int], list[str]]:
    """Each person's keys (all names, all spellings), each key once per person, with the person's position."""
    person_of: list[int] = []
    keys: list[str] = []
    for pos, person in enumerate(persons):
        own = dict.fromkeys(key for name in person.names for key, _ in name_keys(name))
        person_of.extend([pos] * len(own))
        keys.extend(own)
    return person_of, keys


def _lookup(
    hashes: NDArray[np.int64], owners: NDArray[np.int32], query: NDArray[np.int64], query_key: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(query key, list key) for every query hash found among the list's hashes."""
    low = np.searchsorted(hashes, query, side="left")
    counts = np.searchsorted(hashes, query, side="right") - low
    repeat = np.repeat(np.arange(len(query)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return query_key[repeat].astype(np.int64), owners[low[repeat] + within].astype(np.int64)
