"""China's entry policies of Jan–Mar 2020 as effective-dated rules, each citing its legal source: pure, no DB, no web.

The rules are data (``RULES``): frozen ``PolicyRule`` records, from ``shared/data/policy/cn-measures-2020-01-to-03.md``.
``decide()`` evaluates every rule in force at the query's moment and returns the strongest effect
(refuse entry > divert > allowed with conditions > allowed) together with every rule that applied.

Decisions (where the announcements leave room):

- Times: a naive datetime is Beijing time (+08:00); an aware one is converted. A rule is in force on
  ``valid_from <= at < valid_to``.
- The rules are mainland China's: they apply only to an arrival at a mainland airport (``HKG``/``MAC``/``TPE`` are not).
- R1 starts 2020-01-25 00:00 +08:00, the announcement's date (some reports give the 26th; the earlier date is the
  announcement's own and the safer one for a duty to declare). The query is about entry, so R1 is the entry half.
- R2: a flight is Beijing-bound when it arrives at Beijing (``BJS``, ``PEK``, ``PKX``, ``NAY``) or its final destination
  is Beijing. One that first lands at a designated point needs no diversion (that IS its first point of entry); one that
  first lands anywhere else in the mainland is diverted (the flight must first land at a designated point).
- R2 phase 1: the announced dates are taken as Beijing dates, and the day after the last one is also covered (an
  overnight flight arrives the next day), but never past phase 2, which takes over for every Beijing flight.
- R3: "visas issued after the announcement" (dated 2020-03-26, a date without a time) means issued on or after
  2020-03-27; a visa dated the 26th is affected. A consular visa without an issue date counts as issued before. The
  exception is for visas, not for port visas, APEC cards or the visa-free schemes. Chinese nationals and (decision)
  Hong Kong, Macao and Taiwan residents (``HKG``, ``MAC``, ``TWN``: they travel on their own permits, not as
  foreigners) are never refused. A foreigner with neither a visa type nor a residence permit (a visa-exempt
  nationality under an agreement) is not covered by R3.
- ``text_zh`` of R1 is quoted from the announcement; for R2 and R3 the policy file gives no Chinese text, so it is our
  rendering of the announcements' content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Literal

from kouan.reference import city_airports, country, place

BEIJING_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
BEIJING = frozenset({"BJS", *city_airports("BJS")})
DESIGNATED_FIRST_ENTRY = ("TSN", "SJW", "TYN", "HET", "PVG", "TNA", "TAO", "NKG", "SHE", "DLC", "CGO", "XIY")
NOT_FOREIGN = frozenset({"CHN", "HKG", "MAC", "TWN"})
CONSULAR_VISAS = frozenset({"L", "M", "F", "Q1", "Q2", "S1", "S2", "X1", "X2", "Z", "J1", "J2", "D", "G", "R"})
UNAFFECTED_VISAS = frozenset({"C", "DIPLOMATIC", "SERVICE", "COURTESY"})
VISA_FREE_SCHEMES = frozenset(
    {"TRANSIT-24", "TRANSIT-72", "TRANSIT-144", "HAINAN", "CRUISE-SHANGHAI", "GROUP-GUANGDONG-144", "ASEAN-GUANGXI"}
)
VISA_TYPES = CONSULAR_VISAS | UNAFFECTED_VISAS | VISA_FREE_SCHEMES | {"PORT", "APEC"}
R3_VISAS_UNAFFECTED_FROM = date(2020, 3, 27)

Effect = Literal["allowed_with_conditions", "divert", "refuse_entry"]
Decision = Literal["allowed", "allowed_with_conditions", "divert", "refuse_entry"]
RANK: dict[str, int] = {"allowed": 0, "allowed_with_conditions": 1, "divert": 2, "refuse_entry": 3}


@dataclass(frozen=True)
class PolicyQuery:
    at: datetime
    arrival: str
    nationality: str
    final_destination: str | None = None
    visa_type: str | None = None
    visa_issued: date | None = None
    residence_permit: bool = False
    flight: str | None = None

    def __post_init__(self) -> None:
        if self.visa_type is not None and self.visa_type.upper() not in VISA_TYPES:
            raise ValueError(f"visa_type {self.visa_type!r} is not one of {', '.join(sorted(VISA_TYPES))}")


@dataclass(frozen=True)
class PolicyRule:
    id: str
    valid_from: datetime
    valid_to: datetime | None
    source: str
    text: str
    text_zh: str
    effect: Effect
    applies: Callable[[PolicyQuery], bool]
    divert_to: tuple[str, ...] = ()

    def in_force(self, at: datetime) -> bool:
        moment = beijing_time(at)
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)


@dataclass(frozen=True)
class AppliedRule:
    id: str
    source: str
    text: str
    text_zh: str
    effect: Effect
    divert_to: tuple[str, ...]


@dataclass(frozen=True)
class PolicyDecision:
    decision: Decision
    rules: list[AppliedRule]


def beijing_time(at: datetime) -> datetime:
    """``at`` in Beijing time; a naive datetime is taken to be Beijing time already."""
    if at.tzinfo is None or at.utcoffset() is None:
        return at.replace(tzinfo=BEIJING_TZ)
    return at.astimezone(BEIJING_TZ)


def _bj(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=BEIJING_TZ)


def normalise_flight(flight: str | None) -> str | None:
    """``ca 0934`` → ``CA934``; None stays None."""
    if flight is None:
        return None
    compact = re.sub(r"\s+", "", flight).upper()
    matched = re.fullmatch(r"([A-Z0-9]{2})0*(\d{1,4}[A-Z]?)", compact)
    return f"{matched[1]}{matched[2]}" if matched else compact


def _in_mainland(query: PolicyQuery) -> bool:
    found = place(query.arrival)
    return found is not None and found.country == "CHN"


def is_beijing(code: str | None) -> bool:
    return code is not None and code.strip().upper() in BEIJING


def _beijing_bound(query: PolicyQuery) -> bool:
    return is_beijing(query.arrival) or is_beijing(query.final_destination)


def _first_entry_elsewhere(points: tuple[str, ...], *, flight: str | None = None) -> Callable[[PolicyQuery], bool]:
    """A Beijing-bound arrival (of ``flight`` if named) whose first point of entry is not one of ``points``."""

    def applies(query: PolicyQuery) -> bool:
        if flight is not None and normalise_flight(query.flight) != flight:
            return False
        return _in_mainland(query) and _beijing_bound(query) and query.arrival.upper() not in points

    return applies


def _everyone_entering(query: PolicyQuery) -> bool:
    return _in_mainland(query)


def _enters_on_unaffected_visa(query: PolicyQuery) -> bool:
    visa = (query.visa_type or "").upper()
    if visa in UNAFFECTED_VISAS:
        return True
    issued = query.visa_issued
    return visa in CONSULAR_VISAS and issued is not None and issued >= R3_VISAS_UNAFFECTED_FROM


def _foreigner_on_suspended_basis(query: PolicyQuery) -> bool:
    if not _in_mainland(query) or query.nationality.upper() in NOT_FOREIGN:
        return False
    if _enters_on_unaffected_visa(query):
        return False
    return query.residence_permit or query.visa_type is not None


GACC_2020_16 = (
    "海关总署 GACC, 关于重新启动出入境人员填写健康申明卡制度的公告, Announcement 2020 No. 16, 2020-01-25, "
    "effective on publication (some reports give 2020-01-26); published: jying.cn (中国海关杂志), wap.qwitaly.com, "
    "news.cnjiwang.com (Changchun Customs, 2020-03-06)"
)
PHASE1_SOURCE = (
    "Announcement of 2020-03-19 on Beijing-bound international flights (phase 1), effective 2020-03-20 00:00 "
    "Beijing time; published: Xinhua, yybnet.net"
)
CAAC_2020_2 = (
    "民航局 CAAC, 外交部 MFA, 国家卫生健康委 NHC, 海关总署 GACC, 国家移民管理局 NIA, Announcement No. 2, 2020-03-22, "
    "effective 2020-03-23 00:00 Beijing time; published: gov.cn (Xinhua), /xinwen/2020-03/22/content_5494180.htm"
)
MFA_NIA_2020_03_26 = (
    "外交部 MFA and 国家移民管理局 NIA, 关于暂时停止持有效中国签证、居留许可的外国人入境的公告, 2020-03-26, "
    "effective 2020-03-28 00:00 Beijing time; published: big5.cri.cn (Xinhua), 2020-03-27"
)
CITY_ZH = {
    "TSN": "天津",
    "HET": "呼和浩特",
    "TYN": "太原",
    "Moscow": "莫斯科",
    "Paris": "巴黎",
    "Tokyo": "东京",
    "Toronto": "多伦多",
}


def _phase1_rule(flight: str, *, origin: str, march_days: tuple[int, ...], to: str) -> PolicyRule:
    """A flight named in phase 1, on the March 2020 days announced (and the next day), until phase 2 took over."""
    days = "/".join(f"3/{day}" for day in march_days)
    return PolicyRule(
        id=f"R2.1-{flight}",
        valid_from=_bj(2020, 3, march_days[0]),
        valid_to=min(_bj(2020, 3, march_days[-1]) + timedelta(days=2), _bj(2020, 3, 23)),
        source=PHASE1_SOURCE,
        text=f"Flight {flight} from {origin} ({days}) bound for Beijing must first land at {to}.",
        text_zh=f"{flight}航班（{CITY_ZH[origin]}，{days}）目的地为北京，须首先在{CITY_ZH[to]}（{to}）入境。",
        effect="divert",
        applies=_first_entry_elsewhere((to,), flight=flight),
        divert_to=(to,),
    )


R1 = PolicyRule(
    id="R1",
    valid_from=_bj(2020, 1, 25),
    valid_to=None,
    source=GACC_2020_16,
    text=(
        "Everyone entering or leaving must declare their health to customs health quarantine and cooperate with "
        "temperature checks, medical patrols and medical screening."
    ),
    text_zh="出入境人员必须向海关卫生检疫部门进行健康申报，并配合做好体温监测、医学巡查、医学排查等卫生检疫工作。",
    effect="allowed_with_conditions",
    applies=_everyone_entering,
)
R2_2 = PolicyRule(
    id="R2.2",
    valid_from=_bj(2020, 3, 23),
    valid_to=None,
    source=CAAC_2020_2,
    text=(
        "Every international passenger flight destined for Beijing must first land at one of 12 designated first "
        "points of entry (Tianjin, Shijiazhuang, Taiyuan, Hohhot, Shanghai Pudong, Jinan, Qingdao, Nanjing, Shenyang, "
        "Dalian, Zhengzhou, Xi'an), where passengers undergo quarantine and entry formalities and clear baggage."
    ),
    text_zh=(
        "自2020年3月23日0时起，所有目的地为北京的国际客运航班，均须从天津、石家庄、太原、呼和浩特、上海浦东、济南、"
        "青岛、南京、沈阳、大连、郑州、西安等12个指定第一入境点入境，旅客在第一入境点接受检疫、办理入境手续并提取行李。"
    ),
    effect="divert",
    applies=_first_entry_elsewhere(DESIGNATED_FIRST_ENTRY),
    divert_to=DESIGNATED_FIRST_ENTRY,
)
R3 = PolicyRule(
    id="R3",
    valid_from=_bj(2020, 3, 28),
    valid_to=None,
    source=MFA_NIA_2020_03_26,
    text=(
        "Entry by foreigners with currently valid Chinese visas or residence permits is suspended, as is entry with "
        "APEC Business Travel Cards, port visas, 24/72/144-hour visa-free transit, Hainan and Shanghai-cruise "
        "visa-free entry, the 144-hour Guangdong tour-group and the ASEAN Guangxi tour-group schemes. Diplomatic, "
        "service, courtesy and C visas, and visas issued after 2020-03-26, are not affected."
    ),
    text_zh=(
        "自2020年3月28日0时起，暂停外国人持目前有效来华签证和居留许可入境；暂停APEC商务旅行卡、口岸签证、24/72/144小时"
        "过境免签、海南免签、上海邮轮免签、外国旅游团港澳进入广东144小时便利签证、东盟旅游团进入广西免签等政策。"
        "持外交、公务、礼遇、C字签证入境不受影响；公告发布后签发的签证入境不受影响。"
    ),
    effect="refuse_entry",
    applies=_foreigner_on_suspended_basis,
)
RULES: tuple[PolicyRule, ...] = (
    R1,
    _phase1_rule("CA910", origin="Moscow", march_days=(20,), to="TSN"),
    _phase1_rule("CA934", origin="Paris", march_days=(22,), to="TSN"),
    _phase1_rule("CA926", origin="Tokyo", march_days=(20, 21, 22), to="HET"),
    _phase1_rule("HU7976", origin="Toronto", march_days=(21, 22), to="TYN"),
    R2_2,
    R3,
)


def rules_in_force(at: datetime, *, rules: tuple[PolicyRule, ...] = RULES) -> list[PolicyRule]:
    """The rules whose validity covers ``at`` (naive = Beijing time)."""
    return [rule for rule in rules if rule.in_force(at)]


def _normalised(query: PolicyQuery) -> PolicyQuery:
    found = country(query.nationality)
    return replace(
        query,
        at=beijing_time(query.at),
        arrival=query.arrival.strip().upper(),
        nationality=found.code if found is not None else query.nationality.strip().upper(),
        final_destination=query.final_destination.strip().upper() if query.final_destination else None,
        visa_type=query.visa_type.upper() if query.visa_type else None,
    )


def _applied(rule: PolicyRule) -> AppliedRule:
    texts = {"source": rule.source, "text": rule.text, "text_zh": rule.text_zh}
    return AppliedRule(id=rule.id, effect=rule.effect, divert_to=rule.divert_to, **texts)


def decide(query: PolicyQuery, *, rules: tuple[PolicyRule, ...] = RULES) -> PolicyDecision:
    """The strongest effect among the rules in force that apply to ``query``, with every one of them as reasons."""
    normal = _normalised(query)
    applied = [_applied(rule) for rule in rules_in_force(normal.at, rules=rules) if rule.applies(normal)]
    decision: Decision = max((rule.effect for rule in applied), key=RANK.__getitem__, default="allowed")
    return PolicyDecision(decision=decision, rules=applied)
