"""The last permitted day of each basis of stay, the 144-hour rule's count from the next midnight, who is a foreigner
for this list, and entries whose stay cannot be told."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kouan.overstays.rules import RULES, Stay, days_overstayed, is_foreigner, last_permitted_day
from kouan.travel.journey.schemas import StayBasis

BEIJING = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2020, 3, 1, 9, 30, tzinfo=BEIJING)
LATE = datetime(2020, 3, 1, 23, 50, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("stay", "last"),
    [
        (Stay("visa", MORNING, visa_type="L", stay_days=30), date(2020, 3, 30)),  # the day of entry is day one
        (Stay("visa", MORNING, visa_type="M", stay_days=60), date(2020, 4, 29)),
        (Stay("visa", MORNING, visa_type="L"), date(2020, 3, 30)),  # no duration recorded: L's usual 30 days
        (Stay("visa", MORNING, visa_type="z"), date(2020, 3, 30)),  # a work visa: 30 days to get the permit
        (Stay("visa", MORNING, visa_type="Q2"), date(2020, 8, 27)),  # a short visit: up to 180 days
        (Stay("residence_permit", MORNING, visa_type="Z", permit_until=date(2021, 2, 28)), date(2021, 2, 28)),
        (Stay("transit_24h", MORNING), date(2020, 3, 2)),  # out by 09:30 on 2 March
        (Stay("transit_24h", datetime(2020, 3, 1, 0, 0, tzinfo=BEIJING)), date(2020, 3, 1)),  # out by midnight
        (Stay("transit_72h", LATE), date(2020, 3, 4)),  # 72 hours from the moment of entry
        (Stay("transit_144h", MORNING), date(2020, 3, 7)),  # from 00:00 on 2 March to 00:00 on 8 March
        (Stay("transit_144h", LATE), date(2020, 3, 7)),  # ten minutes before midnight: the same six days
        (Stay("visa_free", MORNING), date(2020, 3, 30)),  # the stated default, 30 days
        (Stay("visa_free", MORNING, stay_days=15), date(2020, 3, 15)),
        (Stay("visa", MORNING, visa_type="L", stay_days=30, permit_until=date(2020, 4, 20)), date(2020, 4, 20)),
    ],
)
def test_the_last_permitted_day_of_each_basis(stay: Stay, last: date) -> None:
    assert last_permitted_day(stay) == last


def test_the_144_hour_stay_counts_from_the_midnight_after_entry_and_the_72_hour_from_entry() -> None:
    midnight = datetime(2020, 3, 1, 0, 0, tzinfo=BEIJING)
    assert last_permitted_day(Stay("transit_144h", midnight)) == last_permitted_day(Stay("transit_144h", LATE))
    assert last_permitted_day(Stay("transit_72h", midnight)) == date(2020, 3, 3)  # out by 00:00 on 4 March
    assert last_permitted_day(Stay("transit_72h", LATE)) == date(2020, 3, 4)


@pytest.mark.parametrize(
    "stay",
    [
        Stay(None, MORNING, visa_type="L", stay_days=30),  # no basis: we cannot say
        Stay("visa", MORNING, visa_type="C"),  # a crew visa has no usual duration here, and none was recorded
        Stay("visa", MORNING),
        Stay("citizen", MORNING),
    ],
)
def test_a_stay_that_cannot_be_told_has_no_last_day(stay: Stay) -> None:
    assert last_permitted_day(stay) is None


def test_chinese_citizens_and_residents_of_hong_kong_macao_and_taiwan_are_not_on_the_list() -> None:
    for nationality in ("CHN", "chn", "HKG", "MAC", "TWN"):
        assert not is_foreigner(nationality=nationality, basis="visa"), nationality
    assert not is_foreigner(nationality=None, basis="citizen")
    assert is_foreigner(nationality="DEU", basis=None) and is_foreigner(nationality=None, basis="visa")


def test_days_overstayed_are_whole_days_past_the_last_day() -> None:
    assert days_overstayed(last_day=date(2020, 3, 30), on=date(2020, 4, 10)) == 11
    assert days_overstayed(last_day=date(2020, 3, 30), on=date(2020, 3, 30)) == 0


def test_every_basis_a_crossing_may_record_but_citizen_has_a_rule() -> None:
    assert set(RULES) == {basis.value for basis in StayBasis} - {"citizen"}
