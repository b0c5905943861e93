"""Generic CSV import of region risk through a column mapping: the real JHU weekly file, ISO weeks, names, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from typer.testing import CliRunner

from kouan.cli import app
from kouan.db import session_factory
from kouan.formats.records import FormatError
from kouan.measures.csv_import import ColumnMapping, iso_week_monday, read_csv_risk, resolve_region
from kouan.measures.jhu import RiskRow
from kouan.measures.models import RegionRisk
from tests.conftest import WEEKLY_JHU as WEEKLY

BY_RATE = ColumnMapping(region="iso3", date="date", rate="rate_14d_per_100k", source="jhu-weekly", region_kind="alpha3")
BY_CASES = ColumnMapping(
    region="iso2", date="date", cases="new_14d", population="Population", source="jhu-weekly", region_kind="alpha2"
)
WEEKS = ColumnMapping(region="country", week="week", cases="cases", population="population", source="agency-x")
CLI_SOURCE = "test-csv-import-cli"
runner = CliRunner()


def write(tmp_path: Path, text: str, *, name: str = "agency.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def keyed(rows: Iterator[RiskRow | None]) -> dict[tuple[str, date], RiskRow]:
    return {(row.region_code, row.data_date): row for row in rows if row is not None}


def test_the_real_weekly_file_by_rate_and_by_cases_gives_the_same_rates() -> None:
    by_rate, by_cases = keyed(read_csv_risk(WEEKLY, mapping=BY_RATE)), keyed(read_csv_risk(WEEKLY, mapping=BY_CASES))
    # Namibia's alpha-2 "NA" was written as a blank (a pandas NaN), so only the iso3 mapping finds it
    assert {code for code, _ in by_rate.keys() - by_cases.keys()} == {"NAM"} and by_cases.keys() <= by_rate.keys()
    assert len(by_cases) > 30_000
    pairs = [(by_rate[key].rate_14d, by_cases[key].rate_14d) for key in by_cases]
    both = [(given, computed) for given, computed in pairs if given is not None and computed is not None]
    assert len(both) > 25_000
    # the file rounds its rate to 2 decimals: the computed rate, rounded alike, is the file's
    assert all(abs(round(computed, 2) - given) < 1e-6 for given, computed in both)
    assert all(abs(computed - given) <= 0.005 + 1e-9 for given, computed in both)


def test_the_real_weekly_file_fills_region_day_and_when_known() -> None:
    rows = keyed(read_csv_risk(WEEKLY, mapping=BY_CASES))
    italy = rows[("ITA", date(2020, 3, 16))]
    assert italy.population == 60461828 and italy.new_14d is not None and italy.source == "jhu-weekly"
    assert italy.recorded_at == datetime(2020, 3, 17, tzinfo=UTC)
    assert ("XKX", date(2020, 3, 16)) in rows  # JHU's XK / XKS is our Kosovo
    assert all(row.data_date.weekday() == 0 for row in rows.values())


def test_lines_without_a_region_are_skipped_and_counted_or_fail_when_strict() -> None:
    rows = list(read_csv_risk(WEEKLY, mapping=BY_RATE))
    assert 0 < rows.count(None) < 1000  # Diamond Princess, MS Zaandam, the Olympics
    with pytest.raises(FormatError, match=r"line \d+ column iso3: unknown region ''"):
        list(read_csv_risk(WEEKLY, mapping=BY_RATE, strict=True))


def test_iso_weeks_and_country_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "country,week,cases,population\n"
        "Italy,2020-W12,1000,60000000\n"
        '"Korea, Republic of",2020-12,50,50000000\n'
        "Hubei,2020W05,5000,\n"
        "Atlantis,2020-W12,1,1\n",
    )
    rows = list(read_csv_risk(path, mapping=WEEKS))
    italy, korea, hubei, unknown = rows
    assert (italy and italy.region_code, italy and italy.data_date) == ("ITA", date(2020, 3, 16))
    assert italy is not None and italy.rate_14d == pytest.approx(1000 * 100_000 / 60_000_000)
    assert korea is not None and (korea.region_code, korea.data_date, korea.rate_14d) == ("KOR", date(2020, 3, 16), 0.1)
    assert hubei is not None and (hubei.region_code, hubei.rate_14d, hubei.new_14d) == ("CN-HB", None, 5000)
    assert unknown is None


def test_region_codes_and_names_resolve() -> None:
    assert [resolve_region(text) for text in ("ita", "IT", "CN-HB", "Korea, South", "China", "XKS")] == [
        "ITA",
        "ITA",
        "CN-HB",
        "KOR",
        "CHN",
        "XKX",
    ]
    assert resolve_region("IT", kind="alpha3") is None and resolve_region("Italy", kind="alpha2") is None
    assert resolve_region("ITA", kind="name") == "ITA" and resolve_region("", kind="auto") is None


def test_iso_week_monday() -> None:
    assert iso_week_monday("2020-W01") == date(2019, 12, 30) and iso_week_monday("2020-53") == date(2020, 12, 28)
    with pytest.raises(ValueError):
        iso_week_monday("2021-W53")


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("ITA,2020-03-16,lots", "rate"),
        ("ITA,2020-13-01,5.0", "day"),
        ("ITA,,5.0", "day"),
        ("ITA,2020-03-16,nan", "rate"),
    ],
)
def test_a_bad_value_names_the_line_and_column(tmp_path: Path, line: str, column: str) -> None:
    path = write(tmp_path, f"code,day,rate\nFRA,2020-03-16,1.5\n{line}\n")
    mapping = ColumnMapping(region="code", date="day", rate="rate", source="agency-x")
    with pytest.raises(FormatError, match=rf"^agency.csv line 3 column {column}: "):
        list(read_csv_risk(path, mapping=mapping))


@pytest.mark.parametrize(
    ("text", "column"),
    [("Italy,2020-W54,1,1", "week"), ("Italy,2020-W12,1.5,1", "cases"), ("Italy,2020-W12,1,0", "population")],
)
def test_bad_weeks_cases_and_populations_name_the_column(tmp_path: Path, text: str, column: str) -> None:
    path = write(tmp_path, f"country,week,cases,population\n{text}\n")
    with pytest.raises(FormatError, match=rf"^agency.csv line 2 column {column}: "):
        list(read_csv_risk(path, mapping=WEEKS))


def test_a_missing_mapped_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "country,week,cases\nItaly,2020-W12,1\n")
    with pytest.raises(FormatError, match=r"^agency.csv line 1: missing columns: population$"):
        next(read_csv_risk(path, mapping=WEEKS))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "d", "week": "w", "rate": "r"}, "exactly one of a date column and an ISO year-week"),
        ({"rate": "r"}, "exactly one of a date column and an ISO year-week"),
        ({"date": "d", "cases": "c"}, "a rate column, or both a cases column and a population column"),
        ({"date": "d", "rate": "r", "published_lag_days": -1}, "must not be negative"),
    ],
)
def test_a_mapping_that_cannot_work_is_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ColumnMapping(region="code", source="agency-x", **fields)  # type: ignore[arg-type]


def test_cli_imports_a_mapped_file_idempotently(store: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "nation,week,cases,population\nItaly,2020-W12,1000,60000000\nFRA,2020-W12,500,50000000\nAtlantis,2020-W12,1,1\n",
    )
    args = ["measures", "import-csv", str(path), "--region-column", "nation", "--week-column", "week"]
    args += ["--cases-column", "cases", "--population-column", "population", "--source", CLI_SOURCE, "--lag-days", "3"]
    try:
        first, again = runner.invoke(app, args), runner.invoke(app, args)
        assert first.exit_code == 0, first.output
        summary = json.loads(first.stdout)
        assert (summary["rows_read"], summary["rows_added"], summary["rows_skipped"]) == (3, 2, 1)
        assert json.loads(again.stdout)["rows_unchanged"] == 2
        with session_factory(store)() as session:
            stored = session.scalars(select(RegionRisk).where(RegionRisk.source == CLI_SOURCE)).all()
            found = sorted((row.region_code, row.data_date, row.rate_14d) for row in stored)
            assert found == [("FRA", date(2020, 3, 16), 1.0), ("ITA", date(2020, 3, 16), pytest.approx(1000 / 600))]
            assert {row.recorded_at.replace(tzinfo=UTC) for row in stored} == {datetime(2020, 3, 19, tzinfo=UTC)}
    finally:
        with session_factory(store)() as session:
            session.execute(delete(RegionRisk).where(RegionRisk.source == CLI_SOURCE))
            session.commit()


def test_cli_refuses_a_mapping_without_a_day_and_names_a_bad_line(store: str, tmp_path: Path) -> None:
    path = write(tmp_path, "nation,day,rate\nITA,2020-03-16,oops\n")
    base = ["measures", "import-csv", str(path), "--region-column", "nation", "--source", CLI_SOURCE]
    no_day = runner.invoke(app, [*base, "--rate-column", "rate"])
    assert no_day.exit_code == 2 and "exactly one of a date column" in no_day.output
    bad = runner.invoke(app, [*base, "--date-column", "day", "--rate-column", "rate"])
    assert bad.exit_code == 2 and "agency.csv line 2 column rate" in bad.output
