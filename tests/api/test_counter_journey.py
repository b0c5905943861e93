"""[D] from end to end, on both stores: a traveller files the health declaration on the phone page and leaves Italy
out; arrives on EK308 (booked from Milan via Dubai); at the counter the passport and the boarding pass both find
them; the place left out and a fever are flagged; the officer refers them and the referral enters the loop."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kouan.db import unit_of_work
from kouan.formats.documents_write import boarding_pass, passport_mrz
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.public.declaration_views import now_utc
from kouan.referrals.models import Referral
from kouan.screening.service import screen_voyage
from kouan.travel.journey.service import ingest_pnrgov
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.public.conftest import public_app
from tests.support.messages import document_number, passenger_list, pnr_push

PASSPORT = document_number("ROSSI:MARIO")
MANIFEST = passenger_list(names=["ROSSI:MARIO"], legs=[("DXB", "PEK", "2003200340")], carrier="EK", number="EK308")
LEGS = [("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")]
BOOKING = pnr_push(booking_ref="ABC123", people=["ROSSI:MARIO"], documents=[PASSPORT], legs=LEGS)
CARD = {
    "surname": "ROSSI", "given_names": "MARIO", "sex": "M", "birth_date": "1970-01-01", "nationality": "ITA",
    "document_number": PASSPORT, "occupation": "Engineer", "phone": "+39 02 1234 5678", "flight": "EK308",
    "flight_date": "2020-03-20",
    "seat": "32A", "places-0-country": "ARE", "places-0-place": "DXB", "places-0-date_from": "2020-03-10",
    "places-0-date_to": "2020-03-19", "address": "北京市朝阳区建国路88号", "case_contact": "no", "fever_medicine": "no",
}  # fmt: skip
MRZ = "\n".join(passport_mrz(surname="ROSSI", given="MARIO", number=PASSPORT, nationality="ITA", born=date(1970, 1, 1),
                             sex="M", expiry=date(2028, 1, 1)))  # fmt: skip
PASS = boarding_pass(surname="ROSSI", given="MARIO", booking="ABC123", origin="DXB", destination="PEK", carrier="EK",
                     flight="308", day=date(2020, 3, 20), seat="32A")  # fmt: skip


@pytest.fixture
def client(database_url: str) -> Any:
    with unit_of_work(database_url) as session:
        voyage_id = ingest_paxlst(session=session, message=parse_paxlst(MANIFEST), raw=MANIFEST, port="PEK").voyage_id
        ingest_pnrgov(session=session, message=parse_pnrgov(BOOKING), raw=BOOKING, port="PEK")
        voyage = get_voyage(session=session, voyage_id=voyage_id)
        assert voyage is not None
        screen_voyage(session=session, voyage=voyage)
    app = public_app(database_url)
    app.dependency_overrides[now_utc] = lambda: datetime.fromisoformat("2020-03-19T12:00:00+08:00")
    with TestClient(app) as client:
        yield client


def test_declared_on_the_phone_then_scanned_flagged_and_referred(client: TestClient, database_url: str) -> None:
    filed = client.post("/declare?lang=zh", data=CARD, follow_redirects=False)
    assert filed.status_code == 303, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', filed.text)
    code = re.search(r"/declare/(\w+)", filed.headers["location"]).group(1)  # type: ignore[union-attr]
    officer = {"Authorization": f"Bearer {token_for(database_url, username='counter1', role=Role.officer)}"}
    by_code = client.post("/api/counter/scans", json={"kind": "code", "data": code}, headers=officer).json()
    by_passport = client.post("/api/counter/scans", json={"kind": "mrz", "data": MRZ}, headers=officer).json()
    by_pass = client.post("/api/counter/scans", json={"kind": "bcbp", "data": PASS, "reference": "2020-03-20"},
                          headers=officer).json()  # fmt: skip
    assert by_code["traveller_id"] == by_passport["traveller_id"] == by_pass["traveller_id"] is not None
    assert by_pass["declaration"]["code"] == code and "false_declaration" in {f["kind"] for f in by_pass["flags"]}
    flagged = {f["kind"] for f in by_passport["flags"]}
    assert "false_declaration" in flagged and by_passport["declaration"]["code"] == code
    check = by_passport["check_id"]
    hot = client.post(f"/api/counter/checks/{check}/temperature", json={"temperature": 37.9}, headers=officer).json()
    assert "fever" in {f["kind"] for f in hot["flags"]} and hot["recommendation"] == "refer"
    reason = "37.9 °C; Italy (booked from Milan) left out of the declaration"
    referred = client.post(f"/api/counter/checks/{check}/decision", json={"decision": "refer", "reason": reason},
                           headers=officer).json()  # fmt: skip
    with unit_of_work(database_url) as session:
        referral = session.get(Referral, referred["referral_id"])
        assert referral is not None and referral.state == "created" and referral.subject["surname"] == "ROSSI"
        assert referral.destination_address == "北京市朝阳区建国路88号"
