"""Pure core: stays from every source of a journey, and the conflicts between them (no database, no web).

Sources: the manifest (embarkation and later departure points), the booking (PNR legs: origin and transit points
with their connection time), our own exit records (abroad since a date, in a country) and the traveller's
declaration. A place that the PNR or our records show but the declaration leaves out is a finding: a possible
false declaration (如实填报).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from kouan.reference import city_airports, country, region
from kouan.travel.registry.history import UNKNOWN_REGION, StayRecord, region_of

DECLARED = "declaration"
CHECKED_SOURCES = (
    "pnr-origin",
    "pnr-transit",
    "exit-record",
    "manifest-embarkation",
    "manifest-leg",
    "earlier-manifest",
)


@dataclass(frozen=True)
class ExitFact:
    """One of our exit records: left through ``port`` on ``day`` for ``country`` (alpha-3, may be unknown)."""

    day: date
    port: str
    country: str | None
    entered_since: bool = False


@dataclass(frozen=True)
class Finding:
    kind: str
    region: str
    source: str
    text: str


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _arrives_at(leg: dict[str, Any], ports: set[str]) -> bool:
    return leg.get("to") in ports or bool(set(leg.get("to_airports") or ()) & ports)


def legs_until_port(*, itinerary: list[dict[str, Any]], port: str) -> list[dict[str, Any]]:
    """The booked legs up to the one arriving at our port (all of them when none does)."""
    ports = {port, *city_airports(port)}
    for index, leg in enumerate(itinerary):
        if _arrives_at(leg, ports):
            return itinerary[: index + 1]
    return list(itinerary)


def pnr_stays(*, itinerary: list[dict[str, Any]], booking_ref: str, port: str) -> list[StayRecord]:
    legs = [leg for leg in legs_until_port(itinerary=itinerary, port=port) if _when(leg.get("departure"))]
    stays: list[StayRecord] = []
    for index, leg in enumerate(legs):
        departure = _when(leg["departure"])
        assert departure is not None
        flight = f"{leg.get('carrier') or ''}{leg.get('flight') or ''}"
        evidence = f"PNR {booking_ref}: {flight} {leg.get('from')}→{leg.get('to')} {departure:%Y-%m-%d %H:%M}"
        if index:
            evidence += _connection(previous=legs[index - 1], departure=departure)
        source = "pnr-transit" if index else "pnr-origin"
        stays.append(StayRecord(region_of(leg.get("from")), leg.get("from"), departure.date(), source, None, evidence))
    return stays


def _connection(*, previous: dict[str, Any], departure: datetime) -> str:
    arrival = _when(previous.get("arrival"))
    if arrival is None:
        return ""
    hours = (departure - arrival).total_seconds() / 3600
    return f", connection {hours:.1f} h"


def exit_stays(*, exits: list[ExitFact], journey_start: date, window_days: int = 14) -> list[StayRecord]:
    """Abroad since our latest exit record (with no entry since): the country it names, up to this journey."""
    open_exits = [e for e in exits if not e.entered_since and e.day <= journey_start]
    if not open_exits:
        return []
    latest = max(open_exits, key=lambda e: e.day)
    if latest.country is None:
        return []
    evidence = f"exit through {latest.port} on {latest.day.isoformat()} for {latest.country}, no entry since"
    return [StayRecord(latest.country, None, journey_start, "exit-record", latest.day, evidence)]


def declared_stays(*, places: list[dict[str, Any]]) -> list[StayRecord]:
    """Places as declared: {"region" or "country": code, "date_from": ISO, "date_to": ISO}."""
    stays = []
    for item in places:
        region = declared_region(item.get("region") or item.get("country"))
        last = date.fromisoformat(str(item.get("date_to") or item.get("date_from")))
        first = date.fromisoformat(str(item["date_from"])) if item.get("date_from") else None
        stays.append(StayRecord(region, _place_code(item.get("place")), last, DECLARED, first, _evidence(item)))
    return stays


def _place_code(place: Any) -> str | None:
    """A stay's place is an airport or city code; a city written out ("Milano") stays in the evidence."""
    text = str(place or "").strip().upper()
    return text if 3 <= len(text) <= 5 and text.isalnum() else None


def _evidence(item: dict[str, Any]) -> str:
    written = str(item.get("place") or item.get("city") or "").strip()
    return f"health declaration: {written}"[:200] if written else "health declaration"


def declared_region(code: Any) -> str:
    text = str(code or "").strip().upper()
    if text.startswith("CN-") or text in {"HKG", "MAC", "TWN"}:
        return text
    found = country(text) if text else None
    return (found.iso_country or found.code) if found else UNKNOWN_REGION


def _name(code: str) -> str:
    found = region(code)
    return found.name if found else code


def _same_country(a: str, b: str) -> bool:
    return a == b or (a.startswith("CN-") and b == "CHN") or (b.startswith("CN-") and a == "CHN")


def undeclared_places(
    *, declared: list[StayRecord], others: list[StayRecord], arrival: date, window_days: int = 14
) -> list[Finding]:
    """Places other sources show in the window that the declaration leaves out (only when one was filed)."""
    if not declared:
        return []
    start = arrival - timedelta(days=window_days)
    findings: dict[str, Finding] = {}
    for stay in others:
        covered = any(_same_country(stay.region_code, d.region_code) for d in declared)
        if stay.source in CHECKED_SOURCES and stay.stay_date >= start and not covered:
            text = f"{_name(stay.region_code)} ({stay.evidence or stay.source}) is not in the health declaration"
            findings.setdefault(stay.region_code, Finding("undeclared-place", stay.region_code, stay.source, text))
    return list(findings.values())
