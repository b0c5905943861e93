"""UN/EDIFACT syntax shared by the carrier-message parsers (PAXLST now, PNRGOV later): service characters,
tokenising a whole interchange into numbered segments, EDIFACT dates, and writing escaped segments.

Tokenising is done here with str.split on the service characters (released characters protected first): the
segments pydifact's ``Tokenizer`` gives, without its loop per character (``tests/formats/test_tokenise.py`` holds
the two to the same segments). The text is pre-normalised first (see :func:`tokenise`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from pydifact.control import Characters

from kouan.formats.records import FormatError, ParseWarning

NO_RELEASE = "\x00"  # stands in for "no release character" (a space in UNA position 4)
_START = re.compile(r"(?m)(?:^|(?<='))[ \t]*(?=UN[ABH])")
_NUMBER = re.compile(r"segment (\d+)")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_FORMATS = {6: "%y%m%d", 8: "%Y%m%d", 10: "%y%m%d%H%M", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
_NOT_UNOA = re.compile(r"[^A-Z0-9 .,\-()/='+:?!\"%&*;<>]")
_NO_DECOMPOSITION = str.maketrans(
    {
        "Ø": "O",
        "ø": "O",
        "Æ": "AE",
        "æ": "AE",
        "Œ": "OE",
        "œ": "OE",
        "Đ": "D",
        "đ": "D",
        "Ł": "L",
        "ł": "L",
        "Þ": "TH",
        "þ": "TH",
        "ı": "I",
    }
)

Element = str | None | Sequence[str | None]


@dataclass(frozen=True)
class ServiceChars:
    """The six UNA characters: component and data separator, decimal mark, release, repetition, terminator."""

    component: str = ":"
    data: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    @classmethod
    def from_una(cls, six: str, *, position: str) -> ServiceChars:
        component, data, decimal, repetition, terminator = six[0], six[1], six[2], six[4], six[5]
        release = NO_RELEASE if six[3] == " " else six[3]
        controls = [component, data, release, terminator]
        if len(set(controls)) < 4 or any(c.isalnum() for c in controls):
            raise FormatError(position=position, message=f"UNA service characters {six!r} are not usable")
        return cls(component, data, decimal, release, repetition, terminator)

    @property
    def controls(self) -> str:
        return self.component + self.data + self.release + self.terminator

    def una(self) -> str:
        release = " " if self.release == NO_RELEASE else self.release
        return f"UNA{self.component}{self.data}{self.decimal}{release}{self.repetition}{self.terminator}"

    def pydifact(self) -> Characters:
        chars = Characters(*self.una()[3:])
        chars.escape_character = self.release
        chars.line_terminators = [c for c in " \r\n" if c not in self.controls]
        return chars


DEFAULT_SERVICE = ServiceChars()


@dataclass(frozen=True)
class Segment:
    tag: str
    elements: tuple[tuple[str, ...], ...]  # data elements after the tag, each a tuple of components
    number: int  # 1-based position in the interchange; a UNA counts, so it is the line number when one a line

    @property
    def label(self) -> str:
        """How a warning names the segment, e.g. ``CNT (segment 38)``."""
        return f"{self.tag} (segment {self.number})"

    @property
    def place(self) -> str:
        """How an error names the segment, e.g. ``segment 12 (NAD)``."""
        return f"segment {self.number} ({self.tag})"

    @property
    def valid_tag(self) -> bool:
        return _TAG.fullmatch(self.tag) is not None

    def components(self, element: int) -> tuple[str, ...]:
        return self.elements[element] if element < len(self.elements) else ()

    def value(self, element: int, component: int = 0) -> str | None:
        """Component ``component`` of data element ``element`` (0: the first after the tag), stripped, or None."""
        parts = self.components(element)
        return (parts[component].strip() or None) if component < len(parts) else None


@dataclass
class Interchange:
    segments: list[Segment]
    service: ServiceChars
    warnings: list[ParseWarning] = field(default_factory=list)


def tokenise(text: str) -> Interchange:
    """Split an interchange into segments. Raises :class:`FormatError` when the text is not EDIFACT.

    Pre-normalisation (pydifact cannot do these itself): text before the interchange (e.g. a Type B envelope)
    is skipped with a warning, a UNA anywhere but at the very start is found, line breaks are removed everywhere
    (real messages are wrapped at fixed widths; pydifact also rejects a release character before a line break),
    and a missing final terminator is added with a warning (pydifact raises "Unexpected end").
    """
    _reject_binary(text)
    start, warnings = _start_of_interchange(text)
    service, body, first = _service_string(text, start)
    body, terminated = _terminate(_drop_line_breaks(body, service), service, text)
    segments = _segments(body, service, first)
    if not segments:
        raise FormatError(position=f"character {start + 1}", message="no EDIFACT segments")
    if not terminated:
        warnings.append(ParseWarning(segments[-1].label, "missing final segment terminator; added"))
    return Interchange(segments, service, warnings)


def _reject_binary(text: str) -> None:
    if "\x00" in text:
        position = f"character {text.index(chr(0)) + 1}"
        raise FormatError(position=position, message="NUL byte: not a text message")


def _start_of_interchange(text: str) -> tuple[int, list[ParseWarning]]:
    stripped = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    if text.startswith(("UNA", "UNB", "UNH"), stripped):
        return stripped, []
    found = _START.search(text)
    if found is None:
        raise FormatError(position="character 1", message="not EDIFACT: no UNA, UNB or UNH segment")
    start = found.end()
    skipped = ParseWarning(f"character {start + 1}", f"{start} characters before the interchange ignored")
    return start, [skipped]


def _service_string(text: str, start: int) -> tuple[ServiceChars, str, int]:
    if not text.startswith("UNA", start):
        return DEFAULT_SERVICE, text[start:], 1
    six = text[start + 3 : start + 9]
    if len(six) < 6:
        raise FormatError(position=f"character {start + 4}", message="UNA needs six service characters")
    return ServiceChars.from_una(six, position=f"character {start + 4}"), text[start + 9 :], 2


def _drop_line_breaks(body: str, service: ServiceChars) -> str:
    return body.translate({ord(c): None for c in "\r\n" if c not in service.controls})


def _terminate(body: str, service: ServiceChars, text: str) -> tuple[str, bool]:
    body = body.rstrip("".join(c for c in " \t\r\n" if c not in service.controls))
    if body.endswith(service.terminator) and _trailing(body[:-1], service.release) % 2 == 0:
        return body, True
    if _trailing(body, service.release) % 2 == 1:
        position = f"character {len(text.rstrip())}"
        raise FormatError(position=position, message="unterminated release character")
    return body + service.terminator, False


def _trailing(body: str, char: str) -> int:
    return len(body) - len(body.rstrip(char))


def _segments(body: str, service: ServiceChars, first: int) -> list[Segment]:
    """Split on unreleased terminators, data and component separators with str.split (no loop per character):
    released characters are first swapped for stand-ins the text does not hold and put back per component.
    Blanks after a terminator are skipped and empty segments dropped, as pydifact's tokenizer does."""
    protected, restore = _protect_released(body, service)
    blanks = "".join(c for c in " \r\n" if c not in service.controls)
    segments: list[Segment] = []
    for index, text in enumerate(protected.split(service.terminator)):
        text = text.lstrip(blanks) if index else text
        if text:
            elements = [part.split(service.component) for part in text.split(service.data)]
            restored = [[part.translate(restore) for part in e] for e in elements] if restore else elements
            segments.append(_segment(restored, first + len(segments)))
    return segments


def _protect_released(body: str, service: ServiceChars) -> tuple[str, dict[int, str] | None]:
    """The body with each released character as itself, or as a stand-in when it is a control character; and
    the table that turns stand-ins back (None: nothing was released)."""
    release = service.release
    if release == NO_RELEASE or release not in body:
        return body, None
    if "\n" in service.controls and release + "\n" in body:
        raise FormatError(position="text", message="Newlines after escape characters are not allowed.")
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in body)
    stand_in = {control: next(free) for control in service.controls}
    protected = re.sub(re.escape(release) + "(.)", lambda m: stand_in.get(m[1], m[1]), body, flags=re.DOTALL)
    return protected, {ord(sign): control for control, sign in stand_in.items()}


def _segment(elements: list[list[str]], number: int) -> Segment:
    tag = ":".join(elements[0]).strip()
    return Segment(tag, tuple(tuple(parts) for parts in elements[1:]), number)


@dataclass
class Message:
    unh: Segment
    body: list[Segment]  # the segments between UNH and UNT


@dataclass
class Envelope:
    sender: str | None = None  # UNB
    prepared_at: datetime | None = None  # UNB date and time
    messages: list[Message] = field(default_factory=list)


def open_envelope(interchange: Interchange) -> Envelope:
    """Group the segments into UNH..UNT messages. Warns (into ``interchange.warnings``) about segments outside
    any message, a message without UNT, and a UNT whose count or reference disagrees."""
    envelope, warnings = Envelope(), interchange.warnings
    message: Message | None = None
    for segment in interchange.segments:
        if message is not None and segment.tag in {"UNH", "UNE", "UNZ"}:
            warnings.append(ParseWarning(segment.label, f"message {message.unh.label} not closed by UNT"))
            message = None
        if segment.tag == "UNH":
            message = Message(segment, [])
            envelope.messages.append(message)
        elif message is not None:
            message = _message_segment(message, segment, warnings)
        else:
            _envelope_segment(envelope, segment, warnings)
    if message is not None:
        warnings.append(ParseWarning(interchange.segments[-1].label, "input ended before UNT"))
    return envelope


def _message_segment(message: Message, segment: Segment, warnings: list[ParseWarning]) -> Message | None:
    if segment.tag != "UNT":
        message.body.append(segment)
        return message
    count, reference = str(len(message.body) + 2), message.unh.value(0)
    if segment.value(0) != count:
        warnings.append(ParseWarning(segment.label, f"UNT says {segment.value(0)} segments, the message has {count}"))
    if segment.value(1) != reference:
        warnings.append(ParseWarning(segment.label, f"UNT reference {segment.value(1)!r} is not UNH's {reference!r}"))
    return None


def _envelope_segment(envelope: Envelope, segment: Segment, warnings: list[ParseWarning]) -> None:
    if segment.tag == "UNB":
        envelope.sender = segment.value(1)
        try:
            envelope.prepared_at = edi_datetime((segment.value(3) or "") + (segment.value(3, 1) or ""))
        except ValueError:
            warnings.append(ParseWarning(segment.label, "unreadable interchange date/time"))
    elif segment.tag not in {"UNG", "UNE", "UNZ"}:
        warnings.append(ParseWarning(segment.label, "segment outside a UNH..UNT message; ignored"))


def in_order(warnings: list[ParseWarning]) -> list[ParseWarning]:
    """Warnings by position: text before the interchange first, then by segment number."""
    return sorted(warnings, key=lambda w: int(m.group(1)) if (m := _NUMBER.search(w.segment)) else 0)


def edi_datetime(value: str, *, not_after: date | None = None) -> datetime:
    """Read an EDIFACT date by its length: YYMMDD, CCYYMMDD, YYMMDDHHMM, CCYYMMDDHHMM (codes 101/102/201/203).

    A two-digit year is 20YY, or 19YY when ``not_after`` is given and 20YY would land after it (birth dates).
    Raises ValueError for anything else.
    """
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in _FORMATS:
        raise ValueError(f"{value!r} is not an EDIFACT date")
    if len(digits) in (8, 12, 14):
        return _from_digits(digits)
    when = _from_digits(f"20{digits}")
    if not_after is not None and when.date() > not_after:
        when = when.replace(year=when.year - 100)
    return when


def _from_digits(digits: str) -> datetime:
    """CCYYMMDD[HHMM[SS]] as a datetime: what ``strptime`` with ``_FORMATS`` gives (ValueError where it raises), in
    a tenth of the time (a manifest has two dates per traveller)."""
    hour, minute, second = (int(digits[i : i + 2] or 0) for i in (8, 10, 12))
    return datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), hour, minute, second)


def edi_count(value: str | None) -> int | None:
    """A count sent as digits (CNT, EQN, RPI), leading zeros allowed; None when it is no count or has more than
    nine significant digits (no list is that long, and Python will not read 4,300 digits)."""
    if not (value and value.isascii() and value.isdigit()):
        return None
    significant = value.lstrip("0") or "0"
    return int(significant) if len(significant) <= 9 else None


def edi_date(day: date) -> str:
    """CCYYMMDD (format 102)."""
    return f"{day.year:04d}{day:%m%d}"


def edi_time(when: datetime) -> tuple[str, str]:
    """A date and time with its format code: YYMMDDHHMM (201) this century, else CCYYMMDDHHMM (203), or
    CCYYMMDDHHMMSS (204) when there are seconds."""
    if when.second:
        return edi_date(when) + when.strftime("%H%M%S"), "204"
    if 2000 <= when.year < 2100:
        return when.strftime("%y%m%d%H%M"), "201"
    return edi_date(when) + when.strftime("%H%M"), "203"


def to_unoa(value: str) -> str:
    """Uppercase Latin as UNOA allows: letters lose accents (É→E, Ø→O, ß→SS); other characters are dropped."""
    plain = unicodedata.normalize("NFKD", value.translate(_NO_DECOMPOSITION))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return _NOT_UNOA.sub("", plain)


def escape(value: str, service: ServiceChars = DEFAULT_SERVICE) -> str:
    return "".join(service.release + c if c in service.controls else c for c in value)


def format_segment(tag: str, *elements: Element, service: ServiceChars = DEFAULT_SERVICE) -> str:
    """One segment with values made UNOA and escaped; trailing empty components and elements are left out."""
    rendered = [_element(e, service) for e in elements]
    while rendered and not rendered[-1]:
        rendered.pop()
    return service.data.join([tag, *rendered]) + service.terminator


def _element(element: Element, service: ServiceChars) -> str:
    parts = [element] if element is None or isinstance(element, str) else list(element)
    text = [escape(to_unoa(p or ""), service) for p in parts]
    while text and not text[-1]:
        text.pop()
    return service.component.join(text)


def messages_of(text: str, *, kind: str) -> tuple[Envelope, list[ParseWarning]]:
    """Tokenise an interchange and open its envelope, checking that every message in it is a ``kind`` message
    (PAXLST, PNRGOV). Returns the envelope and the warnings list the message readers add to."""
    interchange = tokenise(text)
    envelope = open_envelope(interchange)
    if not envelope.messages:
        last = interchange.segments[-1].place
        raise FormatError(position=last, message=f"no UNH message header: not a {kind} interchange")
    for message in envelope.messages:
        if message.unh.value(1) != kind:
            raise FormatError(
                position=message.unh.place, message=f"message type {message.unh.value(1)!r} is not {kind}"
            )
    return envelope, interchange.warnings
