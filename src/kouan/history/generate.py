"""A seeded synthetic history: a day's crossings at China's ports with realistic ports, nationalities and stays.

About 1.84 million crossings a day crossed China's borders in 2019 (670 million in the year). Most went through
the land and ferry ports to Macao and Hong Kong (Gongbei alone ~340,000 a day), then the big airports, the
border crossings to Russia, Mongolia, Kazakhstan, Viet Nam and Myanmar, and the seaports. Half the crossings
are arrivals; an arrival has 0-3 stays in the 14 days before it (the port's neighbour, the traveller's own
country, places flown from), a departure none yet. Figures are a seeded random walk per region. Everything is
numpy + pyarrow, one day at a time, and reproducible from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from kouan.history.rescreen import Rules, screen_crossings
from kouan.history.schema import ARRIVAL, DEPARTURE
from kouan.history.store import append
from kouan.reference import airport
from kouan.reference.ports import port
from kouan.screening import engine

NATIONAL_DAY = 1_840_000
# port, daily crossings in thousands, the region across the border ("" for airports and seaports)
PORTS: tuple[tuple[str, float, str], ...] = (
    ("CNGBP", 340, "MAC"),  # Gongbei, Zhuhai
    ("CNHUG", 90, "HKG"),  # Huanggang, Shenzhen (with Luohu and Futian)
    ("CNSHK", 60, "HKG"),  # Shekou / Shenzhen Bay
    ("CNZUH", 20, "MAC"),  # Zhuhai ferry port
    ("CNRUI", 40, "MMR"),  # Ruili
    ("CNPIN", 8, "VNM"),  # Pingxiang
    ("CNHKM", 8, "VNM"),  # Hekou
    ("CNMLX", 5, "RUS"),  # Manzhouli
    ("CNSFH", 3, "RUS"),  # Suifenhe
    ("CNHEK", 3, "RUS"),  # Heihe
    ("CNRLC", 5, "MNG"),  # Erenhot
    ("CNHRS", 5, "KAZ"),  # Horgos
    ("CNDDZ", 5, "PRK"),  # Dandong
    ("PVG", 100, ""),
    ("PEK", 70, ""),
    ("CAN", 55, ""),
    ("CTU", 20, ""),
    ("SZX", 15, ""),
    ("HGH", 12, ""),
    ("XMN", 12, ""),
    ("KMG", 12, ""),
    ("TAO", 10, ""),
    ("CKG", 8, ""),
    ("SHA", 8, ""),
    ("XIY", 7, ""),
    ("NKG", 7, ""),
    ("DLC", 6, ""),
    ("WUH", 5, ""),
    ("TSN", 4, ""),
    ("SYX", 4, ""),
    ("FOC", 4, ""),
    ("SHE", 4, ""),
    ("CNSHA", 6, ""),
    ("CNXMN", 4, ""),
    ("CNTSN", 3, ""),
    ("CNTAO", 2, ""),
    ("CNDLC", 2, ""),
)
# nationality at airports and seaports, in percent
NATIONALITIES: tuple[tuple[str, float], ...] = (
    ("CHN", 55), ("HKG", 5), ("TWN", 6), ("KOR", 6), ("JPN", 5), ("USA", 5), ("RUS", 3), ("MAC", 1),
    ("SGP", 2), ("MYS", 2), ("THA", 2), ("VNM", 2), ("GBR", 1.5), ("DEU", 1.5), ("AUS", 1.5), ("CAN", 1.5),
    ("FRA", 1), ("IND", 1), ("PHL", 1), ("ITA", 0.5),
)  # fmt: skip
# where people flew in from (and through), in percent
PLACES: tuple[tuple[str, float], ...] = (
    ("HKG", 12), ("JPN", 12), ("KOR", 11), ("THA", 9), ("USA", 7), ("SGP", 5), ("TWN", 5), ("MYS", 4),
    ("VNM", 4), ("RUS", 3), ("ARE", 3), ("GBR", 3), ("DEU", 3), ("FRA", 2), ("ITA", 2), ("AUS", 3),
    ("CAN", 2), ("IDN", 2), ("PHL", 2), ("MAC", 1), ("ESP", 1), ("IRN", 1), ("QAT", 1),
)  # fmt: skip
SOURCES = ("manifest-embarkation", "pnr-origin", "declaration", "pnr-transit")
SOURCE_SHARE = (0.45, 0.3, 0.2, 0.05)
STAY_COUNT_SHARE = (0.1, 0.5, 0.3, 0.1)
MICROS_A_DAY = 86_400_000_000
IDS_A_DAY = 10_000_000


def known_port(code: str) -> bool:
    """Every generated port is a real airport or UN/LOCODE location of kouan.reference."""
    return (airport(code) if len(code) == 3 else port(code)) is not None


def _weights(rows: tuple[tuple[str, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    values = np.array([r[1] for r in rows], dtype=float)
    return np.array([r[0] for r in rows], dtype=object), values / values.sum()


@dataclass(frozen=True)
class Day:
    """One generated day: crossings (with ``day``, levels not yet screened) and their stays."""

    crossings: pa.Table
    stays: pa.Table


def generate_day(*, day: date, per_day: int, seed: int) -> Day:
    """``per_day`` crossings on ``day``, reproducible from ``seed`` and the day."""
    rng = np.random.default_rng([seed, day.toordinal()])
    ports, share = _weights(tuple((p, w) for p, w, _ in PORTS))
    chosen = rng.choice(len(PORTS), size=per_day, p=share)
    across = np.array([r for _, _, r in PORTS], dtype=object)[chosen]
    nationality = _nationalities(rng=rng, across=across)
    arriving = rng.random(per_day) < 0.5
    ids = np.int64(day.toordinal()) * IDS_A_DAY + np.arange(per_day, dtype=np.int64)
    crossings = _crossings_table(
        rng=rng, day=day, ids=ids, ports=ports[chosen], nationality=nationality, arriving=arriving
    )
    counts = np.where(arriving, rng.choice(4, size=per_day, p=STAY_COUNT_SHARE), 0)
    return Day(
        crossings=crossings,
        stays=_stays(
            rng=rng,
            day=day,
            ids=ids,
            counts=counts,
            first=_first_places(rng=rng, across=across, nationality=nationality),
        ),
    )


def _nationalities(*, rng: np.random.Generator, across: np.ndarray) -> np.ndarray:
    names, share = _weights(NATIONALITIES)
    drawn = names[rng.choice(len(names), size=len(across), p=share)]
    border = across != ""
    neighbour = border & (rng.random(len(across)) < 0.35)
    return np.where(neighbour, across, np.where(border, "CHN", drawn))


def _first_places(*, rng: np.random.Generator, across: np.ndarray, nationality: np.ndarray) -> np.ndarray:
    names, share = _weights(PLACES)
    drawn = names[rng.choice(len(names), size=len(across), p=share)]
    home = (nationality != "CHN") & (rng.random(len(across)) < 0.7)
    return np.where(across != "", across, np.where(home, nationality, drawn))


def _crossings_table(
    *, rng: np.random.Generator, day: date, ids: np.ndarray, ports: np.ndarray, nationality: np.ndarray,
    arriving: np.ndarray,
) -> pa.Table:  # fmt: skip
    n = len(ids)
    midnight = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1_000_000)
    times = midnight + rng.integers(0, MICROS_A_DAY, size=n)
    return pa.table(
        {
            "crossing_id": ids,
            "port": pa.array(ports, pa.string()),
            "direction": pa.array(np.where(arriving, ARRIVAL, DEPARTURE), pa.string()),
            "person_key": rng.integers(1, 2**62, size=n),
            "document_key": rng.integers(1, 2**62, size=n),
            "nationality": pa.array(nationality, pa.string()),
            "arrival_time": pa.array(times, pa.timestamp("us", tz="UTC")),
            "day": pa.repeat(pa.scalar(day, pa.date32()), n),
        }
    )


def _stays(*, rng: np.random.Generator, day: date, ids: np.ndarray, counts: np.ndarray, first: np.ndarray) -> pa.Table:
    owner = np.repeat(np.arange(len(ids)), counts)
    order = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    names, share = _weights(PLACES)
    region = np.where(order == 0, first[owner], names[rng.choice(len(names), size=len(owner), p=share)])
    back = order * 4 + rng.integers(0, 4, size=len(owner))
    date_to = np.int32((day - date(1970, 1, 1)).days) - back.astype(np.int32)
    date_from = date_to - rng.integers(0, 6, size=len(owner)).astype(np.int32)
    sources = np.array(SOURCES, dtype=object)[rng.choice(len(SOURCES), size=len(owner), p=SOURCE_SHARE)]
    return pa.table(
        {
            "crossing_id": ids[owner],
            "region_code": pa.array(region, pa.string()),
            "date_from": pa.array(date_from, pa.int32()).cast(pa.date32()),
            "date_to": pa.array(date_to, pa.int32()).cast(pa.date32()),
            "source": pa.array(sources, pa.string()),
        }
    )


def regions_generated() -> list[str]:
    """Every region a generated stay can be in."""
    return sorted({r for _, _, r in PORTS if r} | {n for n, _ in PLACES} | {n for n, _ in NATIONALITIES} - {"CHN"})


def synthetic_risk(*, first: date, last: date, seed: int) -> pa.Table:
    """A figure for every generated region and data date from ``first - 30`` to ``last`` (recorded the next day,
    source jhu): a seeded random walk of the 14-day rate per 100,000 around a per-region level."""
    rng = np.random.default_rng([seed, 14])
    regions = regions_generated()
    days = (last - first).days + 31
    base = rng.normal(0.0, 1.5, size=(len(regions), 1))
    walk = base + np.cumsum(rng.normal(0.0, 0.08, size=(len(regions), days)), axis=1)
    data_dates = np.int32((first - date(1970, 1, 1)).days - 30) + np.arange(days, dtype=np.int32)
    return pa.table(
        {
            "region_code": pa.array(np.repeat(regions, days), pa.string()),
            "data_date": pa.array(np.tile(data_dates, len(regions)), pa.int32()).cast(pa.date32()),
            "rate_14d": np.exp(walk).ravel(),
            "recorded_date": pa.array(np.tile(data_dates + 1, len(regions)), pa.int32()).cast(pa.date32()),
            "source": pa.repeat(pa.scalar("jhu"), len(regions) * days),
        }
    ).cast(engine.RISK_SCHEMA)


def generate_history(
    *, root: str | Path, first: date, days: int, per_day: int, seed: int, rules: Rules
) -> tuple[int, int]:
    """Generates ``days`` days from ``first``, screens each against ``rules`` and appends it to the history under
    ``root``; returns the crossings and stays written."""
    crossings = stays = 0
    for n in range(days):
        generated = generate_day(day=first + timedelta(days=n), per_day=per_day, seed=seed)
        screened = screen_crossings(crossings=generated.crossings, stays=generated.stays, rules=rules)
        append(root=root, crossings=screened, stays=generated.stays)
        crossings, stays = crossings + generated.crossings.num_rows, stays + generated.stays.num_rows
    return crossings, stays
