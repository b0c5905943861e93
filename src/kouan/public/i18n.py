"""Chinese and English for the public pages: the language from ``?lang=``, else ``Accept-Language``, default Chinese.

English is the source language; ``locale/zh/LC_MESSAGES/messages.po`` is read with Babel and compiled in memory
to a ``gettext.GNUTranslations`` on first use (no .mo file is kept in the repository).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT: Lang = "zh"
LOCALE_DIR = Path(__file__).parent / "locale"
Gettext = Callable[[str], str]


@lru_cache(maxsize=len(LANGS))
def translations(lang: Lang) -> gettext.NullTranslations:
    """The compiled catalogue for ``lang``; English (the source language) translates nothing."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: Lang) -> Gettext:
    return translations(lang).gettext


def _weight(params: str) -> float:
    """The ``q`` of an ``Accept-Language`` entry's parameters (1 when absent, 0 when unreadable)."""
    quality = params.strip()
    if not quality.startswith("q="):
        return 1.0
    try:
        return float(quality.removeprefix("q="))
    except ValueError:
        return 0.0


def _preferred(accept_language: str) -> list[str]:
    """The tags of an ``Accept-Language`` header, best first (``q=0`` dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = _weight(params)
        if tag.strip() and weight > 0:
            weighted.append((-weight, index, tag.strip().replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(*, lang: str | None, accept_language: str | None) -> Lang:
    """``lang`` when it is ``zh`` or ``en``; else the best match of ``Accept-Language``; else Chinese."""
    asked = (lang or "").strip().lower()
    if asked in LANGS:
        return asked  # type: ignore[return-value]
    if accept_language:
        found = Locale.negotiate(_preferred(accept_language), list(LANGS))
        if found is not None and found.language in LANGS:
            return found.language  # type: ignore[return-value]
    return DEFAULT
