"""Re-screening the history after a region is raised: only the days it is in force on are read, and the answer is
the full re-screen's."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from kouan.history.rescreen import Rules, change_days, rescreen_all, rescreen_change
from kouan.history.store import day_folder
from kouan.screening import engine

from .conftest import LAST, no_designations

RAISED_FROM = date(2020, 3, 12)


def designation(region: str, *, valid_from: date, valid_to: date | None = None, recorded: date, rank: int = 3) -> dict:
    return {
        "designation_id": 1,
        "region_code": region,
        "level_rank": rank,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "recorded_date": recorded,
    }


def raised(region: str = "JPN", **period: date | None) -> pa.Table:
    row = designation(region, recorded=LAST + timedelta(days=1), **{"valid_from": RAISED_FROM, **period})
    return pa.Table.from_pylist([row], schema=engine.DESIGNATIONS_SCHEMA)


def now(figures: pa.Table, designations: pa.Table) -> Rules:
    return Rules(risk=figures, designations=designations, known_on=LAST + timedelta(days=1))


def change(root: Path, figures: pa.Table, *, valid_to: date | None = None) -> pa.Table:
    days = change_days(root=root, valid_from=RAISED_FROM, valid_to=valid_to)
    rules = now(figures, raised(valid_to=valid_to))
    return rescreen_change(con=engine.connect(), root=root, regions=["JPN"], days=days, rules=rules).rises


def test_with_nothing_new_the_full_rescreen_raises_nobody(history: Path, figures: pa.Table) -> None:
    assert rescreen_all(con=engine.connect(), root=history, rules=now(figures, no_designations())).rises.num_rows == 0


def test_a_back_dated_designation_raises_the_crossings_of_its_days_with_a_stay_there(
    history: Path, figures: pa.Table
) -> None:
    rose = change(history, figures)
    assert rose.num_rows > 100
    assert set(rose["region_code"].to_pylist()) == {"JPN"} and set(rose["to_level"].to_pylist()) == {"high"}
    assert set(rose["from_level"].to_pylist()) <= {"low", "unknown", "medium"}
    assert pc.min(rose["day"]).as_py() == RAISED_FROM and pc.max(rose["day"]).as_py() == LAST
    full = rescreen_all(con=engine.connect(), root=history, rules=now(figures, raised())).rises
    assert rose.equals(full)


def test_a_change_ending_before_the_last_day_rises_only_inside_its_period(history: Path, figures: pa.Table) -> None:
    rose = change(history, figures, valid_to=date(2020, 3, 15))
    assert {d.isoformat() for d in rose["day"].to_pylist()} == {"2020-03-12", "2020-03-13", "2020-03-14"}
    full = rescreen_all(
        con=engine.connect(), root=history, rules=now(figures, raised(valid_to=date(2020, 3, 15)))
    ).rises
    assert rose.equals(full)


def test_the_change_driven_rescreen_opens_only_the_stays_of_its_days(history: Path, figures: pa.Table) -> None:
    days = change_days(root=history, valid_from=RAISED_FROM, valid_to=None)
    assert days == [RAISED_FROM + timedelta(days=n) for n in range(9)]
    rules = now(figures, raised())
    opened = rescreen_change(con=engine.connect(), root=history, regions=["JPN"], days=days, rules=rules).files
    assert sorted({f.parent.name for f in opened}) == [f"day={d.isoformat()}" for d in days]
    assert {f.parent.parent.name for f in opened} == {"stays"}
    assert len(rescreen_all(con=engine.connect(), root=history, rules=rules).files) == 20


def test_without_the_days_outside_the_change_the_answer_is_the_same(
    history: Path, figures: pa.Table, tmp_path: Path
) -> None:
    pruned = tmp_path / "pruned"
    shutil.copytree(history, pruned)
    for n in range(11):  # 1-11 March: before the designation is valid
        for table in ("crossings", "stays"):
            shutil.rmtree(day_folder(root=pruned / table, day=date(2020, 3, 1) + timedelta(days=n)))
    assert change(pruned, figures).equals(change(history, figures))


def test_a_designation_recorded_after_today_is_not_known_yet(history: Path, figures: pa.Table) -> None:
    later = pa.Table.from_pylist(
        [designation("JPN", valid_from=RAISED_FROM, recorded=LAST + timedelta(days=2))],
        schema=engine.DESIGNATIONS_SCHEMA,
    )
    assert rescreen_all(con=engine.connect(), root=history, rules=now(figures, later)).rises.num_rows == 0


def test_a_correction_of_a_days_figure_recorded_later_counts_as_known_now(history: Path, figures: pa.Table) -> None:
    """Korea's figure for 10 March, recorded on the 11th, corrected on the 20th to 50 per 100,000: the
    crossings of 11 March with a Korean stay now rank high."""
    corrected = pa.Table.from_pylist(
        [
            {
                "region_code": "KOR",
                "data_date": date(2020, 3, 10),
                "rate_14d": 50.0,
                "recorded_date": LAST,
                "source": "jhu",
            }
        ],
        schema=engine.RISK_SCHEMA,
    )
    rules = now(pa.concat_tables([figures, corrected]), no_designations())
    rose = rescreen_all(con=engine.connect(), root=history, rules=rules).rises
    assert rose.num_rows > 0
    assert {d.isoformat() for d in rose["day"].to_pylist()} == {"2020-03-11"}
    assert set(rose["region_code"].to_pylist()) == {"KOR"} and set(rose["to_level"].to_pylist()) == {"high"}
