"""Dirty and broken variants of real messages, to check that a parser only ever answers or raises FormatError."""

from __future__ import annotations

import random

NOISE = ":+?'/ \n0A\x00éX"


def mutate(rng: random.Random, text: str, *, most: int = 7) -> str:
    """The text with up to ``most`` characters replaced by separators, controls and stray letters."""
    chars = list(text)
    for _ in range(rng.randrange(1, most + 1)):
        chars[rng.randrange(len(chars))] = rng.choice(NOISE)
    return "".join(chars)


def garbage(*, samples: list[str], seed: int, step: int, mutations: int) -> list[str]:
    """Every ``step``-th truncation of each sample, random bytes (as latin-1 and as broken UTF-8), and mutations."""
    rng = random.Random(seed)
    texts = [s[:cut] for s in samples for cut in range(0, len(s), step)]
    texts += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).decode("latin-1") for _ in range(200)]
    texts += [bytes(rng.randrange(256) for _ in range(120)).decode("utf-8", "replace") for _ in range(100)]
    texts += [mutate(rng, rng.choice(samples)) for _ in range(mutations)]
    return texts
