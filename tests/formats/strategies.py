"""Hypothesis strategies for the formats tests: hostile text (arbitrary, raw bytes as a file would be read, real
samples cut and shuffled) and realistic records for the writers' round trips."""

from __future__ import annotations

import json
import os
import string
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kouan.clitools import decoded_message

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "data"  # the real samples, copied from shared/data with licences
TODAY = date(2020, 3, 20)

# KOUAN_FUZZ_EXAMPLES=5000 hunts longer (under a minute a parser); 150 keeps the formats suite quick
FUZZ = settings(
    max_examples=int(os.environ.get("KOUAN_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ROUND_TRIP = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def samples(*patterns: str) -> list[str]:
    """The text of every sample file matching one of ``patterns`` here and in the repository's real samples."""
    folders = [DATA, *(p for p in SAMPLES.glob("*") if p.is_dir())]
    found = sorted({path for folder in folders for pattern in patterns for path in folder.glob(pattern)})
    return [path.read_text(encoding="utf-8") for path in found]


NOISE = st.sampled_from(list(":+?'*\"/ \n\r\t0A9\x00\ufeffé{}[],;\\"))
any_text = st.text(max_size=400) | st.binary(max_size=400).map(decoded_message)


@st.composite
def cut_and_noised(draw: st.DrawFn, text: str) -> str:
    """``text`` truncated, or with a few characters replaced, inserted or deleted."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        if action == "truncate":
            chars = chars[:at]
        elif action == "insert":
            chars.insert(at, draw(NOISE | st.characters()))
        elif chars and at < len(chars):
            chars[at : at + 1] = [] if action == "delete" else [draw(NOISE)]
    return "".join(chars)


# --- EDIFACT ------------------------------------------------------------------------------------------------


def _split_segments(text: str) -> tuple[str, list[str]]:
    """The UNA service string (or "") and the segments, each with its terminator, of a clean sample."""
    una = text[:9] if text.startswith("UNA") else ""
    body = text[len(una) :]
    return una, [part + "'" for part in body.split("'") if part.strip()]


@st.composite
def shuffled_segments(draw: st.DrawFn, text: str) -> str:
    """A sample with segments dropped, duplicated or swapped, its separators changed, and possibly cut."""
    una, segments = _split_segments(text)
    for _ in range(draw(st.integers(1, 5))):
        if not segments:
            break
        i, j = draw(st.integers(0, len(segments) - 1)), draw(st.integers(0, len(segments) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "swap"]))
        if action == "drop":
            del segments[i]
        elif action == "duplicate":
            segments.insert(j, segments[i])
        else:
            segments[i], segments[j] = segments[j], segments[i]
    una = draw(st.sampled_from([una, "", "UNA:+.? '", "UNA*+.? '", "UNA:+. \n'", "UNA:+.?*"]) | _una())
    body = "".join(segments)
    if draw(st.booleans()):
        body = body.translate(str.maketrans(":+'", "".join(draw(st.permutations(list(":+'"))))))
    text = una + body
    return text[: draw(st.integers(0, len(text)))] if draw(st.booleans()) else text


def _una() -> st.SearchStrategy[str]:
    return st.text(alphabet=":+.? '*|^~\n\\aZ0", min_size=0, max_size=7).map(lambda six: "UNA" + six)


PAXLST_TAGS = ["BGM", "TDT", "LOC", "DTM", "NAD", "ATT", "NAT", "RFF", "DOC", "CNT", "FTX", "UNT", "UNH"]
PNRGOV_TAGS = ["MSG", "ORG", "TVL", "EQN", "SRC", "RCI", "TIF", "SSR", "RPI", "TRI", "SSD", "ABI", "DAT", "SAC", "DAT"]
_COMPONENTS = st.sampled_from(
    ["", "1", "2", "22", "41", "42", "745", "250", "87", "125", "92", "91", "189", "232", "329", "36", "182", "FL",
     "FM", "DDT", "MS", "P", "SEA", "AVF", "DOCS", "SEAT", "HK", "G", "A", "MR", "CA", "PEK", "FRA", "15A", "XXX",
     "200320", "0930", "2003201830", "20200320", "05FEB53", "/P/CHN/E123/CHN/05FEB53/M/01JAN30/WANG/FANG", "0",
     "99999999999", "X" * 40, "LHR", "PAR", "3", "8", "9"]
) | st.text(alphabet="0123456789ABZ /", max_size=12)  # fmt: skip


_HEADS = {
    "PAXLST": "BGM+745'TDT+20+CA931+++CA'LOC+125+FRA'DTM+189:2003201830:201'LOC+87+PEK'NAD+FL+++WANG:FANG'",
    "PNRGOV": "MSG+:22'TVL+200320:1830:210320:1030+FRA+PEK+CA+931'EQN+1'SRC'RCI+CA:ABC123'TIF+WANG+FANG:A:1'",
}


@st.composite
def random_segments(draw: st.DrawFn, kind: str) -> str:
    """A message of ``kind`` whose body is segments with known tags and plausible values, in any order."""
    tags = PAXLST_TAGS if kind == "PAXLST" else PNRGOV_TAGS
    element = st.lists(_COMPONENTS, min_size=1, max_size=9).map(":".join)
    segment = st.builds(
        lambda tag, elements: "+".join([tag, *elements]) + "'", st.sampled_from(tags), st.lists(element, max_size=6)
    )
    version = "PAXLST:D:05B:UN:IATA" if kind == "PAXLST" else "PNRGOV:13:1:IA"
    head = _HEADS[kind] if draw(st.booleans()) else ""
    body = head + "".join(draw(st.lists(segment, min_size=1, max_size=40)))
    return f"UNA:+.? 'UNB+UNOA:4+X+Y+200320:1200+1'UNH+1+{version}'{body}UNT+2+1'UNZ+1+1'"


def edifact_garbage(texts: list[str], *, kind: str | None = None) -> st.SearchStrategy[str]:
    chosen = st.sampled_from(texts)
    garbage = any_text | chosen.flatmap(shuffled_segments) | chosen.flatmap(cut_and_noised)
    return garbage | random_segments(kind) if kind else garbage


# --- JSON ---------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["yes", "no", "2020-03-01", "CNSHA", "PA", "9074729", "1e400", "-1", "31/02/2020"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


@st.composite
def changed_json(draw: st.DrawFn, text: str) -> str:
    """A sample JSON document with values anywhere in it replaced by arbitrary JSON, or removed."""
    document = json.loads(text)
    for _ in range(draw(st.integers(1, 5))):
        document = _change(draw, document, root=True)
    return json.dumps(document)


def _change(draw: st.DrawFn, value: Any, *, root: bool = False) -> Any:
    if isinstance(value, dict) and value and (root or draw(st.booleans())):
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(["descend", "replace", "remove"]))
        if action == "remove":
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: _change(draw, value[key]) if action == "descend" else draw(json_values)}
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], _change(draw, value[index]), *value[index + 1 :]]
    return draw(json_values)


def json_garbage(texts: list[str]) -> st.SearchStrategy[str]:
    chosen = st.sampled_from(texts)
    whole = json_values.map(json.dumps)
    changed = chosen.flatmap(changed_json)
    return st.one_of(any_text, whole, changed, changed, changed, chosen.flatmap(cut_and_noised))


# --- realistic values for round trips --------------------------------------------------------------------------

LETTERS = string.ascii_uppercase
word = st.text(alphabet=LETTERS, min_size=1, max_size=10)
names = st.lists(word, min_size=1, max_size=3).map(" ".join)
codes = st.text(alphabet=LETTERS + string.digits, min_size=1, max_size=9)
airports = st.sampled_from(["PEK", "PVG", "CAN", "FRA", "FCO", "JFK", "YVR", "DXB", "ICN", "NRT", "LHR", "CDG"])
countries = st.sampled_from(["CHN", "DEU", "ITA", "USA", "CAN", "KOR", "JPN", "GBR", "FRA", "IRN", "PHL", "UKR"])
carriers = st.sampled_from(["CA", "MU", "CZ", "LH", "AZ", "UA", "EK", "KE", "BA", "AF"])
seats = st.builds(lambda row, letter: f"{row}{letter}", st.integers(1, 99), st.sampled_from("ABCDEFGHJK"))
past_dates = st.dates(min_value=TODAY - timedelta(days=365 * 99), max_value=TODAY)
future_dates = st.dates(min_value=TODAY, max_value=date(2049, 12, 31))
minutes = st.builds(
    lambda day, hour, minute: datetime.combine(day, time(hour, minute)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
)
TITLES = {"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "SIR", "LADY", "MME", "MLLE", "MASTER", "CHD", "INF"}
# given names a reader cannot mistake for a title, spaced ("LUC MR") or glued ("LUCMR")
given_names = names.filter(lambda n: not set(n.split()) & TITLES and not n.endswith(("MR", "MRS", "MISS", "MSTR")))
