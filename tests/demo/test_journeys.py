"""The demo night's other sources: bookings from before the hub, exit records and declarations, one of which
leaves a place out."""

from __future__ import annotations

from kouan.demo.journeys import generate_journeys
from kouan.demo.night import generate_night
from kouan.demo.schedule import flights
from kouan.formats.pnrgov import parse_pnrgov, pnrgov_to_dict
from kouan.travel.journey.schemas import CrossingCreate, DeclarationCreate

MESSAGES = generate_night()
JOURNEYS = generate_journeys(messages=MESSAGES)


def test_pushes_parse_cleanly_and_book_from_before_the_hub() -> None:
    hubs = {"EK308", "QR892", "TK020", "EK302", "TK026", "EK362", "QR874"}  # from Dubai, Doha, Istanbul
    assert {name.split("_")[1] for name, _ in JOURNEYS.pnr_messages} == hubs
    lands = {f.number: f.route[-1] for f in flights()}
    for name, text in JOURNEYS.pnr_messages:
        parsed = pnrgov_to_dict(parse_pnrgov(text))
        assert parsed["warnings"] == []
        to = lands[name.split("_")[1]]
        assert all(len(p["itinerary"]) == 2 and p["itinerary"][-1]["to"] == to for p in parsed["pnrs"])


def test_the_featured_traveller_has_every_source_and_leaves_italy_out() -> None:
    featured = JOURNEYS.featured
    assert (featured["flight"], featured["booked_from"]) == ("EK308", "MXP")
    exits = [c for c in JOURNEYS.crossings if c["surname"] == featured["surname"]]
    declared = [d for d in JOURNEYS.declarations if (d["surname"], d["flight"]) == (featured["surname"], "EK308")]
    assert any(c["country"] == "ITA" for c in exits)
    mine = next(d for d in declared if d["given_names"] == featured["given_names"])
    assert "ITA" not in {p["country"] for p in mine["places"]}


def test_records_validate_and_the_generation_is_deterministic() -> None:
    assert all(CrossingCreate.model_validate(c) for c in JOURNEYS.crossings)
    assert all(DeclarationCreate.model_validate(d) for d in JOURNEYS.declarations)
    assert generate_journeys(messages=MESSAGES).declarations == JOURNEYS.declarations
