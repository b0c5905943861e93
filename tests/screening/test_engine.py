"""The screening engine on DuckDB: window, key-region list in force, levels, reasons."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kouan.measures.classifiers import LEVEL_RANK, RATE14_V1, RateClassifier
from kouan.screening import engine

from .helpers import risk_row, stay, stays_table

MARCH_20 = date(2020, 3, 20)


def boarded(*, traveller_id: int, region_code: str, on: date, as_of: date | None = None) -> dict[str, object]:
    return stay(
        traveller_id=traveller_id,
        stay_id=traveller_id,
        region_code=region_code,
        stay_date=on,
        arrival_date=on,
        screen_date=as_of,
    )


def levels_of(output: engine.ScreeningOutput) -> dict[int, str]:
    return dict(zip(output.levels["traveller_id"].to_pylist(), output.levels["level"].to_pylist(), strict=True))


def only_reason(output: engine.ScreeningOutput) -> dict[str, object]:
    (row,) = output.reasons.to_pylist()
    return row


def test_rome_ranks_above_ulaanbaatar_boarding_the_same_day(jhu_risk: pa.Table) -> None:
    stays = stays_table(
        [
            boarded(traveller_id=1, region_code="ITA", on=MARCH_20),
            boarded(traveller_id=2, region_code="MNG", on=MARCH_20),
        ]
    )
    ranks = {r["traveller_id"]: r["level_rank"] for r in engine.run(stays=stays, risk=jhu_risk).levels.to_pylist()}
    assert ranks[1] > ranks[2]


@pytest.mark.parametrize(
    ("region_code", "as_of", "level", "source_date"),
    [
        ("ITA", MARCH_20, "high", date(2020, 3, 19)),
        ("MNG", MARCH_20, "low", date(2020, 3, 19)),
        ("ITA", date(2020, 2, 15), "low", date(2020, 2, 14)),
        ("ITA", date(2020, 2, 1), "unknown", date(2020, 1, 31)),
        ("CN-HB", date(2020, 2, 15), "high", date(2020, 2, 14)),
        ("CN-HB", date(2020, 6, 1), "low", date(2020, 5, 31)),
    ],
)
def test_level_uses_the_figures_known_on_the_screen_date(
    jhu_risk: pa.Table, region_code: str, as_of: date, level: str, source_date: date
) -> None:
    stays = stays_table([boarded(traveller_id=1, region_code=region_code, on=MARCH_20, as_of=as_of)])
    row = only_reason(engine.run(stays=stays, risk=jhu_risk))
    assert (row["level"], row["source_date"], row["screen_date"]) == (level, source_date, as_of)


@pytest.mark.parametrize(
    ("days_before_arrival", "counted"),
    [(-1, False), (0, True), (1, True), (13, True), (14, True), (15, False), (20, False)],
)
def test_a_stay_counts_within_14_days_before_arrival(
    jhu_risk: pa.Table, days_before_arrival: int, counted: bool
) -> None:
    stays = stays_table(
        [
            stay(
                traveller_id=1,
                stay_id=1,
                region_code="ITA",
                arrival_date=MARCH_20,
                stay_date=MARCH_20 - timedelta(days=days_before_arrival),
            )
        ]
    )
    assert engine.run(stays=stays, risk=jhu_risk).reasons.num_rows == int(counted)


@pytest.mark.parametrize(("window_days", "counted"), [(7, False), (21, True)])
def test_the_window_is_a_parameter(jhu_risk: pa.Table, window_days: int, counted: bool) -> None:
    stays = stays_table(
        [
            stay(
                traveller_id=1,
                stay_id=1,
                region_code="ITA",
                arrival_date=MARCH_20,
                stay_date=MARCH_20 - timedelta(days=10),
            )
        ]
    )
    output = engine.run(stays=stays, risk=jhu_risk, window_days=window_days)
    assert output.reasons.num_rows == int(counted)


CORRECTED = [
    risk_row(region_code="ITA", data_date=date(2020, 3, 18), rate_14d=0.5),
    risk_row(region_code="ITA", data_date=date(2020, 3, 19), rate_14d=5.0),
    risk_row(region_code="ITA", data_date=date(2020, 3, 19), rate_14d=50.0, recorded_date=date(2020, 3, 25)),
]


@pytest.mark.parametrize(
    ("as_of", "level", "rate"),
    [
        (date(2020, 3, 19), "low", 0.5),
        (MARCH_20, "medium", 5.0),
        (date(2020, 3, 24), "medium", 5.0),
        (date(2020, 3, 25), "high", 50.0),
        (date(2020, 4, 30), "high", 50.0),
    ],
)
def test_a_correction_changes_only_screenings_from_when_it_was_recorded(as_of: date, level: str, rate: float) -> None:
    stays = stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20, as_of=as_of)])
    row = only_reason(engine.run(stays=stays, risk=pa.Table.from_pylist(CORRECTED, schema=engine.RISK_SCHEMA)))
    assert (row["level"], row["rate_14d"]) == (level, rate)


def test_a_late_figure_for_an_old_day_is_unseen_before_it_was_recorded() -> None:
    risk = pa.Table.from_pylist(
        [risk_row(region_code="ITA", data_date=date(2020, 3, 10), rate_14d=20.0, recorded_date=date(2020, 4, 1))],
        schema=engine.RISK_SCHEMA,
    )
    stays = stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)])
    row = only_reason(engine.run(stays=stays, risk=risk))
    assert (row["level"], row["source_date"]) == ("unknown", None)


@pytest.mark.parametrize(
    ("region_code", "rate", "source_date"),
    [
        ("XKX", None, None),  # JHU has no figures for this region at all
        ("AUS", None, None),  # JHU gives Australia by state only
        ("ITA", None, date(2020, 1, 31)),  # known, but the 14-day rate starts on a region's 14th day
    ],
)
def test_no_rate_known_is_unknown(jhu_risk: pa.Table, region_code: str, rate: None, source_date: date) -> None:
    on = date(2020, 2, 1)
    row = only_reason(
        engine.run(stays=stays_table([boarded(traveller_id=1, region_code=region_code, on=on)]), risk=jhu_risk)
    )
    assert (row["level"], row["level_rank"], row["rate_14d"], row["source_date"]) == (
        "unknown",
        LEVEL_RANK["unknown"],
        rate,
        source_date,
    )


def test_a_nan_rate_is_unknown_and_reported_as_null() -> None:
    risk = pa.Table.from_pylist(
        [risk_row(region_code="ITA", data_date=date(2020, 3, 19), rate_14d=float("nan"))], schema=engine.RISK_SCHEMA
    )
    row = only_reason(
        engine.run(stays=stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)]), risk=risk)
    )
    assert (row["level"], row["rate_14d"]) == ("unknown", None)


@pytest.mark.parametrize(
    ("regions", "level"),
    [
        (["MNG", "ITA"], "high"),
        (["ITA", "MNG"], "high"),
        (["MNG", "XKX"], "unknown"),
        (["MNG", "MNG"], "low"),
        (["XKX", "MNG", "CN-BJ"], "unknown"),
        (["MNG", "XKX", "IRN", "ITA"], "high"),
    ],
)
def test_a_traveller_with_several_stays_takes_the_highest_level(
    jhu_risk: pa.Table, regions: list[str], level: str
) -> None:
    stays = stays_table(
        [
            stay(
                traveller_id=7,
                stay_id=i,
                region_code=code,
                stay_date=MARCH_20 - timedelta(days=i),
                arrival_date=MARCH_20,
            )
            for i, code in enumerate(regions)
        ]
    )
    output = engine.run(stays=stays, risk=jhu_risk)
    assert output.reasons.num_rows == len(regions)
    assert output.levels.to_pylist() == [{"traveller_id": 7, "level_rank": LEVEL_RANK[level], "level": level}]


def test_reasons_explain_each_stay(jhu_risk: pa.Table) -> None:
    stays = stays_table(
        [
            stay(
                traveller_id=1,
                stay_id=9,
                region_code="ITA",
                place="FCO",
                stay_date=MARCH_20,
                arrival_date=date(2020, 3, 21),
            )
        ]
    )
    output = engine.run(stays=stays, risk=jhu_risk)
    assert output.reasons.schema == engine.REASONS_SCHEMA
    assert output.levels.schema == engine.LEVELS_SCHEMA
    row = only_reason(output)
    assert row == {
        "traveller_id": 1,
        "stay_id": 9,
        "region_code": "ITA",
        "place": "FCO",
        "stay_date": MARCH_20,
        "source": "manifest-embarkation",
        "screen_date": date(2020, 3, 21),
        "rate_14d": pytest.approx(70.102, 1e-4),
        "source_date": MARCH_20,
        "risk_source": "jhu-csse",
        "level": "high",
        "level_rank": 3,
        "rule": "stay-in-region/rate14-v1",
        "designated_level": None,
    }


def test_the_classifier_is_a_parameter_and_named_in_the_rule(jhu_risk: pa.Table) -> None:
    strict = RateClassifier(name="strict", version=2, thresholds=(("high", 0.1), ("medium", 0.01)))
    stays = stays_table([boarded(traveller_id=1, region_code="MNG", on=MARCH_20)])
    row = only_reason(engine.run(stays=stays, risk=jhu_risk, classifier=strict))
    assert (row["level"], row["rule"]) == ("high", "stay-in-region/strict-v2")


def test_ties_on_the_same_day_pick_the_same_row_every_time() -> None:
    risk = pa.Table.from_pylist(
        [
            risk_row(region_code="ITA", data_date=date(2020, 3, 19), rate_14d=rate, source=source)
            for rate, source in [(50.0, "who"), (5.0, "jhu-csse")]
        ],
        schema=engine.RISK_SCHEMA,
    )
    row = only_reason(
        engine.run(stays=stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)]), risk=risk)
    )
    assert (row["risk_source"], row["level"]) == ("jhu-csse", "medium")


def test_outputs_are_sorted_by_traveller_and_stay(jhu_risk: pa.Table) -> None:
    stays = stays_table(
        [
            stay(traveller_id=t, stay_id=s, region_code="ITA", stay_date=MARCH_20, arrival_date=MARCH_20)
            for t, s in [(3, 5), (1, 2), (3, 4), (2, 1)]
        ]
    )
    output = engine.run(stays=stays, risk=jhu_risk)
    assert output.reasons.select(["traveller_id", "stay_id"]).to_pylist() == [
        {"traveller_id": t, "stay_id": s} for t, s in [(1, 2), (2, 1), (3, 4), (3, 5)]
    ]
    assert output.levels["traveller_id"].to_pylist() == [1, 2, 3]


def test_no_stays_and_no_risk_give_empty_tables() -> None:
    output = engine.run(stays=stays_table([]), risk=pa.Table.from_pylist([], schema=engine.RISK_SCHEMA))
    assert (output.reasons.num_rows, output.levels.num_rows) == (0, 0)
    assert output.reasons.schema == engine.REASONS_SCHEMA


def test_without_risk_rows_every_stay_is_unknown() -> None:
    stays = stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)])
    output = engine.run(stays=stays, risk=pa.Table.from_pylist([], schema=engine.RISK_SCHEMA))
    assert levels_of(output) == {1: "unknown"}


def test_parquet_inputs_screen_like_arrow_inputs(tmp_path: Path, jhu_risk: pa.Table) -> None:
    stays = stays_table(
        [boarded(traveller_id=t, region_code=c, on=MARCH_20) for t, c in enumerate(["ITA", "MNG", "XKX", "CN-HB"])]
    )
    pq.write_table(stays, tmp_path / "stays.parquet")
    pq.write_table(jhu_risk, tmp_path / "risk.parquet")
    con = engine.connect()
    stays_t, risk_t = engine.read_parquet_inputs(
        con=con, stays_path=tmp_path / "stays.parquet", risk_path=tmp_path / "risk.parquet"
    )
    levels = engine.traveller_levels(engine.screen_stays(stays=stays_t, risk=risk_t)).to_pyarrow()
    expected = engine.run(stays=stays, risk=jhu_risk).levels
    assert levels.sort_by("traveller_id").to_pylist() == expected.to_pylist()


def test_arrow_inputs_are_conformed_to_the_contract(jhu_risk: pa.Table) -> None:
    stays = stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)])
    narrow = stays.set_column(0, "traveller_id", stays["traveller_id"].cast(pa.int32())).append_column(
        "extra", pa.array(["x"])
    )
    assert (
        engine.run(stays=narrow, risk=jhu_risk).levels.to_pylist()
        == engine.run(stays=stays, risk=jhu_risk).levels.to_pylist()
    )


@pytest.mark.parametrize("dropped", ["screen_date", "arrival_date", "region_code"])
def test_a_missing_input_column_is_named(jhu_risk: pa.Table, dropped: str) -> None:
    stays = stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)]).drop_columns([dropped])
    with pytest.raises(ValueError, match=dropped):
        engine.run(stays=stays, risk=jhu_risk)


def test_each_connect_is_a_fresh_duckdb_connection() -> None:
    first, second = engine.connect(), engine.connect()
    first.create_table("only_here", obj=pa.table({"a": [1]}))
    assert "only_here" not in second.list_tables()


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        engine.connect(backend="oracle")


def test_the_default_classifier_is_rate14_v1(jhu_risk: pa.Table) -> None:
    stays = stays_table([boarded(traveller_id=1, region_code="ITA", on=MARCH_20)])
    assert only_reason(engine.run(stays=stays, risk=jhu_risk))["rule"] == f"stay-in-region/{RATE14_V1.key}"
