"""The overstays list on SQLite and PostgreSQL, from our own entries and exits: a foreigner past a 30-day visa with
no exit is listed with the days overstayed, an exit closes the stay, a re-entry after an exit is judged on itself,
Chinese citizens are never listed, an unknown basis is counted; officers see who entered at their ports (API,
console and the `kouan overstays` command); the exit counter asks about one document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.cli import app as kouan
from kouan.db import unit_of_work
from kouan.demo.organisation import seed_organisation
from kouan.overstays.service import overstay_for, overstays
from kouan.settings import Settings
from kouan.travel.journey.schemas import CrossingCreate
from kouan.travel.journey.service import add_crossings
from kouan.users.models import Role
from kouan.users.service import create_user

MULLER = {"surname": "MULLER", "given_names": "ANNA", "nationality": "DEU", "birth_date": "1985-02-03",
          "document_number": "C01X00T47"}  # fmt: skip
L_VISA = {"stay_basis": "visa", "visa_type": "L", "stay_days": 30}
APRIL_10 = date(2020, 4, 10)


def crossing(direction: str, when: str, *, port: str = "PEK", **fields: Any) -> CrossingCreate:
    return CrossingCreate.model_validate({"direction": direction, "port": port, "crossed_at": when} | MULLER | fields)


def file(session: Session, *crossings: CrossingCreate) -> None:
    add_crossings(session=session, crossings=list(crossings))


def listed(session: Session, on: date = APRIL_10, ports: frozenset[str] | None = None) -> list[tuple[str, str, int]]:
    found = overstays(session=session, on=on, ports=ports).items
    return [(i.surname, i.entered_at.date().isoformat(), i.days_overstayed) for i in found]


def test_a_30_day_visa_with_no_exit_is_listed_with_the_days_past_it(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA))
    (item,) = overstays(session=session, on=APRIL_10, ports=None).items
    assert (item.last_permitted_day, item.days_overstayed) == (date(2020, 3, 30), 11)
    assert (item.entry_port, item.basis, item.visa_type, item.document_number) == ("PEK", "visa", "L", "C01X00T47")
    assert listed(session, on=date(2020, 3, 30)) == []  # the last permitted day itself is no overstay


def test_a_later_exit_closes_the_stay_but_not_before_it_happened(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA),
         crossing("exit", "2020-04-05T18:00:00+08:00", port="PVG"))  # fmt: skip
    assert listed(session) == []
    assert listed(session, on=date(2020, 4, 3)) == [("MULLER", "2020-03-01", 4)]  # as it stood on 3 April


def test_an_exit_without_a_document_closes_the_stay_by_names_and_birth_date(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA),
         crossing("exit", "2020-04-05T18:00:00+08:00", document_number=None, given_names="anna "))  # fmt: skip
    assert listed(session) == []


def test_after_an_exit_and_a_re_entry_the_latest_entry_is_judged(session: Session) -> None:
    file(session, crossing("entry", "2020-01-02T10:00:00+08:00", **L_VISA),
         crossing("exit", "2020-01-20T10:00:00+08:00"),
         crossing("entry", "2020-03-01T10:00:00+08:00", stay_basis="visa_free", stay_days=15))  # fmt: skip
    assert listed(session, on=date(2020, 4, 1)) == [("MULLER", "2020-03-01", 17)]


def test_144_hour_transit_counts_from_the_next_midnight(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T23:30:00+08:00", stay_basis="transit_144h"))
    assert listed(session, on=date(2020, 3, 7)) == []
    assert listed(session, on=date(2020, 3, 8)) == [("MULLER", "2020-03-01", 1)]


def test_citizens_are_never_listed_and_an_unknown_basis_is_counted(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA, nationality="CHN", document_number="E1"),
         crossing("entry", "2020-03-01T10:00:00+08:00", stay_basis="citizen", nationality=None, document_number="E2"),
         crossing("entry", "2020-03-01T10:00:00+08:00", nationality="ITA", document_number="YA1"))  # fmt: skip
    found = overstays(session=session, on=APRIL_10, ports=None)
    assert (found.items, found.cannot_say) == ([], 1)


def test_most_days_first(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA),
         crossing("entry", "2020-02-01T10:00:00+08:00", **L_VISA, surname="ROSSI", document_number="YA2"),
         crossing("entry", "2020-03-01T09:00:00+08:00", **L_VISA, surname="ADAMS", document_number="P3"))  # fmt: skip
    assert [s for s, _, _ in listed(session)] == ["ROSSI", "ADAMS", "MULLER"]


def test_the_exit_counter_asks_about_one_document_and_its_own_exit_does_not_close_it(session: Session) -> None:
    file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA),
         crossing("exit", "2020-04-10T08:00:00+08:00"))  # fmt: skip
    ask = {"session": session, "document_number": "C01X00T47", "nationality": "DEU", "on": APRIL_10}
    assert overstay_for(**ask) is None  # the exit was filed: no open stay
    at_exit = datetime.fromisoformat("2020-04-10T08:00:00+08:00")
    found = overstay_for(**ask, before=at_exit)
    assert found is not None and found.days_overstayed == 11
    assert overstay_for(**ask | {"nationality": "AUT"}, before=at_exit) is None  # another's document


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stay_basis": "tourist"}, "stay_basis"),
        ({"stay_basis": "residence_permit", "visa_type": "Z"}, "permit_until"),
        ({"stay_basis": "visa", "stay_days": 0}, "stay_days"),
        ({"stay_basis": "visa", "stay_days": 3651}, "stay_days"),
        ({"stay_basis": "visa", "visa_type": "L-1"}, "visa_type"),
        ({"stay_basis": "visa", "visa_type": "LONGER"}, "visa_type"),
        ({"stay_basis": "residence_permit", "permit_until": "2021-02-30"}, "permit_until"),
    ],
)
def test_a_wrong_stay_names_its_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        crossing("entry", "2020-03-01T10:00:00+08:00", **fields)
    assert [e["loc"] for e in raised.value.errors()] == [(field,)]


STAFF = {"pek": (Role.officer, "BJ-PEK"), "pvg": (Role.officer, "SH-PVG"), "bj": (Role.analyst, "BJ"),
         "national": (Role.analyst, None)}  # fmt: skip


@pytest.fixture
def staff(database_url: str) -> Iterator[dict[str, TestClient]]:
    """Officers of the Capital and Pudong stations, the Beijing general station's analyst and a national analyst;
    MULLER entered at Capital (PEK) and ROSSI at Pudong (PVG), both on 30-day L visas."""
    clients = {}
    with unit_of_work(database_url) as session:
        units = seed_organisation(session=session).units
        file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA),
             crossing("entry", "2020-03-01T10:00:00+08:00", port="PVG", **L_VISA, surname="ROSSI",
                      document_number="YA2"))  # fmt: skip
        for name, (role, unit) in STAFF.items():
            user, token = create_user(session=session, username=f"{name}-1", role=role)
            user.unit_id = units[unit].id if unit else None
            clients[name] = TestClient(create_app(Settings(database_url=database_url, port_of_entry="PEK")))
            clients[name].cookies.set(COOKIE, token)
    yield clients
    for client in clients.values():
        client.close()


def _surnames(client: TestClient, **params: str) -> list[str]:
    answer = client.get("/api/overstays", params={"on": "2020-04-10"} | params)
    assert answer.status_code == 200, answer.text
    return [item["surname"] for item in answer.json()["items"]]


def test_officers_see_those_who_entered_at_their_ports(staff: dict[str, TestClient]) -> None:
    assert _surnames(staff["pek"]) == ["MULLER"] and _surnames(staff["pvg"]) == ["ROSSI"]
    assert _surnames(staff["bj"]) == ["MULLER"]  # the general station: its stations' ports
    assert _surnames(staff["national"]) == ["MULLER", "ROSSI"]
    assert _surnames(staff["national"], port="PVG") == ["ROSSI"]
    assert staff["pek"].get("/api/overstays", params={"port": "PVG"}).status_code == 403
    answer = staff["pek"].get("/api/overstays", params={"on": "2020-04-10"}).json()
    assert answer["items"][0]["days_overstayed"] == 11 and answer["cannot_say"] == 0
    last = staff["pek"].get("/api/overstays", params={"on": "9999-12-31"})
    assert last.status_code == 422 and "on" in last.text


def test_the_console_lists_the_days_overstayed_of_the_officers_ports(staff: dict[str, TestClient]) -> None:
    page = staff["pek"].get("/console/overstays?on=2020-04-10").text
    assert "MULLER ANNA" in page and '<td class="days">11</td>' in page and "ROSSI" not in page
    assert "Visa / 签证 L" in page and "PEK 2020-03-01 10:00" in page and "2020-03-30" in page
    assert 'value="2020-04-10"' in page
    today = staff["pek"].get("/console/overstays").text  # today at the port: both stays long past
    assert "MULLER ANNA" in today


def test_a_wrong_stay_is_refused_naming_the_field_over_http(staff: dict[str, TestClient]) -> None:
    record = crossing("entry", "2020-03-02T10:00:00+08:00").model_dump(mode="json") | {"stay_days": 0}
    answer = staff["national"].post("/api/crossings", json=[record])
    assert answer.status_code == 422 and "stay_days" in answer.text


def test_the_command_prints_a_json_array_most_days_first(store: str) -> None:
    with unit_of_work(store) as session:
        file(session, crossing("entry", "2020-03-01T10:00:00+08:00", **L_VISA),
             crossing("entry", "2020-03-01T10:00:00+08:00", port="PVG", stay_basis="transit_144h", surname="ROSSI",
                      document_number="YA2"))  # fmt: skip
    result = CliRunner().invoke(kouan, ["overstays", "--on", "2020-04-10"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert [(i["surname"], i["days_overstayed"], i["last_permitted_day"]) for i in printed] == [
        ("ROSSI", 34, "2020-03-07"), ("MULLER", 11, "2020-03-30")]  # fmt: skip
    only = json.loads(CliRunner().invoke(kouan, ["overstays", "--on", "2020-04-10", "--port", "pek"]).stdout)
    assert [i["surname"] for i in only] == ["MULLER"]
    assert CliRunner().invoke(kouan, ["overstays", "--on", "10 April"]).exit_code == 2
