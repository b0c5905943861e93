"""Test data for the screening engine: real JHU risk rows and generated stays, as Arrow tables."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from kouan.measures.jhu import BUNDLED
from kouan.screening.engine import RISK_SCHEMA, STAYS_SCHEMA

JHU_CSV = BUNDLED
JHU_SOURCE = "jhu-csse"
CHINA_PROVINCES = {"Hubei": "CN-HB", "Beijing": "CN-BJ", "Shanghai": "CN-SH", "Guangdong": "CN-GD"}
_JHU_TYPES = {"Province_State": pa.string(), "iso3": pa.string(), "rate_14d_per_100k": pa.float64()}


def jhu_risk_table(path: Path = JHU_CSV, *, regions: list[str] | None = None) -> pa.Table:
    """Risk rows from the JHU file: countries by iso3, the provinces of CHINA_PROVINCES by "CN-XX";
    recorded the day after the data date; limited to ``regions`` when given."""
    raw = pv.read_csv(path, convert_options=pv.ConvertOptions(column_types=_JHU_TYPES, strings_can_be_null=True))
    region = _region_codes(raw)
    keep = pc.is_valid(region)
    if regions is not None:
        keep = pc.and_(keep, pc.is_in(region, value_set=pa.array(regions)))
    return _risk_rows(raw.filter(keep), region=region.filter(keep))


def _region_codes(raw: pa.Table) -> pa.Array:
    province = raw.column("Province_State").combine_chunks()
    country = pc.if_else(pc.is_null(province), raw.column("iso3").combine_chunks(), pa.nulls(len(raw), pa.string()))
    china = pc.if_else(pc.equal(raw.column("Country_Region").combine_chunks(), "China"), province, None)
    mapped = pa.array([CHINA_PROVINCES.get(p) for p in china.to_pylist()], pa.string())
    return pc.coalesce(country, mapped)


def _risk_rows(raw: pa.Table, *, region: pa.Array) -> pa.Table:
    data_date = raw.column("date").cast(pa.date32())
    recorded = pc.add(data_date.cast(pa.int32()), pa.scalar(1, pa.int32())).cast(pa.date32())
    columns = [region, data_date, raw.column("rate_14d_per_100k"), recorded, pa.repeat(JHU_SOURCE, len(raw))]
    return pa.table(dict(zip(RISK_SCHEMA.names, columns, strict=True))).cast(RISK_SCHEMA)


def stays_table(rows: list[dict[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=STAYS_SCHEMA)


def stay(
    *,
    traveller_id: int,
    stay_id: int,
    region_code: str,
    stay_date: date,
    arrival_date: date,
    screen_date: date | None = None,
    place: str | None = None,
    source: str = "manifest-embarkation",
) -> dict[str, object]:
    """One stay row; the screening applies to the arrival date unless screen_date is given."""
    return {
        "traveller_id": traveller_id,
        "stay_id": stay_id,
        "region_code": region_code,
        "place": place,
        "stay_date": stay_date,
        "screen_date": screen_date or arrival_date,
        "arrival_date": arrival_date,
        "source": source,
    }


def risk_row(
    *,
    region_code: str,
    data_date: date,
    rate_14d: float | None,
    recorded_date: date | None = None,
    source: str = JHU_SOURCE,
) -> dict[str, object]:
    return {
        "region_code": region_code,
        "data_date": data_date,
        "rate_14d": rate_14d,
        "recorded_date": recorded_date or data_date + timedelta(days=1),
        "source": source,
    }


def generated_stays(*, travellers: int, regions: list[str], seed: int = 20200320) -> pa.Table:
    """1-3 stays per traveller over ``regions`` (any code, known or not), arriving Feb-Jun 2020, some stays
    outside the 14-day window, some screened as of an earlier date."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 4, size=travellers)
    traveller = np.repeat(np.arange(1, travellers + 1, dtype=np.int64), counts)
    arrival = np.repeat(rng.integers(_day(date(2020, 2, 1)), _day(date(2020, 6, 30)) + 1, size=travellers), counts)
    screen = arrival - np.repeat(rng.choice([0, 0, 0, 3, 20], size=travellers), counts)
    stay_day = arrival - rng.integers(0, 18, size=len(traveller))
    n = len(traveller)
    return pa.Table.from_arrays(
        [
            pa.array(traveller),
            pa.array(np.arange(1, n + 1, dtype=np.int64)),
            pa.array(np.array(regions, dtype=object)[rng.integers(0, len(regions), size=n)], pa.string()),
            pa.array(rng.choice(np.array(["FCO", "ULN", "PEK", None], dtype=object), size=n), pa.string()),
            _dates(stay_day),
            _dates(screen),
            _dates(arrival),
            pa.array(rng.choice(np.array(["manifest-embarkation", "manifest-leg"], dtype=object), size=n)),
        ],
        schema=STAYS_SCHEMA,
    )


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32)).cast(pa.date32())
