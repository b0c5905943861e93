"""The wording of vessel screening (English / 中文 side by side): reasons, actions, level names."""

from __future__ import annotations

from datetime import date

from kouan.formats.mdh_fields import MdhPlace

LEVEL_ZH = {"high": "高风险", "medium": "中风险", "low": "低风险", "unknown": "风险不明"}

QUESTION_SHORT: dict[int, tuple[str, str]] = {
    1: ("a death on board otherwise than by accident", "船上发生非意外死亡"),
    2: ("a case of suspected infectious disease", "疑似传染病病例"),
    3: ("more ill than normal/expected", "患病人数超过正常"),
    4: ("an ill person on board now", "目前船上有病人"),
    5: ("a medical practitioner consulted", "曾咨询医生"),
    6: ("a condition on board that may lead to infection or spread of disease", "船上存在可能导致感染或疾病传播的情况"),
    7: ("a sanitary measure applied on board", "船上已采取卫生措施"),
    8: ("stowaways found on board", "船上发现偷渡者"),
    9: ("a sick animal or pet on board", "船上有患病动物"),
}

VESSEL_ACTIONS: dict[str, tuple[str, ...]] = {
    "high": (
        "Boarding quarantine at the anchorage before berthing / 锚地登临检疫",
        "No shore leave / 船员不得下地",
        "Crew change refused / 不予换班",
        "Pilot and stevedores in protective equipment, keeping their distance / 引航员、装卸人员做好防护",
    ),
    "medium": (
        "Temperature checks of all crew reported before berthing / 靠泊前报告全体船员体温",
        "Shore leave only with approval / 船员下地须经批准",
        "Crew change only after a health check / 换班须经健康检查",
    ),
    "unknown": (
        "Electronic quarantine clearance / 电讯检疫",
        "Ask the ship for the missing declaration answers and departure dates / 要求船方补报海事卫生声明缺项及离港日期",
    ),
    "low": ("Electronic quarantine clearance / 电讯检疫",),
}

CREW_ACTIONS: dict[str, tuple[str, ...]] = {
    "high": (
        "Isolate on board / 船上隔离",
        "Refer to customs health quarantine at berthing / 靠泊后移交海关卫生检疫",
    ),
    "medium": (
        "Temperature check and health declaration at boarding / 登轮测温并查验健康申明",
        "No shore leave without approval / 未经批准不得下地",
    ),
    "unknown": ("Verify where and when they joined and where they have been / 核实上船地点、日期及旅居史",),
    "low": (),
}


def place_label(place: MdhPlace) -> str:
    """'Singapore (SGSIN)', 'SGSIN', or the place as written."""
    code = place.locode or place.as_written
    return f"{place.name} ({code})" if place.name else code


def bilingual(english: str, chinese: str) -> str:
    return f"{english} / {chinese}"


def port_text(*, place: MdhPlace, departure: date, risk: str, level: str) -> str:
    label = place_label(place)
    return bilingual(f"Called at {label}, left {departure}: {risk}", f"挂靠{label}，{departure}离港：{LEVEL_ZH[level]}")


def port_undated_text(*, place: MdhPlace, arrival: date, risk: str, level: str) -> str:
    label = place_label(place)
    return bilingual(
        f"Called at {label}, departure date missing (risk as known on arrival {arrival}): {risk}",
        f"挂靠{label}，未申报离港日期（按抵港日{arrival}评估）：{LEVEL_ZH[level]}",
    )


def port_unplaced_text(place: MdhPlace | None) -> str:
    if place is None:
        return bilingual("A port of call with no port named: unknown", "挂靠港未填写：风险不明")
    label = place_label(place)
    return bilingual(
        f"Called at {label}: no region known for this place, its risk cannot be assessed: unknown",
        f"挂靠{label}：该地点无所属地区，无法评估风险：风险不明",
    )


def ports_low_text(labels: list[str]) -> str:
    joined = ", ".join(labels)
    return bilingual(f"Other ports of call low: {joined}", f"其余挂靠港均为低风险：{joined}")


def no_ports_text(*, arrival: date, days: int) -> str:
    return bilingual(
        f"No port of call declared: where the ship has been before arrival {arrival} is unknown",
        f"未申报挂靠港：抵港（{arrival}）前{days}天内航程不明",
    )


def no_recent_ports_text(*, arrival: date, days: int) -> str:
    return bilingual(
        f"No port of call within {days} days before arrival {arrival}",
        f"抵港（{arrival}）前{days}天内无挂靠港",
    )


def answer_yes_text(*, number: int, details: str | None) -> str:
    english, chinese = QUESTION_SHORT[number]
    if number == 8:
        where = f"where they joined: {details}" if details else "where they joined not stated"
        return bilingual(f"MDH question 8 answered yes: {english}; {where}", f"海事卫生声明第8问答“是”：{chinese}")
    more = f" ({details})" if details else ""
    return bilingual(
        f"MDH question {number} answered yes: {english}{more}", f"海事卫生声明第{number}问答“是”：{chinese}{more}"
    )


def answer_missing_text(number: int) -> str:
    english, chinese = QUESTION_SHORT[number]
    return bilingual(
        f"MDH question {number} not answered ({english}?)", f"海事卫生声明第{number}问未作答（{chinese}？）"
    )


def ill_text(*, name: str, illness: str | None, onset: date | None) -> str:
    what = illness or "illness not described"
    since = f"onset {onset}" if onset else "onset not given"
    return bilingual(
        f"{name} is in the MDH schedule of ill persons: {what}, {since}",
        f"{name}列入海事卫生声明病例附表：{what}，发病日期{onset or '未填'}",
    )


def joined_text(*, place: MdhPlace, day: date | None, risk: str, level: str) -> str:
    label = place_label(place)
    if day is None:
        return bilingual(
            f"Joined from {label}, date unknown (risk as known on arrival): {risk}",
            f"自{label}上船，日期不明（按抵港日评估）：{LEVEL_ZH[level]}",
        )
    return bilingual(f"Joined from {label} on {day}: {risk}", f"{day}自{label}上船：{LEVEL_ZH[level]}")


def joined_unplaced_text(place: MdhPlace) -> str:
    label = place_label(place)
    return bilingual(
        f"Joined from {label}: no region known for this place: unknown", f"自{label}上船：该地点无所属地区：风险不明"
    )


def crew_count_text(*, declared: int, listed: int) -> str:
    return bilingual(
        f"MDH declares {declared} crew on board, the crew list names {listed}",
        f"海事卫生声明船员{declared}人，船员名单{listed}人，不一致",
    )


def not_on_list_text(*, name: str, ill: bool) -> str:
    if ill:
        return bilingual(
            f"{name} is in the MDH schedule of ill persons but not on the crew list",
            f"{name}列入海事卫生声明病例附表，但不在船员名单中",
        )
    return bilingual(
        f"{name} joined according to the MDH but is not on the crew list", f"{name}据海事卫生声明上船，但不在船员名单中"
    )


def imo_text(*, declared: str, listed: str) -> str:
    return bilingual(
        f"MDH IMO number {declared} differs from the crew list's {listed}",
        f"海事卫生声明IMO编号{declared}与船员名单{listed}不符",
    )


def arriving_from_text(place: MdhPlace) -> str:
    label = place_label(place)
    return bilingual(
        f"MDH says arriving from {label}, which is not among its ports of call", f"申报来自{label}，但挂靠港中无此港"
    )


def earlier_port_text(locode: str) -> str:
    return bilingual(
        f"{locode} was declared at an earlier call but is missing from this declaration's ports of call",
        f"{locode}曾在此前申报中列出，本次挂靠港中缺失",
    )
