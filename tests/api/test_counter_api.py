"""At the counter, over HTTP on both stores: a scan (MRZ, boarding pass, e-declaration code) finds the traveller and
what screening and the declaration say; fever, symptoms and a false declaration are flagged; the decision feeds the
loop."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.db import unit_of_work
from kouan.formats.documents_write import boarding_pass, passport_mrz
from kouan.formats.paxlst import parse_paxlst
from kouan.referrals.models import Referral
from kouan.screening.service import screen_voyage
from kouan.travel.journey.models import Declaration
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.support.messages import document_number, passenger_list

ROSSI = "ROSSI:MARIO"
ROSSI_MRZ = "\n".join(
    passport_mrz(
        surname="ROSSI",
        given="MARIO",
        number=document_number(ROSSI),
        nationality="ITA",
        born=date(1970, 1, 1),
        sex="M",
        expiry=date(2028, 1, 1),
    )
)


@pytest.fixture
def flight(database_url: str) -> None:
    """CA940 from Rome into PEK on 14-15 March 2020 (Italy high), screened; one declaration leaves Italy out."""
    raw = passenger_list(names=[ROSSI, "BIANCHI:LUCA"], legs=[("FCO", "PEK", "2003141830")])
    with unit_of_work(database_url) as session:
        voyage = get_voyage(session=session, voyage_id=ingest_paxlst(session=session, message=parse_paxlst(raw),
                                                                     raw=raw, port="PEK").voyage_id)  # fmt: skip
        assert voyage is not None
        screen_voyage(session=session, voyage=voyage)
        session.add(Declaration(surname="BIANCHI", given_names="LUCA", document_number=document_number("BIANCHI:LUCA"),
                                flight="CA940", flight_date=date(2020, 3, 14), code="K7QX2MZP4WRT", channel="web",
                                places=[{"country": "ARE", "date_from": "2020-03-01", "date_to": "2020-03-13"}],
                                symptoms=["dry_cough"], fever_medicine=True, case_contact=False))  # fmt: skip


@pytest.fixture
def officer(database_url: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(database_url, username='counter1', role=Role.officer)}"}


def scan(client: TestClient, officer: dict[str, str], kind: str, data: str, **extra: str) -> dict:
    answer = client.post("/api/counter/scans", json={"kind": kind, "data": data, **extra}, headers=officer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def kinds(view: dict) -> set[str]:
    return {flag["kind"] for flag in view["flags"]}


def test_a_passport_scan_finds_the_traveller_and_what_screening_said(client, flight, officer) -> None:  # type: ignore[no-untyped-def]
    view = scan(client, officer, "mrz", ROSSI_MRZ)
    assert (view["surname"], view["flight"], view["level"]) == ("ROSSI", "CA940", "high")
    assert view["reasons"] and view["policy_decision"] == "allowed_with_conditions"
    assert kinds(view) == {"high_risk", "no_declaration"} and view["recommendation"] == "refer"


def test_a_boarding_pass_scan_finds_the_traveller_by_flight_and_name(client, flight, officer) -> None:  # type: ignore[no-untyped-def]
    text = boarding_pass(
        surname="ROSSI",
        given="MARIO MR",
        booking="ABC123",
        origin="FCO",
        destination="PEK",
        carrier="CA",
        flight="940",
        day=date(2020, 3, 14),
        seat="10A",
    )
    view = scan(client, officer, "bcbp", text, reference="2020-03-15")
    assert view["traveller_id"] is not None and view["surname"] == "ROSSI" and view["level"] == "high"


def test_a_declaration_code_flags_the_place_it_leaves_out_and_its_answers(client, flight, officer) -> None:  # type: ignore[no-untyped-def]
    view = scan(client, officer, "code", "k7qx2mzp4wrt")
    assert view["surname"] == "BIANCHI" and view["declaration"]["code"] == "K7QX2MZP4WRT"
    assert {"false_declaration", "symptoms", "fever_medicine", "high_risk"} <= kinds(view)
    assert any("Italy" in f["text"] for f in view["flags"] if f["kind"] == "false_declaration")


@pytest.mark.parametrize(("celsius", "fever"), [(36.8, False), (37.2, False), (37.3, True), (38.4, True)])
def test_fever_from_37_3(client, flight, officer, celsius: float, fever: bool) -> None:  # type: ignore[no-untyped-def]
    view = scan(client, officer, "mrz", ROSSI_MRZ)
    after = client.post(f"/api/counter/checks/{view['check_id']}/temperature", json={"temperature": celsius},
                        headers=officer).json()  # fmt: skip
    assert ("fever" in kinds(after)) is fever and after["temperature"] == celsius


def test_someone_on_no_manifest_is_flagged(client, flight, officer) -> None:  # type: ignore[no-untyped-def]
    stranger = passport_mrz(
        surname="NOBODY",
        given="X",
        number="ZZ9999999",
        nationality="DEU",
        born=date(1980, 5, 5),
        sex="F",
        expiry=date(2027, 1, 1),
    )
    view = scan(client, officer, "mrz", "\n".join(stranger))
    assert view["traveller_id"] is None and "not_on_manifest" in kinds(view) and view["surname"] == "NOBODY"


def test_referring_puts_the_traveller_into_the_loop_once(client, flight, officer, database_url) -> None:  # type: ignore[no-untyped-def]
    check = scan(client, officer, "mrz", ROSSI_MRZ)["check_id"]
    client.post(f"/api/counter/checks/{check}/temperature", json={"temperature": 38.1, "symptoms": ["fever"]},
                headers=officer)  # fmt: skip
    decided = client.post(f"/api/counter/checks/{check}/decision", json={"decision": "refer", "reason": "38.1 °C"},
                          headers=officer)  # fmt: skip
    assert decided.status_code == 200 and decided.json()["referral_id"] is not None
    again = client.post(f"/api/counter/checks/{check}/decision", json={"decision": "release", "reason": "x"},
                        headers=officer)  # fmt: skip
    assert again.status_code == 409
    with unit_of_work(database_url) as session:
        referral = session.get(Referral, decided.json()["referral_id"])
        assert referral is not None and referral.subject["surname"] == "ROSSI" and referral.state == "created"


def test_refusing_entry_closes_the_referral_as_refused(client, flight, officer, database_url) -> None:  # type: ignore[no-untyped-def]
    check = scan(client, officer, "code", "K7QX2MZP4WRT")["check_id"]
    reason = "did not declare Italy (如实填报)"
    client.post(f"/api/counter/checks/{check}/decision", json={"decision": "refuse", "reason": reason}, headers=officer)
    with unit_of_work(database_url) as session:
        states = session.scalars(select(Referral.state)).all()
    assert states == ["refused"]


@pytest.mark.parametrize(
    ("kind", "data"), [("mrz", "hello"), ("bcbp", "X1NOTAPASS"), ("code", "not a code!"), ("mrz", "P<" + "<" * 90)]
)
def test_an_unreadable_scan_is_422_saying_why(client, flight, officer, kind: str, data: str) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/api/counter/scans", json={"kind": kind, "data": data}, headers=officer)
    assert answer.status_code == 422 and answer.json()["detail"]


def test_only_officers_work_the_counter(client, flight, database_url) -> None:  # type: ignore[no-untyped-def]
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='a1', role=Role.analyst)}"}
    assert (
        client.post("/api/counter/scans", json={"kind": "mrz", "data": ROSSI_MRZ}, headers=analyst).status_code == 403
    )
    assert client.post("/api/counter/scans", json={"kind": "mrz", "data": ROSSI_MRZ}).status_code == 401


def test_a_scan_while_another_request_writes_waits_its_turn(client, flight, officer, database_url) -> None:  # type: ignore[no-untyped-def]
    """On SQLite a scan runs on the event loop only when the writer is free; otherwise it waits on a worker thread
    (and on PostgreSQL it always runs there): either way it is answered, and nothing is lost."""
    held, release = threading.Event(), threading.Event()

    def write_for_a_while() -> None:
        with unit_of_work(database_url) as session:
            session.execute(select(Referral.id)).all()  # the transaction has begun: it holds the writer
            held.set()
            release.wait(timeout=10)

    writer = threading.Thread(target=write_for_a_while)
    writer.start()
    assert held.wait(timeout=10)
    threading.Timer(1.0, release.set).start()
    view = scan(client, officer, "mrz", ROSSI_MRZ)
    answered_before_release = not release.is_set()
    writer.join(timeout=10)
    assert view["surname"] == "ROSSI"
    assert answered_before_release is not database_url.startswith("sqlite")  # SQLite waited; PostgreSQL need not
