"""Watchlist matching at scale: a synthetic list of N entries, M travellers of whom some are planted variants of
list entries; blocking recall, recall on the planted, innocent alerts, throughput and peak memory.

Prints figures, asserts nothing; the last line is one JSON object. Examples::

    PYTHONPATH=src .venv/bin/python benchmarks/watchlist_bench.py --watchlist 20000 --travellers 5000
    PYTHONPATH=src .venv/bin/python benchmarks/watchlist_bench.py --watchlist 1000000 --travellers 100000

The list (names from Faker's vocabularies): 85 % Chinese — Han surnames on their census weights (Faker zh_CN),
one or two given characters — of which half are listed in Han characters with their pinyin, a quarter in pinyin
only, an eighth as Taiwan entries (Wade-Giles and Han) and an eighth as Hong Kong entries (Cantonese and Han);
5 % Korean (Faker ko_KR, passport spellings of the surname); 10 % Western (Faker en_US, de_DE, ru_RU). Each person
is a man or a woman, equally often, with given names drawn from that sex's vocabulary (Faker's male and female
names; the Han characters of EXTRA_GIVEN have no such source and serve both); 2 % of entries do not list the sex.
Dates of birth over 1940-2005; 8 % year only, 2 % missing. Planted travellers (5 % of M) are a list entry written
another way — one of, equally often: another romanisation (Wade-Giles, Cantonese, pinyin, another Korean spelling),
surname and given names swapped, given names joined or split, the MRZ form, one typo (a letter changed, dropped or
two swapped) — with a passport's full date of birth: the entry's, day and month swapped (15 %, when both ≤ 12) or
one year off (15 %); the entry's own date may be year-only or missing; and the person's sex. The rest are innocent
travellers drawn from the same population, with their own sex. ``--without-sex`` drops the travellers' sex, to
measure the same data under the rules as they were before sex.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii
from faker import Faker
from faker.providers.person.ko_KR import Provider as KoreanNames
from faker.providers.person.zh_CN import Provider as ChineseNames
from faker.providers.person.zh_TW import Provider as TaiwanNames

from kouan.watchlist.matching import Entry, Hit, Person, WatchlistIndex
from kouan.watchlist.matching.dates import dob_class, parse_birth_date
from kouan.watchlist.matching.han import han_readings
from kouan.watchlist.matching.latin import korean_canonical, latin_tokens
from kouan.watchlist.matching.score import sex_class

EXTRA_GIVEN = "文华明国建志德永庆春秀英兰芳玉珍丽红梅霞燕娟婷雪琳晓宏海江河山林森东南北新光亮俊浩然天宇嘉佳欣怡"
ZH_SURNAMES = list(ChineseNames.last_names)
ZH_WEIGHTS = list(ChineseNames.last_names.values())
# Given names per sex where Faker's vocabularies have them (zh_CN's and zh_TW's male and female names, the latter
# split into characters; ko_KR's; en_US', de_DE's and ru_RU's); EXTRA_GIVEN has no such source and serves both.
ZH_GIVEN = {
    sex: sorted(set(zh) | set(EXTRA_GIVEN) | set("".join(tw)))
    for sex, zh, tw in (
        ("M", ChineseNames.first_names_male, TaiwanNames.first_names_male),
        ("F", ChineseNames.first_names_female, TaiwanNames.first_names_female),
    )
}
KO_SURNAMES = {
    "김": "kim",
    "이": "lee",
    "박": "park",
    "최": "choi",
    "정": "jung",
    "강": "kang",
    "조": "cho",
    "윤": "yoon",
}
KO_SURNAMES |= {
    "한": "han",
    "오": "oh",
    "서": "seo",
    "신": "shin",
    "권": "kwon",
    "황": "hwang",
    "안": "ahn",
    "송": "song",
}
KO_SURNAMES |= {
    "류": "ryu",
    "전": "jeon",
    "홍": "hong",
    "고": "ko",
    "문": "moon",
    "양": "yang",
    "손": "son",
    "배": "bae",
}
KO_GIVEN = {"M": list(KoreanNames.first_names_male), "F": list(KoreanNames.first_names_female)}
PLANTED_SHARE = 0.05
SEX_NOT_LISTED = 0.02  # entries without a sex; travellers always carry theirs (passport, PAXLST)
# the other spellings a traveller may use: those the list can know (a pinyin-only entry has no Hong Kong reading)
ALTERNATIVES = {
    "han": ["wade-giles", "cantonese"],
    "pinyin": ["wade-giles"],
    "taiwan": ["pinyin"],
    "hongkong": ["pinyin"],
}
BATCH = 10_000
MANIFEST = 300
CHANGES: dict[str, str] = {}  # planted traveller → the change made to the entry's name


@dataclass(frozen=True)
class Generated:
    """A generated person: the forms they can be written in, and how."""

    kind: str  # han | pinyin | taiwan | hongkong | korean | western
    surname: list[str]  # Latin tokens
    given: list[str]
    han: str | None
    alternatives: list[tuple[list[str], list[str]]]  # other romanisations (surname, given)
    birth: str | None
    nationality: str
    sex: str  # M | F


def chinese(rng: random.Random) -> Generated:
    sex = rng.choice("MF")
    surname = rng.choices(ZH_SURNAMES, ZH_WEIGHTS)[0]
    han = surname + "".join(rng.choices(ZH_GIVEN[sex], k=1 if rng.random() < 0.2 else 2))
    readings = {r.system: ([("".join(r.surname))], list(r.given)) for r in han_readings(han)}
    kind = rng.choices(["han", "pinyin", "taiwan", "hongkong"], [4, 2, 1, 1])[0]
    system = {"han": "pinyin", "pinyin": "pinyin", "taiwan": "wade-giles", "hongkong": "cantonese"}[kind]
    own = readings.get(system, readings["pinyin"])
    nationality = {"taiwan": "TWN", "hongkong": "HKG"}.get(kind, "CHN")
    others = [readings[s] for s in ALTERNATIVES[kind] if s in readings and readings[s] != own]
    return Generated(kind, own[0], own[1], han, others, birth(rng), nationality, sex)


def korean(rng: random.Random) -> Generated:
    sex = rng.choice("MF")
    hangul = rng.choice(list(KO_SURNAMES))
    given = [anyascii(char).lower() for char in rng.choice(KO_GIVEN[sex])]
    canonical = korean_canonical().get(KO_SURNAMES[hangul], KO_SURNAMES[hangul])
    spellings = [s for s, c in korean_canonical().items() if c == canonical]
    others = [([s], given) for s in spellings if s != KO_SURNAMES[hangul] and len(s) > 1]
    return Generated("korean", [KO_SURNAMES[hangul]], given, None, others, birth(rng), "KOR", sex)


def western(rng: random.Random, fakers: list[Faker]) -> Generated:
    faker, sex = rng.choice(fakers), rng.choice("MF")
    first = faker.first_name_male() if sex == "M" else faker.first_name_female()
    surname, given = latin_tokens(faker.last_name()), latin_tokens(first)
    nationality = rng.choice(["USA", "DEU", "RUS", "GBR"])
    return Generated("western", surname, given, None, [], birth(rng), nationality, sex)


def birth(rng: random.Random) -> str | None:
    roll = rng.random()
    year, month, day = rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
    if roll < 0.02:
        return None
    return f"{year}" if roll < 0.10 else f"{year}-{month:02d}-{day:02d}"


def population(rng: random.Random, size: int) -> list[Generated]:
    fakers = [Faker(locale) for locale in ("en_US", "de_DE", "ru_RU")]
    for seeded, faker in enumerate(fakers):
        faker.seed_instance(rng.randint(0, 10**9) + seeded)
    kinds = rng.choices(["chinese", "korean", "western"], [85, 5, 10], k=size)
    return [chinese(rng) if k == "chinese" else korean(rng) if k == "korean" else western(rng, fakers) for k in kinds]


def entry(position: int, person: Generated, rng: random.Random) -> Entry:
    listed = f"{' '.join(person.surname).upper()}, {' '.join(person.given).capitalize()}"
    names = (person.han, listed) if person.han and person.kind != "pinyin" else (listed,)
    sex = None if rng.random() < SEX_NOT_LISTED else person.sex
    return Entry(f"E{position}", names, person.birth, person.nationality, sex=sex)


def traveller(position: int, person: Generated, rng: random.Random) -> Person:
    """An innocent traveller: the person's own spelling, full date of birth, MRZ or free form."""
    full_birth = person.birth if person.birth and len(person.birth) == 10 else _full(rng, person.birth)
    name = written(person.surname, person.given, rng)
    return Person(f"T{position}", (name,), full_birth, person.nationality, sex=person.sex)


def _full(rng: random.Random, partial: str | None) -> str:
    year = partial[:4] if partial else str(rng.randint(1940, 2005))
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def written(surname: list[str], given: list[str], rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "<".join(surname).upper() + "<<" + "<".join(given).upper()
    return f"{' '.join(surname).upper()} {'-'.join(given).capitalize() if rng.random() < 0.3 else ''.join(given)}"


def planted(position: int, person: Generated, rng: random.Random) -> tuple[Person, str]:
    """A list entry written another way, with its date of birth in one of the classes; and the change made."""
    change = rng.choice(["romanisation", "swapped", "joined", "typo", "mrz"])
    surname, given = variant(person, change, rng)
    name = written_planted(surname, given, rng)
    return Person(f"P{position}", (name,), planted_birth(person.birth, rng), person.nationality, sex=person.sex), change


def variant(person: Generated, change: str, rng: random.Random) -> tuple[list[str], list[str]]:
    surname, given = list(person.surname), list(person.given)
    if change == "romanisation" and person.alternatives:
        surname, given = (list(part) for part in rng.choice(person.alternatives))
    elif change == "typo":
        surname, given = typo(surname, given, rng)
    elif change == "swapped":
        return given, surname
    return surname, given


def typo(surname: list[str], given: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    tokens = surname + given
    candidates = [i for i, token in enumerate(tokens) if len(token) >= 4] or [len(tokens) - 1]
    i = rng.choice(candidates)
    token, at = tokens[i], rng.randrange(len(tokens[i]))
    edit = rng.choice(["substitute", "delete", "transpose"])
    if edit == "substitute":
        token = token[:at] + rng.choice("aeioulnmstr") + token[at + 1 :]
    elif edit == "delete" and len(token) > 2:
        token = token[:at] + token[at + 1 :]
    elif at < len(token) - 1:
        token = token[:at] + token[at + 1] + token[at] + token[at + 2 :]
    tokens[i] = token
    return tokens[: len(surname)], tokens[len(surname) :]


def written_planted(surname: list[str], given: list[str], rng: random.Random) -> str:
    """MRZ, surname first or given names first; given names together, apart or hyphenated."""
    joined = rng.choice(["".join(given), " ".join(given), "-".join(given)])
    form = rng.choice(["mrz", "surname-first", "given-first"])
    if form == "mrz":
        return "<".join(surname).upper() + "<<" + joined.replace(" ", "<").replace("-", "<").upper()
    return f"{' '.join(surname)} {joined}" if form == "surname-first" else f"{joined} {' '.join(surname)}"


def planted_birth(listed: str | None, rng: random.Random) -> str:
    """A passport's full date: the entry's, day and month swapped (15 %, when possible), one year off (15 %)."""
    roll = rng.random()
    if listed is None or len(listed) < 10:
        return _full(rng, listed)
    year, month, day = listed.split("-")
    if roll < 0.15 and int(day) <= 12:
        return f"{year}-{day}-{month}"
    if roll < 0.3:
        return f"{int(year) + rng.choice([-1, 1])}-{month}-{day}"
    return listed


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    started = time.perf_counter()
    people = population(rng, args.watchlist)
    entries = [entry(i, person, rng) for i, person in enumerate(people)]
    print(f"list of {len(entries):,} entries generated in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    index = WatchlistIndex(entries=entries, list_version="bench@1")
    print(f"index built in {time.perf_counter() - started:.1f} s: {index.size}", flush=True)
    travellers, truth = travellers_of(people, args.travellers, rng)
    if args.without_sex:
        travellers = [dataclasses.replace(person, sex=None) for person in travellers]
    return measure(index, travellers, truth)


def travellers_of(people: list[Generated], size: int, rng: random.Random) -> tuple[list[Person], dict[str, str]]:
    """Innocent travellers from a fresh population and planted variants of list entries, shuffled."""
    n_planted = max(1, int(size * PLANTED_SHARE))
    truth: dict[str, str] = {}
    travellers = [traveller(i, person, rng) for i, person in enumerate(population(rng, size - n_planted))]
    for i in range(n_planted):
        target = rng.randrange(len(people))
        person, CHANGES[f"P{i}"] = planted(i, people[target], rng)
        truth[f"P{i}"] = f"E{target}"
        travellers.append(person)
    rng.shuffle(travellers)
    return travellers, truth


def measure(index: WatchlistIndex, travellers: list[Person], truth: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    hits = [hit for at in range(0, len(travellers), BATCH) for hit in index.match(travellers[at : at + BATCH])]
    elapsed = time.perf_counter() - started
    found = {(hit.person_id, hit.entry_id) for hit in hits}
    planted_found = sum((person, entry_id) in found for person, entry_id in truth.items())
    innocent = {hit.person_id for hit in hits if hit.person_id not in truth}
    figures = {
        "travellers_per_s": round(len(travellers) / elapsed),
        "blocking_recall": round(blocking_recall(index, travellers, truth), 4),
        "recall_planted": round(planted_found / len(truth), 4),
        "innocent_alert_rate": round(len(innocent) / (len(travellers) - len(truth)), 4),
        "peak_memory_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2),
    }
    print(f"{len(travellers):,} travellers matched in {elapsed:.2f} s; {len(hits):,} alerts", flush=True)
    print(f"a {MANIFEST}-person manifest: best of 5 {manifest_ms(index, travellers):.1f} ms", flush=True)
    misses(index, travellers, truth, found)
    innocents(hits, truth, {person.person_id: person for person in travellers})
    return figures


def blocking_recall(index: WatchlistIndex, travellers: list[Person], truth: dict[str, str]) -> float:
    """The share of planted travellers whose entry is among their candidates (before any score threshold)."""
    planted_ones = [person for person in travellers if person.person_id in truth]
    found = index.candidates(planted_ones)
    at, entries = index.candidate_entries(found)
    people = found.person[at]
    met = {(planted_ones[p].person_id, index.entries[e].entry_id) for p, e in zip(people, entries, strict=True)}
    return sum((person, entry_id) in met for person, entry_id in truth.items()) / len(truth)


def _dob_kind(listed: str | None, given: str | None) -> str:
    return dob_class(parse_birth_date(listed), parse_birth_date(given))


def manifest_ms(index: WatchlistIndex, travellers: list[Person]) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        index.match(travellers[:MANIFEST])
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def misses(index: WatchlistIndex, travellers: list[Person], truth: dict[str, str], found: set[tuple[str, str]]) -> None:
    """A few planted travellers that raised no alert on their entry, to read."""
    by_id = {person.person_id: person for person in travellers}
    entries = {e.entry_id: e for e in index.entries}
    missed = [(by_id[p], entries[e]) for p, e in truth.items() if (p, e) not in found]
    kinds = Counter((CHANGES[p.person_id], _dob_kind(e.birth_date, p.birth_date)) for p, e in missed)
    print("  planted missed by (change, dob):", dict(kinds.most_common()))
    print("  planted missed by sex:", dict(Counter(sex_class(e.sex, p.sex) for p, e in missed).most_common()))
    for person, listed in missed[:8]:
        print(f"  missed: {person.names[0]!r} {person.birth_date} ← {listed.names} {listed.birth_date}")


def innocents(hits: list[Hit], truth: dict[str, str], by_id: dict[str, Person]) -> None:
    """Alerts on innocent travellers by date-of-birth class, sex and name score, and a few to read."""
    innocent = [h for h in hits if h.person_id not in truth]
    classes = Counter((h.features["dob"], h.features["sex"], h.features["name"] == 1.0) for h in innocent)
    print("  innocent alerts by (dob, sex, exact name):", dict(classes.most_common()))
    for hit in [hit for hit in hits if hit.person_id not in truth][:8]:
        person = by_id[hit.person_id]
        print(f"  innocent alert: {person.names[0]!r} {person.birth_date} → {hit.alias} {hit.features}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchlist", type=int, default=100_000, help="list entries")
    parser.add_argument("--travellers", type=int, default=10_000, help="travellers to check")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--without-sex", action="store_true", help="travellers carry no sex (the rules before it)")
    figures = run(parser.parse_args())
    sys.stdout.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
