"""The violations register on SQLite and PostgreSQL: officers record cases at their units' ports (audited), smuggling
names its goods, staff see the cases and counts of their ports, per unit and type; through the API and the console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.audit.models import AuditEvent
from kouan.db import unit_of_work
from kouan.demo.organisation import seed_organisation
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user
from kouan.violations.models import ViolationType
from kouan.web.violation_views import DISPOSITIONS, TYPES

DRUGS = {
    "type": "smuggling_drugs", "port": "PEK", "occurred_at": "2020-03-16T02:40:00+08:00",
    "people": [{"surname": "KOWALSKI", "given_names": "JAN", "nationality": "POL", "document_number": "EA1234567"}],
    "goods": {"kind": "methamphetamine", "quantity": 1.2, "unit": "kg"},
    "disposition": "handed_to_police", "summary": "Found in the lining of a suitcase at the T3 inspection.",
}  # fmt: skip
OVERSTAY = {
    "type": "overstay", "port": "PVG", "occurred_at": "2020-03-16T09:00:00+08:00",
    "people": [{"surname": "NGUYEN", "given_names": "VAN AN", "nationality": "VNM"},
               {"surname": "TRAN", "given_names": "THI BINH", "nationality": "VNM"}],
    "disposition": "fine", "disposition_detail": "CNY 5,000 each", "summary": "Stayed 41 days past a 30-day L visa.",
}  # fmt: skip
STAFF = {"pek": (Role.officer, "BJ-PEK"), "bj": (Role.officer, "BJ"), "pvg": (Role.officer, "SH-PVG"),
         "analyst": (Role.analyst, None)}  # fmt: skip


@pytest.fixture
def staff(database_url: str) -> Iterator[dict[str, TestClient]]:
    clients = {}
    with unit_of_work(database_url) as session:
        units = seed_organisation(session=session).units
        for name, (role, unit) in STAFF.items():
            user, token = create_user(session=session, username=f"{name}-1", role=role)
            user.unit_id = units[unit].id if unit else None
            clients[name] = TestClient(create_app(Settings(database_url=database_url)))
            clients[name].cookies.set(COOKIE, token)
    yield clients
    for client in clients.values():
        client.close()


def test_officers_record_cases_at_their_ports_and_smuggling_names_its_goods(
    database_url: str, staff: dict[str, TestClient]
) -> None:
    made = staff["pek"].post("/api/violations", json=DRUGS)
    assert made.status_code == 201, made.text
    assert (made.json()["unit"], made.json()["goods"]["kind"]) == ("BJ-PEK", "methamphetamine")
    assert staff["pek"].post("/api/violations", json=OVERSTAY).status_code == 403  # Pudong is not Capital's
    assert staff["analyst"].post("/api/violations", json=OVERSTAY).status_code == 403  # analysts do not record
    no_goods = staff["pek"].post("/api/violations", json=DRUGS | {"goods": None})
    assert no_goods.status_code == 422 and "goods" in no_goods.text
    assert staff["pek"].post("/api/violations", json=DRUGS | {"type": "forged_document"}).status_code == 422
    assert staff["pek"].post("/api/violations", json=DRUGS | {"port": " P£ "}).status_code == 422  # not a port code
    assert (
        staff["pvg"].post("/api/violations", json=OVERSTAY | {"occurred_at": "2020-03-16T09:00:00"}).status_code == 422
    )
    with unit_of_work(database_url) as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.entity == "violation"))
    assert event.after == {"type": "smuggling_drugs", "port": "PEK", "unit": "BJ-PEK", "voyage_id": None,
                           "disposition": "handed_to_police", "people": 1}  # fmt: skip


def test_staff_see_the_cases_and_counts_of_their_ports_per_unit_and_type(staff: dict[str, TestClient]) -> None:
    for _ in range(2):
        staff["pek"].post("/api/violations", json=DRUGS)
    staff["pvg"].post("/api/violations", json=OVERSTAY)

    def counted(name: str) -> list[tuple[str, str, int, int]]:
        return [
            (c["unit"], c["type"], c["cases"], c["people"]) for c in staff[name].get("/api/violations/counts").json()
        ]

    assert counted("bj") == [("BJ-PEK", "smuggling_drugs", 2, 2)]  # the general station: its station's cases
    assert counted("pvg") == [("SH-PVG", "overstay", 1, 2)]
    assert counted("analyst") == [("BJ-PEK", "smuggling_drugs", 2, 2), ("SH-PVG", "overstay", 1, 2)]
    assert [c["port"] for c in staff["pvg"].get("/api/violations").json()] == ["PVG"]


def test_the_console_records_a_case_and_names_what_is_wrong(staff: dict[str, TestClient]) -> None:
    form = {"type": "smuggling_goods", "port": "PEK", "occurred_at": "2020-03-16T03:10",
            "people": "ZHAO, LEI, CHN, 1981-04-02, E55511122\nQIAN, YU, CHN", "goods_kind": "cigarettes",
            "goods_quantity": "40", "goods_unit": "cartons", "disposition": "fine", "disposition_detail": "CNY 2,000",
            "summary": "Undeclared cigarettes in two suitcases."}  # fmt: skip
    assert staff["pek"].post("/console/violations", data=form, follow_redirects=False).status_code == 303
    page = staff["pek"].get("/console/violations").text
    assert "ZHAO LEI" in page and "cigarettes: 40.0 cartons" in page and "Smuggling of goods / 走私货物" in page
    assert "<td>BJ-PEK</td>" in page
    wrong = staff["pek"].post("/console/violations", data=form | {"goods_kind": "", "goods_quantity": ""})
    assert wrong.status_code == 422 and "smuggling names its goods" in wrong.text
    assert "Undeclared cigarettes in two suitcases." in wrong.text  # what the officer typed is kept
    assert 'name="summary"' not in staff["analyst"].get("/console/violations").text  # analysts read, not record


def test_every_type_and_disposition_has_its_words_on_the_page() -> None:
    assert set(TYPES) == {t.value for t in ViolationType}
    assert set(DISPOSITIONS) == {"warning", "fine", "detention", "refusal", "handed_to_police"}
