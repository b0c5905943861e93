"""The last day an entry's stay permits, and how many days past it a date is: pure, no database or web.

Days are the port's local dates. The day of entry is the first day of a stay counted in days: a visa's "duration of
each stay" is "the maximum number of days a visa holder can stay in China from the day of entry" (China Daily,
"Validity period, number of entries and duration of each stay of Chinese visa", 2018-10-16, read at
http://www.szjzcy.com/m/fujian/2018-10/16/content_37080857.htm), so a 30-day stay entered on 1 March ends on 30 March.

Transit without a visa counts hours:

- 24 hours (direct transit) and 72 hours run from the moment of entry.
- 144 hours run from 00:00 of the day after entry (the 2019 rules): "Since 0:00 o'clock of the day after their
  entrance, they can stay for 144 hours" (Beijing's FAQ on 144-hour transit,
  http://en.visitbeijing.com.cn/a1/a-XEOY25D17548B214E919A9?islist); CCTV repeated it in August 2024: "144小时过境免签
  从入境次日零时起开始计算" (http://www.520536.net/tourism/system/2024/08/12/013184085.shtml). Entered at any time
  on 1 March, the stay ends at 00:00 on 8 March: 7 March is the last permitted day.

A stay that ends on the stroke of midnight permits the day before it, not the day it ends on.

Who is listed: foreigners only. Chinese nationals (CHN) are not, nor are residents of Hong Kong, Macao and Taiwan
(HKG, MAC, TWN): they enter on their travel permits (回乡证, 台胞证), whose stays this list does not judge, so they are
left out rather than given a basis of their own. An entry whose basis is unknown, or whose last day cannot be told
(a visa of a type without a usual duration and no duration recorded), is not listed: it is counted as "cannot say".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

NOT_FOREIGN = frozenset({"CHN", "HKG", "MAC", "TWN"})
VISA_FREE_DAYS = 30  # a default: the exemptions of 2019-2020 mostly granted 30 days; a record may say otherwise
RESIDENCE_VISA_DAYS = 30  # Exit and Entry Administration Law art. 30: apply for a residence permit within 30 days
SHORT_VISIT_DAYS = 180  # Exit and Entry Administration Law art. 29: a visa's stay is at most 180 days
# The usual duration of each stay by visa type, used only when the entry does not record the duration granted.
# L, M and F: 30 days is a default (the commonest duration printed on them), not a rule; Q2, S2 and X2 (short
# visits): the most a visa may grant, so that none is listed whom the visa allowed to stay; the residence visas
# (Z, X1, Q1, S1, J1, D): the 30 days in which their holders must obtain a residence permit.
VISA_DAYS = {
    "L": 30, "M": 30, "F": 30,
    "Q2": SHORT_VISIT_DAYS, "S2": SHORT_VISIT_DAYS, "X2": SHORT_VISIT_DAYS,
    "Z": RESIDENCE_VISA_DAYS, "X1": RESIDENCE_VISA_DAYS, "Q1": RESIDENCE_VISA_DAYS, "S1": RESIDENCE_VISA_DAYS,
    "J1": RESIDENCE_VISA_DAYS, "D": RESIDENCE_VISA_DAYS,
}  # fmt: skip
TRANSIT_HOURS = {"transit_24h": 24, "transit_72h": 72}


@dataclass(frozen=True)
class Stay:
    """An entry's permitted stay as recorded; ``entered`` is the local time at the port of entry."""

    basis: str | None
    entered: datetime
    visa_type: str | None = None
    stay_days: int | None = None
    permit_until: date | None = None


def is_foreigner(*, nationality: str | None, basis: str | None) -> bool:
    """Whether the person is on this list at all (an unknown nationality counts, unless the entry says citizen)."""
    return basis != "citizen" and (nationality or "").upper() not in NOT_FOREIGN


def last_permitted_day(stay: Stay) -> date | None:
    """The last local day the stay permits; None when it cannot be told (unknown basis, a citizen, no duration).
    A recorded ``permit_until`` is that day whatever the basis (a permit's expiry, or an extension of stay)."""
    rule = RULES.get(stay.basis or "")
    return None if rule is None else stay.permit_until or rule(stay)


def days_overstayed(*, last_day: date, on: date) -> int:
    """Whole days past the last permitted day (0 on or before it)."""
    return max((on - last_day).days, 0)


def _days(stay: Stay, days: int | None) -> date | None:
    return stay.entered.date() + timedelta(days=days - 1) if days else None


def _visa(stay: Stay) -> date | None:
    return _days(stay, stay.stay_days or VISA_DAYS.get((stay.visa_type or "").upper()))


def _visa_free(stay: Stay) -> date | None:
    return _days(stay, stay.stay_days or VISA_FREE_DAYS)


def _permit(stay: Stay) -> date | None:
    return None  # a residence permit's stay is its ``permit_until``, read before any rule


def _last_day_before(end: datetime) -> date:
    """The last day of a stay that ends at ``end`` (exclusive): a stay ending at 00:00 permits the day before."""
    return (end - timedelta(microseconds=1)).date()


def _transit(stay: Stay) -> date | None:
    return _last_day_before(stay.entered + timedelta(hours=TRANSIT_HOURS[stay.basis or ""]))


def _transit_144h(stay: Stay) -> date | None:
    start = datetime.combine(stay.entered.date() + timedelta(days=1), time(0), tzinfo=stay.entered.tzinfo)
    return _last_day_before(start + timedelta(hours=144))


RULES: dict[str, Callable[[Stay], date | None]] = {
    "visa": _visa,
    "residence_permit": _permit,
    "transit_24h": _transit,
    "transit_72h": _transit,
    "transit_144h": _transit_144h,
    "visa_free": _visa_free,
}
