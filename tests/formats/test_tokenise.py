"""The tokenizer splits an interchange into the same segments as pydifact's character-by-character Tokenizer
(what kouan used before), on real samples and on generated text full of service and release characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydifact.exceptions import EDISyntaxError
from pydifact.token import Token
from pydifact.tokenizer import Tokenizer

from kouan.formats.edifact import DEFAULT_SERVICE, Segment, ServiceChars, _segments
from kouan.formats.records import FormatError
from tests.formats.strategies import FUZZ, samples

SERVICES = [
    DEFAULT_SERVICE,
    ServiceChars.from_una(":+.? '", position="1"),
    ServiceChars.from_una("|*.# ~", position="1"),
]


def pydifact_segments(body: str, service: ServiceChars, first: int) -> list[Segment]:
    """pydifact's tokens grouped into segments, empty segments dropped (the former implementation)."""
    segments: list[Segment] = []
    elements: list[list[str]] = [[""]]
    for token in Tokenizer().get_tokens(body, service.pydifact()):
        if token.type is Token.Type.TERMINATOR:
            if elements != [[""]]:
                tag = ":".join(elements[0]).strip()
                segments.append(Segment(tag, tuple(tuple(p) for p in elements[1:]), first + len(segments)))
            elements = [[""]]
        elif token.type is Token.Type.DATA_SEPARATOR:
            elements.append([""])
        elif token.type is Token.Type.COMPONENT_SEPARATOR:
            elements[-1].append("")
        else:
            elements[-1][-1] += token.value
    return segments


def terminated(body: str, service: ServiceChars) -> str:
    """As tokenise hands a body over: no line breaks, ending with an unreleased terminator."""
    body = body.replace("\r", "").replace("\n", "")
    trailing = len(body) - len(body.rstrip(service.release))
    return body + (service.release if trailing % 2 else "") + service.terminator


def same_as_pydifact(body: str, service: ServiceChars) -> None:
    try:
        expected = pydifact_segments(body, service, 1)
    except EDISyntaxError:
        with pytest.raises(FormatError):
            _segments(body, service, 1)
        return
    assert _segments(body, service, 1) == expected


EDIFACT_SAMPLES = [text for text in samples("*.edi", "*.txt") if "UNB" in text]  # the .txt samples include others


def test_there_are_edifact_samples_to_compare() -> None:
    assert len(EDIFACT_SAMPLES) >= 3


@pytest.mark.parametrize("text", EDIFACT_SAMPLES, ids=lambda t: t[:30])
def test_real_samples_split_as_pydifact_split_them(text: str) -> None:
    body = text[text.find("UNB") :]
    same_as_pydifact(terminated(body, DEFAULT_SERVICE), DEFAULT_SERVICE)


SPECIAL = st.sampled_from(list(":+?' |*#~.AB1 é\t"))


@FUZZ
@given(body=st.text(SPECIAL, max_size=200) | st.text(max_size=100), which=st.integers(0, len(SERVICES) - 1))
def test_generated_text_splits_as_pydifact_splits_it(body: str, which: int) -> None:
    service = SERVICES[which]
    same_as_pydifact(terminated(body, service), service)


def test_released_separators_stay_in_their_component() -> None:
    [segment] = _segments("NAD+FL+++O?'BRIEN?+SON:X??Y'", DEFAULT_SERVICE, 1)
    assert segment.elements[3] == ("O'BRIEN+SON", "X?Y")
