"""Pure core: turning engine rows into reasons people can read, and levels into actions (zh/en)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

ACTIONS: dict[str, list[str]] = {
    "high": [
        "Route to the special arrival zone / 引导至专用通道",
        "Refer to customs health quarantine / 移交海关卫生检疫",
        "Notify the destination's health authority / 通报目的地卫生健康部门",
    ],
    "medium": [
        "Check the health declaration and temperature at the counter / 查验健康申明卡并测温",
        "Ask where the traveller has been in the last 14 days / 询问14天旅居史",
    ],
    "unknown": ["Verify travel history at the counter: no risk figure is known for a place / 核实旅居史"],
    "low": [],
}

SOURCES = {
    "manifest-embarkation": "Boarded at",
    "manifest-leg": "Flight departed",
    "pnr-origin": "Booked from",
    "pnr-transit": "Connected at",
    "exit-record": "Left China for",
    "declaration": "Declared",
    "earlier-manifest": "Earlier flight left",
}
QUESTION = "Question the traveller about places the declaration leaves out / 核查未如实申报的旅居地"
RISK_SOURCES = {"jhu-csse": "JHU CSSE"}


def actions_for(level: str, *, findings: int = 0) -> list[str]:
    return list(ACTIONS.get(level, [])) + ([QUESTION] if findings else [])


def reason_text(*, row: dict[str, Any], region_name: Callable[[str], str]) -> str:
    """'Boarded at FCO (Italy) on 2020-03-20; Italy 14-day rate 70.1 per 100k on 2020-03-19 (JHU CSSE): high'."""
    label, region = SOURCES.get(row["source"], row["source"]), region_name(row["region_code"])
    where = f"{label} {row['place']} ({region})" if row.get("place") else f"{label} {region}"
    when = f"since {_day(row['date_from'])}" if row.get("date_from") else f"on {_day(row['stay_date'])}"
    evidence = f" [{row['evidence']}]" if row.get("evidence") else ""
    designated = f"; designated {row['designated_level']} by analysts" if row.get("designated_level") else ""
    return f"{where} {when}{evidence}; {_figure(row=row, region_name=region_name)}{designated}: {row['level']}"


def _figure(*, row: dict[str, Any], region_name: Callable[[str], str]) -> str:
    name = region_name(row["region_code"])
    if row.get("source_date") is None:
        return f"no risk figure known for {name}"
    if row.get("rate_14d") is None:
        return f"{name} has no 14-day rate on {_day(row['source_date'])}"
    source = RISK_SOURCES.get(row.get("risk_source") or "", row.get("risk_source") or "")
    figure = f"{name} 14-day rate {row['rate_14d']:.1f} per 100k on {_day(row['source_date'])}"
    return f"{figure} ({source})" if source else figure


def _day(value: date | None) -> str:
    return value.isoformat() if value else "?"
