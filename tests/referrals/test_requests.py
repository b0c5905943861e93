"""Lawful information requests: an agency asks, an analyst decides, the asking agency reads a minimised answer for
a limited time; every step is audited under the legal basis (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.app import create_app
from kouan.audit.models import AuditEvent
from kouan.audit.service import verify_chain
from kouan.db import session_factory, unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.referrals.requests.service import AnswerExpired, RequestNotFound, create_request, decide, read_answer
from kouan.referrals.service import Actor, refer_voyage
from kouan.screening.service import screen_voyage
from kouan.settings import Settings
from kouan.sharing.agencies.models import AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import create_agency
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from tests.api.conftest import client, officer, token_for
from tests.support.messages import document_number, passenger_list

__all__ = ["client", "officer"]  # the API fixtures, shared with tests/api

ROSSI = document_number("ROSSI:MARIO")
BASIS = "《中华人民共和国国境卫生检疫法》第十五条"


def arrive(session: Session, *, names: list[str], legs: list[tuple[str, str, str]]) -> None:
    """A screened Rome flight into PEK, with a referral for each traveller who needs one."""
    raw = passenger_list(names=names, legs=legs)
    voyage = get_voyage(
        session=session,
        voyage_id=ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK").voyage_id,
    )
    assert voyage is not None
    screen_voyage(session=session, voyage=voyage)
    refer_voyage(session=session, voyage=voyage, actor=Actor.system(), port="PEK")


def agency(url: str, *, code: str, kind: AgencyKind, port: str | None = None, division: str | None = None) -> dict:
    with unit_of_work(url) as session:
        item = AgencyCreate(code=code, name=code, kind=kind, port=port, division=division)
        return {"Authorization": f"Bearer {create_agency(session=session, item=item)[1]}"}


@pytest.fixture
def world(database_url: str) -> dict[str, dict]:
    customs = agency(database_url, code="PEK-CIQ", kind=AgencyKind.customs_quarantine, port="PEK")
    health = agency(database_url, code="BJ-HC", kind=AgencyKind.health_commission, division="11")
    with unit_of_work(database_url) as session:
        arrive(session, names=["ROSSI:MARIO", "BIANCHI:LUCA"], legs=[("FCO", "PEK", "2003201830")])
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst1', role=Role.analyst)}"}
    return {"customs": customs, "health": health, "analyst": analyst}


def ask(client: TestClient, headers: dict, *, document: str = ROSSI, nationality: str | None = "ITA") -> int:
    subject = {"document_number": document} | ({"nationality": nationality} if nationality else {})
    body = {"subject": subject, "legal_basis": BASIS, "purpose": "trace contacts of a confirmed case"}
    response = client.post("/api/agency/requests", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "requested"
    return int(response.json()["id"])


def decide_via(client: TestClient, headers: dict, request_id: int, *, approve: bool) -> dict:
    response = client.post(
        f"/api/requests/{request_id}/decision", json={"approve": approve, "note": "ok"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def audit_actions(url: str, request_id: int) -> list[tuple[str, str | None]]:
    with session_factory(url)() as session:
        query = select(AuditEvent).where(AuditEvent.entity == "info_request", AuditEvent.entity_id == str(request_id))
        return [(e.action, e.basis) for e in session.scalars(query.order_by(AuditEvent.id))]


def chain_intact(url: str) -> bool:
    with session_factory(url)() as session:
        return verify_chain(session=session) is None


def test_customs_reads_an_approved_answer_without_phone_or_address(
    client: TestClient, world: dict[str, dict], database_url: str
) -> None:
    request_id = ask(client, world["customs"])
    pending = client.get("/api/requests?status=requested", headers=world["analyst"]).json()
    assert [r["id"] for r in pending] == [request_id]
    decided = decide_via(client, world["analyst"], request_id, approve=True)
    assert decided["status"] == "approved" and decided["decided_by"] == "user:analyst1"
    answer = client.get(f"/api/agency/requests/{request_id}", headers=world["customs"]).json()["answer"]
    [referral] = answer["referrals"]
    assert referral["subject"]["document_number"] == ROSSI
    assert "phone" not in referral["subject"] and "address" not in referral["subject"]
    assert "destination_address" not in referral and referral["subject"]["seat"]
    assert answer["stays"] and {"region", "place", "date", "source"} == set(answer["stays"][0])
    basis = [(action, BASIS) for action in ("request.create", "request.approved", "request.read")]
    assert audit_actions(database_url, request_id) == basis
    assert chain_intact(database_url)


def test_a_health_commission_never_sees_seat_or_stays(client: TestClient, world: dict[str, dict]) -> None:
    request_id = ask(client, world["health"], nationality=None)
    decide_via(client, world["analyst"], request_id, approve=True)
    answer = client.get(f"/api/agency/requests/{request_id}", headers=world["health"]).json()["answer"]
    [referral] = answer["referrals"]
    assert "phone" in referral["subject"] and "address" in referral["subject"]
    assert "seat" not in referral["subject"] and "stays" not in referral["subject"]
    assert "stays" not in answer


def test_the_answer_names_only_the_person_asked_about(client: TestClient, world: dict[str, dict]) -> None:
    other = ask(client, world["customs"], nationality="FRA")
    unknown = ask(client, world["customs"], document="ZZ0000000")
    for request_id in (other, unknown):
        decide_via(client, world["analyst"], request_id, approve=True)
        answer = client.get(f"/api/agency/requests/{request_id}", headers=world["customs"]).json()["answer"]
        assert answer == {"referrals": [], "stays": []}


def test_an_expired_answer_is_gone(world: dict[str, dict], database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, port_of_entry="PEK", request_answer_hours=0))
    with TestClient(app) as client:
        request_id = ask(client, world["customs"])
        assert decide_via(client, world["analyst"], request_id, approve=True)["expires_at"] is not None
        response = client.get(f"/api/agency/requests/{request_id}", headers=world["customs"])
    assert response.status_code == 410 and "expired" in response.json()["detail"]
    assert [a for a, _ in audit_actions(database_url, request_id)] == ["request.create", "request.approved"]


def test_a_refused_request_has_no_answer(client: TestClient, world: dict[str, dict], database_url: str) -> None:
    request_id = ask(client, world["customs"])
    assert decide_via(client, world["analyst"], request_id, approve=False)["status"] == "refused"
    read = client.get(f"/api/agency/requests/{request_id}", headers=world["customs"])
    assert read.status_code == 200 and read.json()["answer"] is None and read.json()["status"] == "refused"
    assert [a for a, _ in audit_actions(database_url, request_id)] == ["request.create", "request.refused"]
    assert chain_intact(database_url)


def test_another_agency_cannot_see_the_request(client: TestClient, world: dict[str, dict]) -> None:
    request_id = ask(client, world["customs"])
    decide_via(client, world["analyst"], request_id, approve=True)
    assert client.get(f"/api/agency/requests/{request_id}", headers=world["health"]).status_code == 404
    assert client.get("/api/agency/requests", headers=world["health"]).json() == []
    assert [r["id"] for r in client.get("/api/agency/requests", headers=world["customs"]).json()] == [request_id]


def test_officers_cannot_decide_and_nobody_decides_twice(
    client: TestClient, world: dict[str, dict], officer: dict[str, str]
) -> None:
    request_id = ask(client, world["customs"])
    body = {"approve": True}
    assert client.post(f"/api/requests/{request_id}/decision", json=body, headers=officer).status_code == 403
    assert client.get("/api/requests", headers=officer).status_code == 403
    decide_via(client, world["analyst"], request_id, approve=True)
    again = client.post(f"/api/requests/{request_id}/decision", json=body, headers=world["analyst"])
    assert again.status_code == 409
    assert client.post("/api/requests/999999/decision", json=body, headers=world["analyst"]).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": {"document_number": ROSSI}, "legal_basis": "  ", "purpose": "p"}, "legal_basis"),
        ({"subject": {"document_number": ROSSI}, "legal_basis": BASIS}, "purpose"),
        ({"subject": {"nationality": "ITA"}, "legal_basis": BASIS, "purpose": "p"}, "document_number"),
        (
            {"subject": {"document_number": ROSSI, "nationality": "IT"}, "legal_basis": BASIS, "purpose": "p"},
            "nationality",
        ),
    ],
)
def test_bad_requests_name_the_field(client: TestClient, world: dict[str, dict], body: dict, field: str) -> None:
    response = client.post("/api/agency/requests", json=body, headers=world["customs"])
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])


def test_bad_status_filter_and_missing_token(client: TestClient, world: dict[str, dict]) -> None:
    response = client.get("/api/requests?status=maybe", headers=world["analyst"])
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "status"]
    assert client.get("/api/agency/requests").status_code == 401
    assert client.post("/api/agency/requests", json={}, headers=world["analyst"]).status_code == 401


def test_the_service_guards_basis_owner_and_expiry(world: dict[str, dict], session: Session) -> None:
    from kouan.sharing.agencies.service import agency_by_code

    customs, health = agency_by_code(session=session, code="PEK-CIQ"), agency_by_code(session=session, code="BJ-HC")
    assert customs is not None and health is not None
    with pytest.raises(ValueError, match="legal basis"):
        create_request(
            session=session, agency=customs, subject={"document_number": ROSSI}, legal_basis=" ", purpose="p"
        )
    request = create_request(
        session=session, agency=customs, subject={"document_number": ROSSI}, legal_basis=BASIS, purpose="p"
    )
    decide(session=session, request=request, actor="user:a", approve=True, note=None, answer_hours=2)
    assert request.expires_at is not None and request.decided_at is not None
    assert read_answer(session=session, request=request, agency=customs, now=request.decided_at)["referrals"]
    with pytest.raises(RequestNotFound):
        read_answer(session=session, request=request, agency=health)
    with pytest.raises(AnswerExpired, match="expired"):
        read_answer(session=session, request=request, agency=customs, now=request.expires_at + timedelta(seconds=1))
