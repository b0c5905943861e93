"""One region level in force: ``level_in_force`` gives the engine's answer for every (region, day, known on) over
the bundled JHU figures, with a late correction and designations (back-dated, corrected, ended, lower than the
figure, on a region without figures); when known later than the day it applies what was learnt since."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pytest
from sqlalchemy.orm import Session

from kouan.measures.classifiers import RATE14_V1
from kouan.measures.designations import designations_for
from kouan.measures.levels import LevelInForce, level_in_force, levels_in_force
from kouan.measures.models import RegionDesignation, RegionRisk
from kouan.measures.service import risk_rows
from kouan.screening import engine
from kouan.screening.service import designations_table, risk_table

REGIONS = ("ITA", "USA", "KOR", "CN-HB", "FRA", "PRK")
DAYS = [date(2020, 1, 20) + timedelta(days=5 * n) for n in range(37)]  # 2020-01-20 .. 2020-07-19
LAGS = (0, 1, 5, 20)  # known on the day, or that many days before it
Triple = tuple[str, date, date]
ITA_24_FEB = 0.3737895585955489  # Italy's 14-day rate on 24 February, published on the 25th


def _at(day: str, hour: int = 9) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC) + timedelta(hours=hour)


def _designation(
    region: str, level: str, valid_from: str, recorded: str, valid_to: str | None = None
) -> RegionDesignation:
    return RegionDesignation(
        region_code=region,
        level=level,
        valid_from=date.fromisoformat(valid_from),
        valid_to=date.fromisoformat(valid_to) if valid_to else None,
        reason=f"{region} {level}",
        recorded_at=_at(recorded),
        recorded_by="analyst",
    )


def _correction(region: str, data_date: str, rate: float, recorded: str) -> RegionRisk:
    return RegionRisk(
        region_code=region,
        data_date=date.fromisoformat(data_date),
        rate_14d=rate,
        source="jhu-csse",
        recorded_at=_at(recorded),
        imported_at=_at(recorded),
    )


@pytest.fixture
def world(session: Session) -> Session:
    """The bundled figures plus corrections and designations, rolled back after the test."""
    session.add_all(
        [
            _designation("ITA", "high", "2020-02-20", "2020-03-01"),  # back-dated
            _designation("ITA", "medium", "2020-02-20", "2020-03-12"),  # its correction
            _designation("USA", "high", "2020-03-15", "2020-03-14", valid_to="2020-04-01"),  # ended
            _designation("KOR", "low", "2020-02-01", "2020-02-01"),  # lower than the figure: changes nothing
            _designation("PRK", "high", "2020-02-01", "2020-02-10"),  # no figures at all
            _designation("CN-HB", "high", "2020-01-23", "2020-01-23"),
            _correction("FRA", "2020-06-30", 99.0, "2020-07-06"),  # the last figure, corrected later
            _correction("ITA", "2020-03-09", 0.5, "2020-03-15"),  # an older figure, corrected later
        ]
    )
    session.flush()
    return session


def _triples() -> list[Triple]:
    return [(region, day, day - timedelta(days=lag)) for region in REGIONS for day in DAYS for lag in LAGS]


def _known_by(table: pa.Table, known_on: date) -> pa.Table:
    """The rows recorded on or before ``known_on``: the store as it was that day."""
    return table.filter(pa.compute.less_equal(table.column("recorded_date"), pa.scalar(known_on, pa.date32())))


def _engine_answers(session: Session, triples: list[Triple]) -> dict[Triple, dict[str, object]]:
    """For each triple, the engine's reason row for one traveller with one stay in the region on the day, screened
    on that day by the engine as run with what was recorded by ``known_on``."""
    risk = risk_table(risk_rows(session=session, region_codes=REGIONS))
    designated = designations_table(designations_for(session=session, region_codes=list(REGIONS)))
    by_known: dict[date, list[Triple]] = defaultdict(list)
    for triple in triples:
        by_known[triple[2]].append(triple)
    answers: dict[Triple, dict[str, object]] = {}
    for known_on, group in by_known.items():
        output = engine.run(
            stays=_stays(group), risk=_known_by(risk, known_on), designations=_known_by(designated, known_on)
        )
        answers |= {group[row["traveller_id"]]: row for row in output.reasons.to_pylist()}
    return answers


def _stays(triples: list[Triple]) -> pa.Table:
    rows = [
        {"traveller_id": n, "stay_id": n, "region_code": region, "place": region, "stay_date": day,
         "screen_date": day, "arrival_date": day, "source": "declared"}
        for n, (region, day, _) in enumerate(triples)
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=engine.STAYS_SCHEMA)


def _as_engine(found: LevelInForce) -> dict[str, object]:
    figure_level = RATE14_V1.classify(found.rate_14d)
    raised = found.designation is not None and found.level != figure_level
    return {
        "level": found.level,
        "rate_14d": found.rate_14d,
        "source_date": found.data_date,
        "risk_source": found.source,
        "designated_level": found.level if raised else None,
    }


def test_level_in_force_is_the_engines_level_for_every_region_day_and_known_on(world: Session) -> None:
    triples = _triples()
    expected = _engine_answers(world, triples)
    found = {
        t: level_in_force(session=world, region=t[0], on=t[1], known_on=t[2], classifier=RATE14_V1) for t in triples
    }
    keys = ("level", "rate_14d", "source_date", "risk_source", "designated_level")
    mismatches = [t for t in triples if _as_engine(found[t]) != {k: expected[t][k] for k in keys}]
    assert mismatches == []
    assert {f.level for f in found.values()} == {"low", "unknown", "medium", "high"}
    assert any(f.designation is not None and f.level == f.designation.level != "low" for f in found.values())


def test_the_batch_form_gives_each_region_what_the_single_form_gives(world: Session) -> None:
    on, known_on = date(2020, 3, 20), date(2020, 3, 18)
    batch = levels_in_force(session=world, regions=None, on=on, known_on=known_on, classifier=RATE14_V1)
    for region in REGIONS:
        assert batch[region] == level_in_force(
            session=world, region=region, on=on, known_on=known_on, classifier=RATE14_V1
        )


@pytest.mark.parametrize(
    ("region", "on", "known_on", "level", "rate"),
    [
        ("ITA", date(2020, 2, 25), date(2020, 2, 25), "low", ITA_24_FEB),  # the designation was not recorded yet
        ("ITA", date(2020, 2, 25), date(2020, 3, 5), "high", ITA_24_FEB),  # known later: the back-dated designation
        ("ITA", date(2020, 2, 25), date(2020, 3, 20), "medium", ITA_24_FEB),  # and then its correction
        ("ITA", date(2020, 3, 10), date(2020, 3, 10), "high", 14.791150542123866),  # the 9 March figure as published
        ("ITA", date(2020, 3, 10), date(2020, 3, 20), "medium", 0.5),  # and as corrected on 15 March
        ("FRA", date(2020, 7, 10), date(2020, 7, 5), "medium", 5.577024913301324),  # the last figure as published
        ("FRA", date(2020, 7, 10), date(2020, 7, 10), "high", 99.0),  # and as corrected on 6 July
    ],
)
def test_known_later_than_the_day_it_applies_brings_what_was_learnt_since(
    world: Session, region: str, on: date, known_on: date, level: str, rate: float | None
) -> None:
    found = level_in_force(session=world, region=region, on=on, known_on=known_on, classifier=RATE14_V1)
    assert (found.level, found.rate_14d) == (level, pytest.approx(rate) if rate is not None else None)
