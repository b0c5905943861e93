"""Close-contact rules as data: who counts as a close contact of a case on board, and from when to when.

Each rule says what it measures (rows from the case, the whole cabin or compartment), whether the crew serving that area
and the case's travelling party count, and what happens when more than one case was on board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from kouan import errors

Conveyance = Literal["aircraft", "train", "coach", "ship"]

_HAINAN_2020 = (
    "as quoted in the Hainan Provincial Health Commission notice of 2020-02-06 to passengers of flights, trains and "
    "ferries with confirmed cases (hainan.sina.com.cn/news/hnyw/2020-02-06/detail-iimxxste9379163.shtml); "
    "effective_from is that notice's date, the edition of the plan that introduced the text is not confirmed"
)


@dataclass(frozen=True)
class ContactRule:
    name: str
    title: str
    conveyance: Conveyance
    rows: int | None
    whole_cabin: bool
    crew_serving: bool
    party: bool
    escalate_to: Literal["cabin", "conveyance"] | None
    effective_from: date
    effective_to: date | None
    source: str

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def dates(self) -> str:
        until = f"until {self.effective_to.isoformat()}" if self.effective_to else "with no end date"
        return f"in force from {self.effective_from.isoformat()} {until}"


class UnknownRule(errors.Invalid):
    """A rule name kouan does not know; the message lists the names it does."""


class NotInForce(errors.Invalid):
    """A rule asked for on a day outside its dates; the message says them."""


RULES: tuple[ContactRule, ...] = (
    ContactRule(
        name="cn-2020-aircraft",
        title="Same row and 3 rows either side, crew serving them / 同排及前后各三排旅客及提供客舱服务的乘务人员",
        conveyance="aircraft",
        rows=3,
        whole_cabin=False,
        crew_serving=True,
        party=True,
        escalate_to="cabin",
        effective_from=date(2020, 2, 6),
        effective_to=None,
        source="NHC 新型冠状病毒肺炎防控方案, 密切接触者判定: 民用航空器舱内病例座位的同排和前后各三排座位的全部旅客"
        "以及在上述区域内提供客舱服务的乘务人员; 其他同航班乘客作为一般接触者; " + _HAINAN_2020,
    ),
    ContactRule(
        name="rows-2",
        title="Same row and 2 rows either side, crew serving them / 同排及前后各两排",
        conveyance="aircraft",
        rows=2,
        whole_cabin=False,
        crew_serving=True,
        party=False,
        escalate_to=None,
        effective_from=date(2017, 3, 8),
        effective_to=None,
        source="the '2-row rule' of long-standing public-health guidance (ECDC RAGIDA, Australian guidelines), as "
        "described by Hertzberg & Weiss, On the 2-Row Rule for Infectious Disease Transmission on Aircraft, Ann Glob "
        "Health 2017, doi:10.1016/j.aogh.2016.06.003; effective_from is that paper's date, the earliest dated text "
        "seen",
    ),
    ContactRule(
        name="cabin",
        title="Same cabin section, crew serving it / 同一客舱",
        conveyance="aircraft",
        rows=None,
        whole_cabin=True,
        crew_serving=True,
        party=True,
        escalate_to="conveyance",
        effective_from=date(2020, 5, 21),
        effective_to=None,
        source="EASA FAQ n.115331 (passengers seated in the same section of the aircraft as the case, as defined by "
        "seat configuration; more than one new case: consider all passengers), accompanying the EASA/ECDC COVID-19 "
        "Aviation Health Safety Protocol; effective_from is the protocol's issue 1.1 date (21/05/2020), the FAQ's own "
        "date was not seen",
    ),
    ContactRule(
        name="party",
        title="Travelling party only (same booking) / 同行人员",
        conveyance="aircraft",
        rows=None,
        whole_cabin=False,
        crew_serving=False,
        party=True,
        escalate_to=None,
        effective_from=date(2020, 1, 1),
        effective_to=None,
        source="kouan's own narrow rule for following up a case's travelling party (same booking reference); not a "
        "published rule; effective_from chosen to cover 2020",
    ),
    ContactRule(
        name="train-carriage",
        title="Sealed train: the whole carriage and its crew / 全封闭空调列车: 同一车厢的全部乘客和乘务人员",
        conveyance="train",
        rows=None,
        whole_cabin=True,
        crew_serving=True,
        party=True,
        escalate_to=None,
        effective_from=date(2020, 2, 6),
        effective_to=None,
        source="NHC 密切接触者判定: 乘坐全封闭空调列车, 病例所在同一车厢的全部乘客和乘务人员; " + _HAINAN_2020,
    ),
    ContactRule(
        name="coach",
        title="Sealed coach: everyone on the same coach / 全密封空调客车: 同乘一辆汽车的所有人员",
        conveyance="coach",
        rows=None,
        whole_cabin=True,
        crew_serving=True,
        party=True,
        escalate_to=None,
        effective_from=date(2022, 4, 20),
        effective_to=None,
        source="交通工具密切接触者判定指引, 3. 汽车: 全密封空调客车, 与病例同乘一辆汽车的所有人员, as quoted on "
        "yzzsnet.com/news/40789.html (updated 2022-04-20); effective_from is that page's date, the guideline's own "
        "date was not seen",
    ),
    ContactRule(
        name="ship-cabin",
        title="Ship: the same cabin and the crew serving it / 轮船: 同一舱室内的全部人员和为该舱室提供服务的乘务人员",
        conveyance="ship",
        rows=None,
        whole_cabin=True,
        crew_serving=True,
        party=True,
        escalate_to=None,
        effective_from=date(2020, 2, 6),
        effective_to=None,
        source="NHC 密切接触者判定: 乘坐轮渡时与病例同一舱室内的全部人员和为该舱室提供服务的乘务人员; " + _HAINAN_2020,
    ),
)

_DEFAULTS: dict[str, str] = {
    "aircraft": "cn-2020-aircraft",
    "train": "train-carriage",
    "coach": "coach",
    "ship": "ship-cabin",
}


def rule_named(name: str, *, on: date | None = None) -> ContactRule:
    """The rule called ``name``; with ``on``, only when it is in force that day."""
    found = next((rule for rule in RULES if rule.name == name.strip()), None)
    if found is None:
        raise UnknownRule(f"no contact rule {name!r}; known: {', '.join(rule.name for rule in RULES)}")
    if on is not None and not found.in_force(on):
        raise NotInForce(f"contact rule {found.name!r} is not in force on {on.isoformat()}: {found.dates()}")
    return found


def rules_in_force(*, on: date, conveyance: Conveyance = "aircraft") -> list[ContactRule]:
    return [rule for rule in RULES if rule.conveyance == conveyance and rule.in_force(on)]


def default_rule(*, on: date, conveyance: Conveyance = "aircraft") -> ContactRule:
    """The conveyance's usual rule when in force that day, else the first that is; NotInForce when none is."""
    in_force = rules_in_force(on=on, conveyance=conveyance)
    preferred = [rule for rule in in_force if rule.name == _DEFAULTS[conveyance]]
    if not (preferred or in_force):
        raise NotInForce(f"no {conveyance} contact rule is in force on {on.isoformat()}")
    return (preferred or in_force)[0]
