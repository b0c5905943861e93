"""From what was typed or scanned to the MRZ's lines and layout, or :class:`NotAnMrz` saying why not.

Decisions:

- Lines may come as a list, as one string with newlines, or mixed; surrounding whitespace and blank lines go.
- Lower case (a-z) is read as upper case with a warning: an MRZ has no lower case, so this is how it was typed,
  not a character being guessed.
- Characters outside A-Z, 0-9 and ``<`` are OCR slips the parser reports (per field, with their position) as long
  as there are at most :data:`MAX_FOREIGN` of them; more and the text is not an MRZ.
- Three lines are TD1 (30 characters); two lines are TD2 (36) when the longer is at most 36, else TD3 (44);
  a first line starting with ``V`` makes them a visa (MRV-B, MRV-A).
- A short line is padded with ``<`` (with a warning) when what it lacks may be all fillers (names, optional
  data, see :mod:`kouan.formats.mrz_layouts`); a line too long, or lacking a check digit, is not an MRZ.
"""

from __future__ import annotations

import string

from kouan.formats.mrz_layouts import TD1, TWO_LINES, Layout

ALPHABET = frozenset(string.ascii_uppercase + string.digits + "<")
MAX_FOREIGN = 3
_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


class NotAnMrz(ValueError):
    """The input is not a machine readable zone at all; the message says why."""


def split_lines(lines: list[str] | str) -> list[str]:
    """Every non-blank line, stripped; a string (or an item) with newlines gives several lines."""
    items = [lines] if isinstance(lines, str) else list(lines)
    return [line.strip() for item in items for line in str(item).splitlines() if line.strip()]


def upper_case(rows: list[str], *, warnings: list[str]) -> list[str]:
    upper = [row.translate(_UPPER) for row in rows]
    if upper != rows:
        warnings.append("the MRZ was in lower case; read as upper case")
    return upper


def count_foreign(rows: list[str]) -> None:
    foreign = [char for row in rows for char in row if char not in ALPHABET]
    if len(foreign) > MAX_FOREIGN:
        shown = "".join(dict.fromkeys(foreign))[:10]
        raise NotAnMrz(f"{len(foreign)} characters outside A-Z, 0-9 and < ({shown!r}): not an MRZ")


def choose_layout(rows: list[str]) -> Layout:
    if len(rows) == 3:
        return TD1
    if len(rows) != 2:
        raise NotAnMrz(f"{len(rows)} line(s): an MRZ has 2 (TD2, TD3, visas) or 3 (TD1)")
    longest = max(len(row) for row in rows)
    width = 36 if longest <= 36 else 44
    document, visa = TWO_LINES[width]
    return visa if rows[0].startswith("V") else document


def pad(rows: list[str], *, layout: Layout, warnings: list[str]) -> list[str]:
    padded = []
    for number, (row, shortest) in enumerate(zip(rows, layout.min_lengths, strict=True), start=1):
        if not shortest <= len(row) <= layout.width:
            raise NotAnMrz(f"line {number} has {len(row)} characters: a {layout.format} line has {layout.width}")
        if len(row) < layout.width:
            warnings.append(f"line {number} was {layout.width - len(row)} character(s) short; padded with <")
        padded.append(row.ljust(layout.width, "<"))
    return padded


def read_lines(lines: list[str] | str, *, warnings: list[str]) -> tuple[Layout, list[str]]:
    """The layout and the lines, upper-cased and padded to full width; raises NotAnMrz."""
    rows = split_lines(lines)
    if not rows:
        raise NotAnMrz("empty input: no MRZ lines")
    rows = upper_case(rows, warnings=warnings)
    count_foreign(rows)
    layout = choose_layout(rows)
    return layout, pad(rows, layout=layout, warnings=warnings)
