"""Loading JHU CSSE figures: real file, idempotent, corrections kept beside what was known before."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kouan.formats.records import FormatError
from kouan.measures.jhu import read_jhu
from kouan.measures.models import RegionRisk
from kouan.measures.service import import_risk
from tests.conftest import BUNDLED_JHU

HEADER = "Province_State,Country_Region,iso2,iso3,Population,date,cum_confirmed,new_14d,rate_14d_per_100k\n"


def test_every_chinese_province_and_italy_are_loaded(session: Session) -> None:
    provinces = session.scalar(
        select(func.count(func.distinct(RegionRisk.region_code))).where(RegionRisk.region_code.like("CN-%"))
    )
    italy = session.scalar(
        select(RegionRisk.rate_14d).where(RegionRisk.region_code == "ITA", RegionRisk.data_date == date(2020, 3, 19))
    )
    assert provinces == 31
    assert italy == pytest.approx(61.488, abs=0.01)


def test_importing_the_same_file_again_adds_nothing(session: Session) -> None:
    summary = import_risk(session=session, rows=read_jhu(BUNDLED_JHU))
    assert summary.rows_added == 0
    assert summary.rows_unchanged > 40_000 and summary.regions > 200


def test_a_correction_is_a_new_row_and_the_old_answer_stays(session: Session, tmp_path: Path) -> None:
    corrected = tmp_path / "andorra.csv"
    corrected.write_text(HEADER + ",Andorra,AD,AND,77265.0,2020-03-10,1.0,1.0,99.5\n")
    try:
        summary = import_risk(session=session, rows=read_jhu(corrected))
        rows = session.scalars(
            select(RegionRisk)
            .where(RegionRisk.region_code == "AND", RegionRisk.data_date == date(2020, 3, 10))
            .order_by(RegionRisk.recorded_at)
        ).all()
        assert summary.rows_added == 1
        assert [r.rate_14d for r in rows] == [pytest.approx(1.294, abs=0.01), 99.5]
        assert rows[1].recorded_at > rows[0].recorded_at
    finally:
        session.execute(delete(RegionRisk).where(RegionRisk.region_code == "AND", RegionRisk.rate_14d == 99.5))
        session.commit()


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("country,day\nItaly,2020-03-01\n", "line 1"),
        (HEADER + ",Italy,IT,ITA,60461828.0,2020-13-01,1,1,1\n", "line 2"),
        (HEADER + ",Italy,IT,ITA,60461828.0,2020-03-01,1,1,many\n", "line 2"),
    ],
)
def test_a_bad_file_names_the_line(tmp_path: Path, content: str, where: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(FormatError) as error:
        list(read_jhu(path))
    assert where in error.value.position


def test_a_country_reported_only_by_province_gets_its_total_from_them(tmp_path: Path) -> None:
    path = tmp_path / "canada.csv"
    with path.open("w", newline="") as handle:
        handle.write(HEADER)
        for province, people, new in (("Ontario", "14570000", "10"), ("Quebec", "8500000", "20"),
                                      ("Grand Princess", "", "5")):  # fmt: skip
            csv.writer(handle).writerow([province, "Canada", "CA", "CAN", people, "2020-03-20", "1", new, "1"])
    rows = list(read_jhu(path))
    assert rows[:3] == [None, None, None]  # the provinces themselves are not kept
    total = rows[3]
    assert total is not None and (total.region_code, total.new_14d, total.population) == ("CAN", 35, 23070000)
    assert total.rate_14d is not None and round(total.rate_14d, 3) == round(35 * 100_000 / 23_070_000, 3)


def test_a_country_with_its_own_row_gets_no_sum_and_territories_keep_their_code(tmp_path: Path) -> None:
    path = tmp_path / "netherlands.csv"
    with path.open("w", newline="") as handle:
        handle.write(HEADER)
        csv.writer(handle).writerow(["", "Netherlands", "NL", "NLD", "17134873", "2020-03-20", "1", "100", "0.58"])
        csv.writer(handle).writerow(["Aruba", "Netherlands", "AW", "ABW", "106766", "2020-03-20", "1", "4", "3.7"])
    assert [r.region_code for r in read_jhu(path) if r is not None] == ["NLD", "ABW"]
