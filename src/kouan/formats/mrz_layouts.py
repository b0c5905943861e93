"""Where each field sits in the ICAO Doc 9303 machine readable zones (Part 4 TD3, Part 5 TD1, Part 6 TD2,
Part 7 MRV-A/MRV-B visas): pure data, positions 0-based and end-exclusive as in Python slices.

``kind`` says which characters a field may hold: ``alpha`` letters and ``<``, ``alnum`` letters, digits and ``<``,
``date`` digits (``<`` for an unknown part), ``check`` a digit (``<`` only where the rules allow it).
``min_lengths`` is how short each line may arrive and still be padded with ``<``: only trailing fields that may
be all fillers (names, optional data) may be missing; a line ending in a check digit must be whole.
"""

from __future__ import annotations

from dataclasses import dataclass

Kind = str  # "alpha" | "alnum" | "date" | "check"


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int
    kind: Kind


@dataclass(frozen=True)
class Layout:
    name: str  # TD1, TD2, TD3, MRVA, MRVB
    format: str  # what the result reports: TD1, TD2 or TD3 (a visa reads like TD3/TD2)
    width: int
    spans: dict[str, Span]
    composite: tuple[Span, ...]  # empty for visas, which have no composite check digit
    min_lengths: tuple[int, ...]
    long_numbers: bool  # a number over 9 characters continues in the optional data (TD1, TD2)

    @property
    def lines(self) -> int:
        return len(self.min_lengths)


def _spans(rows: dict[str, tuple[int, int, int, Kind]]) -> dict[str, Span]:
    return {name: Span(*row) for name, row in rows.items()}


_HEAD = {"document_type": (0, 0, 2, "alpha"), "issuer": (0, 2, 5, "alpha")}
_LINE2 = {  # line 2 of TD2, TD3 and both visas up to the expiry check digit
    "document_number": (1, 0, 9, "alnum"),
    "document_number_check": (1, 9, 10, "check"),
    "nationality": (1, 10, 13, "alpha"),
    "birth_date": (1, 13, 19, "date"),
    "birth_date_check": (1, 19, 20, "check"),
    "sex": (1, 20, 21, "alpha"),
    "expiry_date": (1, 21, 27, "date"),
    "expiry_date_check": (1, 27, 28, "check"),
}

TD1 = Layout(
    name="TD1",
    format="TD1",
    width=30,
    spans=_spans(
        {
            **_HEAD,
            "document_number": (0, 5, 14, "alnum"),
            "document_number_check": (0, 14, 15, "check"),
            "optional_data": (0, 15, 30, "alnum"),
            "birth_date": (1, 0, 6, "date"),
            "birth_date_check": (1, 6, 7, "check"),
            "sex": (1, 7, 8, "alpha"),
            "expiry_date": (1, 8, 14, "date"),
            "expiry_date_check": (1, 14, 15, "check"),
            "nationality": (1, 15, 18, "alpha"),
            "optional_data_2": (1, 18, 29, "alnum"),
            "composite": (1, 29, 30, "check"),
            "name": (2, 0, 30, "alpha"),
        }
    ),
    composite=(Span(0, 5, 30, "alnum"), Span(1, 0, 7, "alnum"), Span(1, 8, 15, "alnum"), Span(1, 18, 29, "alnum")),
    min_lengths=(15, 30, 1),
    long_numbers=True,
)

TD2 = Layout(
    name="TD2",
    format="TD2",
    width=36,
    spans=_spans(
        {
            **_HEAD,
            "name": (0, 5, 36, "alpha"),
            **_LINE2,
            "optional_data": (1, 28, 35, "alnum"),
            "composite": (1, 35, 36, "check"),
        }
    ),
    composite=(Span(1, 0, 10, "alnum"), Span(1, 13, 20, "alnum"), Span(1, 21, 35, "alnum")),
    min_lengths=(6, 36),
    long_numbers=True,
)

TD3 = Layout(
    name="TD3",
    format="TD3",
    width=44,
    spans=_spans(
        {
            **_HEAD,
            "name": (0, 5, 44, "alpha"),
            **_LINE2,
            "optional_data": (1, 28, 42, "alnum"),
            "optional_data_check": (1, 42, 43, "check"),
            "composite": (1, 43, 44, "check"),
        }
    ),
    composite=(Span(1, 0, 10, "alnum"), Span(1, 13, 20, "alnum"), Span(1, 21, 43, "alnum")),
    min_lengths=(6, 44),
    long_numbers=False,
)

MRVA = Layout(
    name="MRVA",
    format="TD3",
    width=44,
    spans=_spans({**_HEAD, "name": (0, 5, 44, "alpha"), **_LINE2, "optional_data": (1, 28, 44, "alnum")}),
    composite=(),
    min_lengths=(6, 28),
    long_numbers=False,
)

MRVB = Layout(
    name="MRVB",
    format="TD2",
    width=36,
    spans=_spans({**_HEAD, "name": (0, 5, 36, "alpha"), **_LINE2, "optional_data": (1, 28, 36, "alnum")}),
    composite=(),
    min_lengths=(6, 28),
    long_numbers=False,
)

TWO_LINES = {36: (TD2, MRVB), 44: (TD3, MRVA)}  # width → (document, visa)
