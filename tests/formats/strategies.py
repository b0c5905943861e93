"""Hypothesis strategies for the formats tests: hostile text (arbitrary, raw bytes as a file would be read, real
samples cut and shuffled) and realistic records for the writers' round trips."""

from __future__ import annotations

import json
import string
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

DATA = Path(__file__).parent / "data"
SHARED_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "samples"
TODAY = date(2020, 3, 20)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIP = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def samples(*patterns: str) -> list[str]:
    """The text of every sample file matching one of ``patterns`` here and in the shared samples."""
    folders = [DATA, *(p for p in SHARED_SAMPLES.glob("*") if p.is_dir())]
    found = sorted({path for folder in folders for pattern in patterns for path in folder.glob(pattern)})
    return [path.read_text(encoding="utf-8") for path in found]


def as_read_from_a_file(data: bytes) -> str:
    """Bytes as ``kouan.clitools.read_text`` turns them into text: UTF-8, else Latin-1."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


NOISE = st.sampled_from(list(":+?'*\"/ \n\r\t0A9\x00\ufeffé{}[],;\\"))
any_text = st.text(max_size=400) | st.binary(max_size=400).map(as_read_from_a_file)


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


def edifact_garbage(texts: list[str]) -> st.SearchStrategy[str]:
    chosen = st.sampled_from(texts)
    return any_text | chosen.flatmap(shuffled_segments) | chosen.flatmap(cut_and_noised)


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
        document = _change(draw, document)
    return json.dumps(document)


def _change(draw: st.DrawFn, value: Any) -> Any:
    if isinstance(value, dict) and value and draw(st.booleans()):
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
    return any_text | whole | chosen.flatmap(changed_json) | chosen.flatmap(cut_and_noised)


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
