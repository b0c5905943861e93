import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kouan.demo import generate_night, write_night
from kouan.demo.cabin import capacity
from kouan.demo.schedule import flights
from kouan.formats.paxlst import parse_paxlst
from kouan.reference import airport

NIGHT = date(2020, 3, 15)
WINDOW = (datetime.combine(NIGHT, time(18, 0)), datetime.combine(NIGHT + timedelta(days=1), time(6, 0)))
NAME = re.compile(r"[A-Z]+( [A-Z]+)*")


@pytest.fixture(scope="module")
def night():
    return generate_night(night=NIGHT, seed=2020)


@pytest.fixture(scope="module")
def parsed(night):
    return [(demo, parse_paxlst(demo.text, today=NIGHT)) for demo in night]


def _age(born):
    return NIGHT.year - born.year - ((NIGHT.month, NIGHT.day) < (born.month, born.day))


def _passenger_lists(parsed):
    return [message for demo, message in parsed if demo.message_type == "passengers"]


def test_thirty_or_more_flights_each_with_a_passenger_list(night):
    numbers = [demo.number for demo in night if demo.message_type == "passengers"]
    assert len(numbers) >= 30
    assert len(set(numbers)) == len(numbers)


def test_every_message_parses_back_cleanly(parsed):
    for demo, message in parsed:
        assert message.warnings == []
        assert message.message_type == demo.message_type
        assert (message.carrier, message.number) == (demo.carrier, demo.number)
        assert message.declared_count == len(message.travellers) > 0
        assert message.legs[0].origin == demo.origin


def test_filenames(night):
    names = [demo.filename for demo in night]
    assert len(set(names)) == len(names)
    assert "20200315_CA938_LHR_pax.edi" in names
    assert all(re.fullmatch(r"20200315_[A-Z0-9]{2}\d{3,4}_[A-Z]{3}_(pax|crew)\.edi", name) for name in names)


def test_every_flight_lands_at_one_of_the_three_airports_in_the_night_window(parsed):
    landed = set()
    for message in _passenger_lists(parsed):
        last = message.legs[-1]
        landed.add(last.destination)
        assert WINDOW[0] <= last.arrival <= WINDOW[1]  # all three keep Beijing time
    assert landed == {"PEK", "PVG", "CAN"}


def test_legs_are_consistent_in_time(parsed):
    for message in _passenger_lists(parsed):
        for leg in message.legs:
            landed = leg.arrival.replace(tzinfo=ZoneInfo(airport(leg.destination).tz))
            block = landed - leg.departure.replace(tzinfo=ZoneInfo(airport(leg.origin).tz))
            assert timedelta(hours=1) < block < timedelta(hours=15)


def test_several_multi_leg_flights(parsed):
    multi = [message for message in _passenger_lists(parsed) if len(message.legs) > 1]
    assert len(multi) >= 3
    for message in multi:
        assert [leg.destination for leg in message.legs[:-1]] == [leg.origin for leg in message.legs[1:]]
        assert {p.embarkation for p in message.travellers} == {leg.origin for leg in message.legs}


def test_some_passengers_embarked_before_the_flight_origin(parsed):
    earlier = {p.embarkation for m in _passenger_lists(parsed) for p in m.travellers} - {
        leg.origin for m in _passenger_lists(parsed) for leg in m.legs
    }
    assert {"FCO", "MXP"} <= earlier


def test_crew_lists_for_a_third_of_the_flights(parsed):
    crews = [message for demo, message in parsed if demo.message_type == "crew"]
    assert len(crews) * 3 >= len(_passenger_lists(parsed))
    for message in crews:
        assert 8 <= len(message.travellers) <= 16
        assert {p.role for p in message.travellers} == {"crew"}


def test_some_passengers_in_transit(parsed):
    transit = Counter(m.number for m in _passenger_lists(parsed) for p in m.travellers if p.role == "in_transit")
    assert len(transit) >= 2


def test_origins_cover_the_key_countries(parsed):
    places = {p.embarkation for m in _passenger_lists(parsed) for p in m.travellers}
    countries = {airport(code).country for code in places}
    assert {"ITA", "IRN", "MNG", "KOR", "JPN", "USA", "GBR", "HKG", "MAC"} <= countries


def test_passenger_loads_follow_aircraft_size(parsed):
    by_number = {flight.number: flight for flight in flights()}
    for message in _passenger_lists(parsed):
        seats = capacity(by_number[message.number].aircraft)
        assert 0.4 * seats - 1 <= len(message.travellers) <= 0.8 * seats + 1


def test_many_chinese_nationals_returning(parsed):
    nationalities = Counter(p.nationality for m in _passenger_lists(parsed) for p in m.travellers)
    assert nationalities["CHN"] > sum(nationalities.values()) / 2
    assert len(nationalities) >= 30


def test_travellers_look_real(parsed):
    for message in (message for _, message in parsed):
        seats = [p.seat for p in message.travellers if p.seat]
        assert len(set(seats)) == len(seats)
        for person in message.travellers:
            assert NAME.fullmatch(person.surname)
            assert NAME.fullmatch(person.given_names)
            assert person.sex in {"M", "F"}
            assert 1 <= _age(person.birth_date) <= 85
            assert person.debarkation == message.legs[-1].destination
            (document,) = person.documents
            assert document.type == "P"
            assert document.issued < NIGHT < document.expiry
            assert document.issued > person.birth_date


@pytest.mark.parametrize(
    ("nationality", "pattern"),
    [("CHN", r"E\d{8}|E[A-Z]\d{7}"), ("USA", r"\d{9}|[A-Z]\d{8}"), ("DEU", r"C[0-9CFGHJKLMNPRTVWXYZ]{8}")],
)
def test_passport_numbers(parsed, nationality, pattern):
    numbers = [p.documents[0].number for _, m in parsed for p in m.travellers if p.nationality == nationality]
    assert numbers
    assert all(re.fullmatch(pattern, number) for number in numbers)


def test_passengers_have_passenger_fields(parsed):
    for message in _passenger_lists(parsed):
        for person in message.travellers:
            assert person.seat and person.booking_ref and len(person.booking_ref) == 6
            assert person.role in {"passenger", "in_transit"}


def test_deterministic_for_a_seed():
    first = generate_night(night=NIGHT, seed=11, scale=0.1)
    assert first == generate_night(night=NIGHT, seed=11, scale=0.1)
    assert first != generate_night(night=NIGHT, seed=12, scale=0.1)


def test_scale_shrinks_the_night():
    small = generate_night(night=NIGHT, seed=11, scale=0.05)
    assert sum(demo.text.count("NAD+FL") for demo in small) < 600


def test_write_night(tmp_path):
    paths = write_night(directory=tmp_path / "night", night=NIGHT, seed=3, scale=0.05)
    assert len(paths) == len(generate_night(night=NIGHT, seed=3, scale=0.05))
    assert all(path.read_text(encoding="ascii").startswith("UNA") for path in paths)


def test_data_tables_agree():
    from kouan.demo.names import nationalities
    from kouan.demo.night import _carriers
    from kouan.demo.tables import weights
    from kouan.reference import country

    mixes = [point.mix for flight in flights() for point in flight.boarding]
    mixes += [weights(row["crew"]) for row in _carriers().values()]
    used = {code for mix in mixes for code, _ in mix}
    assert used <= set(nationalities())
    assert all(country(code).code == code for code in nationalities())
    assert {flight.carrier for flight in flights()} <= set(_carriers())
    assert all(airport(code) for flight in flights() for code in (*flight.route, *(p.at for p in flight.boarding)))
    assert all(sum(point.share for point in flight.boarding) == 100 for flight in flights())
