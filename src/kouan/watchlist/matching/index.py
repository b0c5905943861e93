"""The list, indexed for blocking: each alias's keys and their one-letter deletions (SymSpell's neighbourhood, so
one typo on either side still meets) hashed into one sorted int64 array. A batch of persons is looked up with one
``searchsorted``; only the candidate key pairs are scored (rapidfuzz ``cpdist``, in C, on all cores) and the
dates of birth and nationalities of the pairs whose names are close enough are compared as arrays."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from kouan.watchlist.matching.dates import DOB_CLASSES, date_parts, dob_classes
from kouan.watchlist.matching.model import Entry, Hit, Person
from kouan.watchlist.matching.names import (
    Raw,
    fold_key,
    is_swapped,
    name_keys,
    neighbours,
    spelling_of,
    spelt,
    well_formed,
)
from kouan.watchlist.matching.score import (
    NATIONALITY_CLASSES,
    SEX_CLASSES,
    SEXES,
    SWAPPED_FIELDS,
    THRESHOLD,
    decide_many,
    document_class,
)

IntArray = NDArray[np.int64]
PARALLEL_PAIRS = 50_000
COMMON_OWN_NAME = 5  # a person's key shared by this many entries is a common name in its own right


def _ratios(one: NDArray[np.object_], other: NDArray[np.object_]) -> NDArray[np.float64]:
    """Indel similarity (0-1) of each pair of strings, in C on all cores."""
    workers = -1 if len(one) > PARALLEL_PAIRS else 1  # threads cost more than they save on a manifest's pairs
    return np.asarray(process.cpdist(one, other, scorer=fuzz.ratio, workers=workers), dtype=np.float64) / 100


@dataclass(frozen=True, slots=True)
class Candidates:
    """Key pairs that met in the index: the person's position and key, the list's key and their name score."""

    person: IntArray
    person_key: list[str]
    person_spelt: list[str]
    entry_key: IntArray
    name: NDArray[np.float64]
    near_name: NDArray[np.bool_]  # the person's spelling differs and is well-formed pinyin or Wade-Giles


@dataclass(frozen=True, slots=True)
class Pairs:
    """The best key pair of each (person, entry) whose names are close enough, and its decision."""

    person: IntArray
    row: IntArray
    candidate: IntArray
    score: NDArray[np.float64]
    alert: NDArray[np.bool_]
    dob: NDArray[np.int8]
    nationality: NDArray[np.int8]
    sex: NDArray[np.int8]
    sharing: IntArray  # the entries that share the name: of the person's sex (or none known) when the sexes agree


class WatchlistIndex:
    """Build once per list version; ``match`` a manifest or a batch of travellers against it."""

    def __init__(self, *, entries: Sequence[Entry], list_version: str) -> None:
        self.entries = list(entries)
        self.list_version = list_version
        self.keys: list[str] = []
        self._key_ids: dict[str, int] = {}
        self._spelt: list[str] = []  # each key as first spelt, unfolded
        self._raws: dict[Raw, int] = {}
        self._row_entry: list[int] = []
        self._row_alias: list[tuple[int, str]] = []
        self._row_key = np.asarray(self._collect(), dtype=np.int64)
        self._key_start, self._key_rows = _csr(self._row_key, len(self.keys))
        self._sharing = np.diff(self._key_start)
        self._hashes, self._hash_keys = self._neighbourhood()
        self._key_array = np.asarray(self.keys, dtype=object)
        self._spelt_array = np.asarray(self._spelt, dtype=object)
        self._entry_of_row = np.asarray(self._row_entry, dtype=np.int64)
        self._dob = np.array([date_parts(e.birth_date) for e in self.entries], dtype=np.int32).reshape(-1, 3)
        self._nationalities = {code: i for i, code in enumerate({e.nationality for e in self.entries} - {None}, 1)}
        self._nationality = np.array([self._nationality_code(e.nationality) for e in self.entries], dtype=np.int32)
        self._documents = {number for e in self.entries for number in e.documents}
        self._sex = np.array([sex_code(e.sex) for e in self.entries], dtype=np.int8)
        row_sex = self._sex[self._entry_of_row].astype(np.int64)
        self._key_sex = np.bincount(self._row_key * 3 + row_sex, minlength=len(self.keys) * 3).reshape(-1, 3)
        self._sharing_same_sex = self._shared(self._row_key, row_sex)

    @property
    def size(self) -> dict[str, int]:
        return {"entries": len(self.entries), "keys": len(self.keys), "neighbours": len(self._hashes)}

    def _nationality_code(self, code: str | None) -> int:
        return self._nationalities.get(code, -1) if code else 0

    def _shared(self, keys: IntArray, sex: IntArray) -> IntArray:
        """How many entries share each key whose sex is the one given (a sex code) or not known; all that share
        it when the sex given is not known."""
        return np.where(sex == 0, self._sharing[keys], self._key_sex[keys, sex] + self._key_sex[keys, 0])

    def _collect(self) -> list[int]:
        """One row per (key, entry), so a key's rows count the entries that share it; every raw spelling is kept
        for the neighbourhood (Park and Pak fold alike but have different typos)."""
        key_ids: dict[str, int] = {}
        row_key: list[int] = []
        for entry_pos, entry in enumerate(self.entries):
            own: set[int] = set()
            for alias_pos, name in enumerate(entry.names):
                for raw, spelling in name_keys(name):
                    key = key_ids.setdefault(fold_key(raw), len(key_ids))
                    if key == len(self._spelt):
                        self._spelt.append(spelt(raw))
                    self._raws.setdefault(raw, key)
                    if key not in own:
                        own.add(key)
                        row_key.append(key)
                        self._row_entry.append(entry_pos)
                        self._row_alias.append((alias_pos, spelling.system))
        self.keys = list(key_ids)
        self._key_ids = key_ids
        return row_key

    def _neighbourhood(self) -> tuple[IntArray, IntArray]:
        counts = np.zeros(len(self._raws), dtype=np.int64)

        def hashed() -> Iterator[int]:  # one raw key's neighbours at a time: 17 M strings at once would not fit
            for i, raw in enumerate(self._raws):
                variants = neighbours(raw)
                counts[i] = len(variants)
                yield from map(hash, variants)

        hashes = np.fromiter(hashed(), dtype=np.int64)
        owners = np.repeat(np.fromiter(self._raws.values(), dtype=np.int64), counts)
        self._raws.clear()
        order = np.argsort(hashes, kind="stable")
        return hashes[order], owners[order]

    def candidates(self, persons: Sequence[Person]) -> Candidates:
        """Every (person key, list key) pair that shares a key or a deletion neighbour, with its name score. A
        person's key that many entries of their sex share exactly (a common name) looks for itself only: its
        near spellings are other people's names, not typos."""
        person_of, raws, swapped = _person_keys(persons)
        texts = [fold_key(raw) for raw in raws]
        own = self._own_sharing(texts, np.array([sex_code(persons[p].sex) for p in person_of], dtype=np.int64))
        variants = [
            [t] if n >= COMMON_OWN_NAME else neighbours(raw) for t, n, raw in zip(texts, own, raws, strict=True)
        ]
        query = np.fromiter((hash(v) for vs in variants for v in vs), dtype=np.int64)
        query_key = np.repeat(np.arange(len(variants)), [len(vs) for vs in variants])
        found_query, found_key = _lookup(self._hashes, self._hash_keys, query, query_key)
        pairs = np.unique(found_query * len(self.keys) + found_key)
        person_key, entry_key = pairs // len(self.keys), pairs % len(self.keys)
        names = _ratios(np.asarray(texts, dtype=object)[person_key], self._key_array[entry_key])
        as_spelt = np.asarray([spelt(raw) for raw in raws], dtype=object)[person_key]
        near = np.flatnonzero(names < 1.0)  # the as-spelt score only where the folded one leaves room
        names[near] = np.maximum(names[near], _ratios(as_spelt[near], self._spelt_array[entry_key[near]]))
        names = np.where((own[person_key] >= COMMON_OWN_NAME) & (names < 1.0), 0.0, names)
        near = (names < 1.0) & np.fromiter(map(well_formed, raws), dtype=bool, count=len(raws))[person_key]
        names *= np.where(np.asarray(swapped)[person_key], SWAPPED_FIELDS, 1.0)
        person = np.asarray(person_of, dtype=np.int64)[person_key]
        folded_texts = list(np.asarray(texts, dtype=object)[person_key])
        return Candidates(person, folded_texts, list(as_spelt), entry_key, names, near)

    def _own_sharing(self, texts: list[str], sex: IntArray) -> IntArray:
        """How many entries that could be the person (of their sex, or of none known) have each key exactly."""
        ids = np.array([self._key_ids.get(t, -1) for t in texts], dtype=np.int64)
        return np.where(ids < 0, 0, self._shared(np.maximum(ids, 0), sex))

    def candidate_entries(self, found: Candidates) -> tuple[IntArray, IntArray]:
        """(position in ``found``, entry position) for every entry behind each candidate key pair."""
        at, rows = _expand(self._key_start, self._key_rows, found.entry_key)
        return at, self._entry_of_row[rows]

    def match(self, persons: Sequence[Person], *, alerts_only: bool = True) -> list[Hit]:
        """The hits of a batch of persons (best first per person); only those that alert unless told otherwise."""
        found = self.candidates(persons)
        pairs = self._decide(persons, found, self._best_pairs(found))
        keep = np.flatnonzero(pairs.alert if alerts_only else np.ones(len(pairs.row), dtype=bool))
        hits = [self._hit(persons[pairs.person[i]], found, pairs, i) for i in keep.tolist()]
        return sorted(hits, key=lambda h: (h.person_id, -h.score))

    def _best_pairs(self, found: Candidates) -> tuple[IntArray, IntArray, IntArray]:
        close = np.flatnonzero(found.name >= THRESHOLD)
        at, rows = _expand(self._key_start, self._key_rows, found.entry_key[close])
        candidate = close[at]
        person, entry = found.person[candidate], self._entry_of_row[rows]
        order = np.lexsort((-found.name[candidate], entry, person))
        person, entry, rows, candidate = person[order], entry[order], rows[order], candidate[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (person[1:] != person[:-1]) | (entry[1:] != entry[:-1])
        return person[first], rows[first], candidate[first]

    def _decide(self, persons: Sequence[Person], found: Candidates, best: tuple[IntArray, IntArray, IntArray]) -> Pairs:
        person, rows, candidate = best
        entry = self._entry_of_row[rows]
        given_dob = np.array([date_parts(p.birth_date) for p in persons], dtype=np.int32).reshape(-1, 3)
        given_nat = np.array([self._nationality_code(p.nationality) for p in persons], dtype=np.int32)
        dob = dob_classes(self._dob[entry], given_dob[person])
        listed_nat, nat = self._nationality[entry], given_nat[person]
        nationality = np.where((listed_nat == 0) | (nat == 0), 1, np.where(listed_nat == nat, 0, 2)).astype(np.int8)
        same = self._documents_same(persons, person, entry)
        sex = _sex_classes(self._sex[entry], np.array([sex_code(p.sex) for p in persons], dtype=np.int8)[person])
        agree = sex == SEX_CLASSES.index("agree")
        sharing = np.where(agree, self._sharing_same_sex[rows], self._sharing[self._row_key[rows]])
        score, alert = decide_many(
            name=found.name[candidate],
            dob=dob,
            nationality=nationality,
            sex=sex,
            document_same=same,
            sharing=sharing,
            near_name=found.near_name[candidate],
        )
        return Pairs(person, rows, candidate, score, alert, dob, nationality, sex, sharing)

    def _documents_same(self, persons: Sequence[Person], person: IntArray, entry: IntArray) -> NDArray[np.bool_]:
        same = np.zeros(len(person), dtype=bool)
        if not self._documents:
            return same
        for i in np.flatnonzero([bool(persons[p].document) for p in person]):
            listed, given = self.entries[entry[i]].documents, persons[person[i]].document
            same[i] = document_class(listed, given) == "same"
        return same

    def _hit(self, person: Person, found: Candidates, pairs: Pairs, i: int) -> Hit:
        row = int(pairs.row[i])
        entry = self.entries[self._row_entry[row]]
        alias, _ = self._row_alias[row]
        candidate = int(pairs.candidate[i])
        key = self.keys[self._row_key[row]]
        system = spelling_of(entry.names[alias], key=key, as_spelt=found.person_spelt[candidate])
        features = {
            "name": round(float(found.name[candidate]), 4),
            "dob": DOB_CLASSES[pairs.dob[i]],
            "nationality": NATIONALITY_CLASSES[pairs.nationality[i]],
            "sex": SEX_CLASSES[pairs.sex[i]],
            "document": document_class(entry.documents, person.document),
            "name_shared_by": int(pairs.sharing[i]),
        }
        return Hit(
            person_id=person.person_id,
            entry_id=entry.entry_id,
            score=float(pairs.score[i]),
            alert=bool(pairs.alert[i]),
            alias=entry.names[alias],
            spelling=system,
            key=f"{found.person_key[candidate]} ~ {key}",
            features=features,
            list_version=self.list_version,
        )


def sex_code(sex: str | None) -> int:
    """0 for a sex not known, else 1 + its position in SEXES."""
    upper = (sex or "").upper()
    return SEXES.index(upper) + 1 if upper in SEXES else 0


def _sex_classes(listed: NDArray[np.int8], given: NDArray[np.int8]) -> NDArray[np.int8]:
    """``sex_class`` over arrays of sex codes: positions in SEX_CLASSES."""
    missing = (listed == 0) | (given == 0)
    return np.where(missing, 1, np.where(listed == given, 0, 2)).astype(np.int8)


def _csr(row_key: IntArray, n_keys: int) -> tuple[IntArray, IntArray]:
    """The rows of each key: rows[start[k]:start[k + 1]]."""
    order = np.argsort(row_key, kind="stable")
    start = np.searchsorted(row_key[order], np.arange(n_keys + 1))
    return start, order


def _expand(start: IntArray, values: IntArray, keys: IntArray) -> tuple[IntArray, IntArray]:
    """For each position i in ``keys``, each value of values[start[k]:start[k + 1]]: (i, value) pairs."""
    low = start[keys]
    counts = start[keys + 1] - low
    at = np.repeat(np.arange(len(keys)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return at, values[low[at] + within]


def _person_keys(persons: Sequence[Person]) -> tuple[list[int], list[Raw], list[bool]]:
    """Each person's raw keys (all names, all spellings, either way round), with the person's position and
    whether the key reads a known surname as given names."""
    person_of: list[int] = []
    keys: list[Raw] = []
    swapped: list[bool] = []
    for pos, person in enumerate(persons):
        own = {raw: is_swapped(raw, s) for name in person.names for raw, s in name_keys(name, either_way=True)}
        person_of.extend([pos] * len(own))
        keys.extend(own)
        swapped.extend(own.values())
    return person_of, keys, swapped


def _lookup(hashes: IntArray, owners: IntArray, query: IntArray, query_key: IntArray) -> tuple[IntArray, IntArray]:
    """(query key, list key) for every query hash found among the list's hashes."""
    order = np.argsort(query)  # sorted queries walk the list's hashes in order: far fewer cache misses
    query, query_key = query[order], query_key[order]
    low = np.searchsorted(hashes, query, side="left")
    counts = np.searchsorted(hashes, query, side="right") - low
    at = np.repeat(np.arange(len(query)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return query_key[at], owners[low[at] + within]
