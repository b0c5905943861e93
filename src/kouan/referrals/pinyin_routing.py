"""English / pinyin addresses → a division. cpca reads only Chinese characters; travellers write "Chaoyang District,
Beijing" or "Xuhui Qu Shanghai Shi". The division names cpca itself uses (its resources/adcodes.csv) are put into
toneless pinyin (pypinyin) with and without their suffixes, plus the English names of the province-level divisions,
once, in a module-level cache. An address is then cut into words, the words into mentions of divisions, and the most
specific division that the most mentions agree with wins — unless two fit equally, which is said, never guessed."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

Alias = tuple[str, ...]

_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_LONGEST_ALIAS = 5
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

# Chinese suffix → the ways it is written in pinyin or English after the name; longest suffix first.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("自治县", ("zizhixian", "autonomous county", "county", "xian")),
    ("自治州", ("zizhizhou", "autonomous prefecture", "prefecture", "zhou")),
    ("自治旗", ("zizhiqi", "autonomous banner", "banner", "qi")),
    ("新区", ("xinqu", "new area", "new district", "district", "qu")),
    ("林区", ("linqu", "forestry district", "district", "qu")),
    ("地区", ("diqu", "prefecture")),
    ("区", ("qu", "district")),
    ("县", ("xian", "county")),
    ("市", ("shi", "city")),
    ("旗", ("qi", "banner")),
    ("盟", ("meng", "league")),
)
_PROVINCE_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("特别行政区", ("sar", "special administrative region")),
    ("自治区", ("autonomous region", "zizhiqu")),
    ("省", ("province", "sheng")),
    ("市", ("shi", "city", "municipality")),
)
# The names the province-level divisions go by in English and pinyin (陕西 is Shaanxi, 山西 Shanxi).
_PROVINCES: dict[str, tuple[str, ...]] = {
    "11": ("beijing", "peking"),
    "12": ("tianjin",),
    "13": ("hebei",),
    "14": ("shanxi",),
    "15": ("inner mongolia", "neimenggu", "nei mongol", "neimongol"),
    "21": ("liaoning",),
    "22": ("jilin",),
    "23": ("heilongjiang",),
    "31": ("shanghai",),
    "32": ("jiangsu",),
    "33": ("zhejiang",),
    "34": ("anhui",),
    "35": ("fujian",),
    "36": ("jiangxi",),
    "37": ("shandong",),
    "41": ("henan",),
    "42": ("hubei",),
    "43": ("hunan",),
    "44": ("guangdong",),
    "45": ("guangxi", "guangxi zhuang"),
    "46": ("hainan",),
    "50": ("chongqing",),
    "51": ("sichuan",),
    "52": ("guizhou",),
    "53": ("yunnan",),
    "54": ("tibet", "xizang"),
    "61": ("shaanxi",),
    "62": ("gansu",),
    "63": ("qinghai",),
    "64": ("ningxia", "ningxia hui"),
    "65": ("xinjiang", "xinjiang uygur", "xinjiang uyghur", "xinjiang weiwuer"),
    "71": ("taiwan",),
    "81": ("hong kong", "hongkong", "xianggang"),
    "82": ("macau", "macao", "aomen"),
}
# Cities better known by a non-pinyin name, and place names pypinyin reads with the wrong sound of a character.
_EXONYMS: dict[str, tuple[str, ...]] = {
    "230100": ("harbin",),
    "150100": ("hohhot",),
    "650100": ("urumqi",),
    "540100": ("lhasa",),
    "653100": ("kashgar",),
}
_READINGS: dict[str, str] = {"朝阳": "chaoyang"}
_ABBREVIATIONS: dict[str, str] = {"dist": "district", "prov": "province"}


@dataclass(frozen=True)
class Mention:
    phrase: str
    places: dict[str, bool]  # 6-digit adcode → named with its suffix ("chaoyang district"), not bare ("chaoyang")


@dataclass(frozen=True)
class PinyinMatch:
    adcode: str = ""  # 2, 4 or 6 digits when found
    name: str = ""
    reason: str = ""  # why not, when not


def has_chinese(text: str) -> bool:
    return re.search(r"[\u3400-\u9fff]", text) is not None


def match(address: str) -> PinyinMatch | None:
    """The division an address without Chinese characters names; None when it names none."""
    mentions = find_mentions(words(address))
    if not mentions:
        return None
    best = _best(mentions)
    if len(best) > 1:
        return PinyinMatch(reason=_ambiguous(codes=best, mentions=mentions))
    code = best[0]
    if _bare_district(code=code, mentions=mentions):
        return PinyinMatch(reason=_needs_parent(code=code, mentions=mentions))
    return PinyinMatch(adcode=code[: _digits(code)], name=full_name(code))


def words(address: str) -> list[str]:
    """Lowercase ASCII words; accents, apostrophes (Xi'an), punctuation and anything with a digit go."""
    text = unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode().lower().replace("'", "")
    tokens = re.findall(r"[a-z0-9]+", text)
    return [_ABBREVIATIONS.get(token, token) for token in tokens if not any(ch.isdigit() for ch in token)]


def find_mentions(tokens: Sequence[str]) -> list[Mention]:
    """Longest alias first, left to right; words that name no division are skipped."""
    found: list[Mention] = []
    start = 0
    while start < len(tokens):
        size = _longest_alias(tokens=tokens, start=start)
        if size:
            alias = tuple(tokens[start : start + size])
            found.append(Mention(phrase=" ".join(alias), places=pinyin_index()[alias]))
        start += size or 1
    return found


def _longest_alias(*, tokens: Sequence[str], start: int) -> int:
    index = pinyin_index()
    for size in range(min(_LONGEST_ALIAS, len(tokens) - start), 0, -1):
        if tuple(tokens[start : start + size]) in index:
            return size
    return 0


def _best(mentions: Sequence[Mention]) -> list[str]:
    """The places most mentions agree with (the place or one of its parents named); provinces first, and a place
    that holds all the others tied with it stands for them."""
    candidates = sorted({code for mention in mentions for code in mention.places})
    scores = {code: _support(code=code, mentions=mentions) for code in candidates}
    tied = [code for code in candidates if scores[code] == max(scores.values())]
    tied = [code for code in tied if code.endswith("0000")] or tied
    tied = [code for code in tied if not _minor(code=code, mentions=mentions)] or tied
    holder = next((code for code in tied if all(_lineage(other) >= {code} for other in tied)), None)
    return [holder] if holder else tied


def _support(*, code: str, mentions: Iterable[Mention]) -> int:
    lineage = _lineage(code)
    return sum(1 for mention in mentions if lineage & mention.places.keys())


def _lineage(code: str) -> set[str]:
    return {code[:2] + "0000", code[:4] + "00", code}


def _bare_district(*, code: str, mentions: Sequence[Mention]) -> bool:
    """A district named without a suffix and without its city or province: too weak ("Dean Street" is not 德安县)."""
    if _digits(code) < 6 or _support(code=code, mentions=mentions) > 1:
        return False
    return not any(mention.places.get(code) for mention in mentions)


def _minor(*, code: str, mentions: Sequence[Mention]) -> bool:
    """A bare district that yields to a city of the same sound ("Nanjing" is not 南靖县); a municipality's districts
    (朝阳区, Beijing) are as well known as cities and do not yield."""
    municipal = code[:2] in _MUNICIPALITIES and division_names()[code].endswith("区")
    return not municipal and _bare_district(code=code, mentions=mentions)


def _ambiguous(*, codes: Sequence[str], mentions: Sequence[Mention]) -> str:
    phrases = sorted({m.phrase for m in mentions if any(code in m.places for code in codes)})
    places = ", ".join(f"{full_name(code)} {code[: _digits(code)]}" for code in codes)
    return f"{' / '.join(phrases)!r} fits {len(codes)} places ({places}): the address must name the city or province"


def _needs_parent(*, code: str, mentions: Sequence[Mention]) -> str:
    phrase = next(m.phrase for m in mentions if code in m.places)
    return f"{phrase!r} may be {full_name(code)} ({code}) but names no city or province: the address must name one"


def _digits(code: str) -> int:
    return 2 if code.endswith("0000") else 4 if code.endswith("00") else 6


@lru_cache(maxsize=1)
def division_names() -> dict[str, str]:
    """6-digit adcode → name, from the table cpca itself matches against."""
    with resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as handle:
        return {row["adcode"][:6]: row["name"] for row in csv.DictReader(handle)}


def full_name(code: str) -> str:
    """广东省广州市天河区; a municipality's districts sit right under it (北京市朝阳区)."""
    names = division_names()
    path = dict.fromkeys([code[:2] + "0000", code[:4] + "00", code])
    return "".join(names.get(part, "") for part in path if names.get(part, "") not in _NOT_PLACES)


@lru_cache(maxsize=1)
def pinyin_index() -> dict[Alias, dict[str, bool]]:
    """Alias (words) → the 6-digit adcodes it may name, each with whether the alias carried the suffix. Built once."""
    index: dict[Alias, dict[str, bool]] = defaultdict(dict)
    for code, name in division_names().items():
        for alias, qualified in _aliases(code=code, name=name):
            index[alias][code] = index[alias].get(code, False) or qualified
    return dict(index)


def _aliases(*, code: str, name: str) -> list[tuple[Alias, bool]]:
    if name in _NOT_PLACES or code[2:] == "0000" and code[:2] not in _PROVINCES:
        return []
    if code.endswith("0000"):
        return _named(cores=_PROVINCES[code[:2]], tails=_tails(name=name, suffixes=_PROVINCE_SUFFIXES))
    stem = _stem(name)
    cores = [*_variants(_pinyin(name=name, stem=stem)), *_EXONYMS.get(code, ())]
    named = _named(cores=cores, tails=_tails(name=name, suffixes=_SUFFIXES))
    return named if len(stem) > 1 else [(alias, qualified) for alias, qualified in named if qualified]


def _named(*, cores: Iterable[str], tails: Sequence[str]) -> list[tuple[Alias, bool]]:
    """Each core alone (bare), with each tail as words (qualified), and with a one-word tail joined on (zhongxian)."""
    found: list[tuple[Alias, bool]] = []
    for core in cores:
        found.append((tuple(core.split()), False))
        found += [((*core.split(), *tail.split()), True) for tail in tails]
        found += [((core.replace(" ", "") + tail,), True) for tail in tails if " " not in tail]
    return found


def _tails(*, name: str, suffixes: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
    return next((tails for suffix, tails in suffixes if name.endswith(suffix) and len(name) > len(suffix)), ())


def _stem(name: str) -> str:
    """The name without its suffix and, for an autonomous one, without its peoples (大理白族自治州 → 大理)."""
    suffix = next((s for s, _ in _SUFFIXES if name.endswith(s) and len(name) > len(s)), "")
    stem = name[: len(name) - len(suffix)]
    while suffix.startswith("自治") and (people := _trailing_people(stem)):
        stem = stem[: -len(people)]
    return stem


def _trailing_people(stem: str) -> str:
    return next((p for p in _peoples() if stem.endswith(p) and len(stem) > len(p) + 1), "")


@lru_cache(maxsize=1)
def _peoples() -> tuple[str, ...]:
    """The 56 peoples cpca lists (苗族), with and without 族, longest first."""
    text = resources.files("cpca").joinpath("resources/56_nations.csv").read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip()}
    return tuple(sorted(names | {n.removesuffix("族") for n in names if len(n) > 2}, key=len, reverse=True))


def _pinyin(*, name: str, stem: str) -> str:
    """The stem's toneless pinyin, read in the context of the whole name (pypinyin knows more place names whole)."""
    from pypinyin import lazy_pinyin  # its dictionaries load on first use

    if stem in _READINGS:
        return _READINGS[stem]
    syllables = lazy_pinyin(name)
    return "".join(syllables[: len(stem)] if len(syllables) == len(name) else lazy_pinyin(stem))


def _variants(core: str) -> list[str]:
    """ü is written v by pypinyin, u by most people (Lüliang: lvliang, luliang)."""
    return list(dict.fromkeys([core, core.replace("v", "u")]))
