"""Pure core: e-declaration codes (电子申明码), as filed, shown and scanned."""

from __future__ import annotations

import re
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I
CODE_LENGTH = 12


def new_code() -> str:
    """A fresh e-declaration code: 12 characters of ``CODE_ALPHABET`` (about 60 bits), from ``secrets``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(code: str) -> str:
    """A code as typed (lower case, spaces, hyphens) in its stored form."""
    return re.sub(r"[\s\-]", "", code).upper()


def grouped(code: str) -> str:
    """``ABCD EFGH JKLM``: easier to read out at the counter."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
