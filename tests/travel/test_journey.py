"""The pure journey core: stays from bookings, exit records and declarations, and what a declaration leaves out."""

from __future__ import annotations

from datetime import date

import pytest

from kouan.travel.journey.stays import (
    ExitFact,
    declared_region,
    declared_stays,
    exit_stays,
    pnr_stays,
    undeclared_places,
)
from kouan.travel.registry.history import StayRecord

MILAN_DUBAI_BEIJING = [
    {
        "from": "MXP",
        "to": "DXB",
        "carrier": "EK",
        "flight": "92",
        "departure": "2020-03-19T10:30:00",
        "arrival": "2020-03-19T18:40:00",
    },
    {
        "from": "DXB",
        "to": "PEK",
        "carrier": "EK",
        "flight": "308",
        "departure": "2020-03-20T03:40:00",
        "arrival": "2020-03-20T15:00:00",
    },
    {"from": "PEK", "to": "SHA", "carrier": "MU", "flight": "5102", "departure": "2020-03-21T09:00:00"},
]


def test_booked_legs_up_to_our_port_are_stays_with_their_connection_time() -> None:
    stays = pnr_stays(itinerary=MILAN_DUBAI_BEIJING, booking_ref="ABC123", port="PEK")
    assert [(s.place, s.region_code, s.stay_date, s.source) for s in stays] == [
        ("MXP", "ITA", date(2020, 3, 19), "pnr-origin"),
        ("DXB", "ARE", date(2020, 3, 20), "pnr-transit"),
    ]
    assert "PNR ABC123" in (stays[0].evidence or "") and "connection 9.0 h" in (stays[1].evidence or "")


def test_a_city_code_for_our_port_ends_the_journey_there() -> None:
    stays = pnr_stays(itinerary=MILAN_DUBAI_BEIJING, booking_ref="ABC123", port="BJS")
    assert [s.place for s in stays] == ["MXP", "DXB"]


def test_a_booked_city_code_resolves_to_its_country() -> None:
    legs = [{"from": "LON", "to": "PEK", "carrier": "CA", "flight": "938", "departure": "2020-03-15T21:00:00"}]
    assert [s.region_code for s in pnr_stays(itinerary=legs, booking_ref="X", port="PEK")] == ["GBR"]


@pytest.mark.parametrize(
    ("exits", "expected"),
    [
        ([ExitFact(date(2020, 2, 20), "PEK", "ITA")], [("ITA", date(2020, 2, 20))]),
        ([ExitFact(date(2020, 2, 20), "PEK", "ITA", entered_since=True)], []),
        (
            [ExitFact(date(2020, 1, 5), "PEK", "JPN"), ExitFact(date(2020, 2, 20), "PVG", "ESP")],
            [("ESP", date(2020, 2, 20))],
        ),
        ([ExitFact(date(2020, 2, 20), "PEK", None)], []),
        ([ExitFact(date(2020, 3, 25), "PEK", "ITA")], []),
    ],
)
def test_only_the_latest_open_exit_before_the_journey_counts(exits: list[ExitFact], expected: list) -> None:
    stays = exit_stays(exits=exits, journey_start=date(2020, 3, 19))
    assert [(s.region_code, s.date_from) for s in stays] == expected
    assert all(s.stay_date == date(2020, 3, 19) and s.source == "exit-record" for s in stays)


@pytest.mark.parametrize(
    ("code", "region"), [("IT", "ITA"), ("ita", "ITA"), ("D", "DEU"), ("CN-HB", "CN-HB"), ("HKG", "HKG"), ("??", "?")]
)
def test_declared_places_take_any_country_code(code: str, region: str) -> None:
    assert declared_region(code) == region


def test_declared_places_are_stays_with_their_span() -> None:
    stays = declared_stays(places=[{"country": "IT", "date_from": "2020-03-01", "date_to": "2020-03-18"}])
    assert [(s.region_code, s.date_from, s.stay_date, s.source) for s in stays] == [
        ("ITA", date(2020, 3, 1), date(2020, 3, 18), "declaration")
    ]


def _stay(region: str, day: date, source: str) -> StayRecord:
    return StayRecord(region, None, day, source)


@pytest.mark.parametrize(
    ("declared", "others", "regions"),
    [
        (["ARE"], [("ITA", "pnr-origin"), ("ARE", "pnr-transit")], ["ITA"]),
        (["ITA", "ARE"], [("ITA", "pnr-origin"), ("ARE", "pnr-transit")], []),
        (["CHN"], [("CN-HB", "manifest-embarkation")], []),
        ([], [("ITA", "pnr-origin")], []),
        (["ARE"], [("ITA", "exit-record"), ("ESP", "exit-record")], ["ITA", "ESP"]),
    ],
)
def test_a_place_the_declaration_leaves_out_is_a_finding(declared: list, others: list, regions: list) -> None:
    day = date(2020, 3, 19)
    findings = undeclared_places(
        declared=[_stay(r, day, "declaration") for r in declared],
        others=[_stay(r, day, source) for r, source in others],
        arrival=date(2020, 3, 20),
    )
    assert [f.region for f in findings] == regions


def test_places_before_the_window_are_not_findings() -> None:
    findings = undeclared_places(
        declared=[_stay("ARE", date(2020, 3, 19), "declaration")],
        others=[_stay("ITA", date(2020, 2, 1), "pnr-origin")],
        arrival=date(2020, 3, 20),
    )
    assert findings == []
