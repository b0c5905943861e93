"""Analysts maintain designations, zones and foreign measures over the API; officers may read, not write."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import delete

from kouan.audit.models import AuditEvent
from kouan.db import unit_of_work
from kouan.measures.models import ArrivalZone, ForeignMeasure, RegionDesignation
from kouan.users.models import Role
from tests.api.conftest import token_for

DESIGNATION = {
    "region_code": "ITA",
    "level": "high",
    "valid_from": "2020-03-10",
    "reason": "outbreak",
    "reference": "N-1",
}


def _clean(url: str) -> None:
    with unit_of_work(url) as session:
        for table in (RegionDesignation, ArrivalZone, ForeignMeasure, AuditEvent):
            session.execute(delete(table))


def test_analysts_designate_and_officers_read(client: TestClient, officer: dict[str, str], database_url: str) -> None:
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst9', role=Role.analyst)}"}
    try:
        assert client.post("/api/measures/designations", json=DESIGNATION, headers=officer).status_code == 403
        created = client.post("/api/measures/designations", json=DESIGNATION, headers=analyst)
        assert created.status_code == 201 and created.json()["recorded_by"] == "analyst9"
        listed = client.get("/api/measures/designations", params={"region_code": "ITA"}, headers=officer).json()
        assert [d["level"] for d in listed] == ["high"]
        audit = client.get("/api/measures/audit", params={"entity": "region_designation"}, headers=analyst).json()
        assert audit[0]["actor"] == "analyst9" and audit[0]["after"]["level"] == "high"
        assert client.get("/api/measures/audit/verify", headers=analyst).json()["intact"] is True
    finally:
        _clean(database_url)


def test_bad_designations_name_the_field(client: TestClient, database_url: str) -> None:
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst8', role=Role.analyst)}"}
    try:
        unknown = client.post("/api/measures/designations", json={**DESIGNATION, "region_code": "XYZ"}, headers=analyst)
        wrong = client.post("/api/measures/designations", json={**DESIGNATION, "level": "severe"}, headers=analyst)
        assert unknown.status_code == 422 and unknown.json()["detail"]["field"] == "region_code"
        assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"][-1] == "level"
    finally:
        _clean(database_url)


def test_zones_and_foreign_measures(client: TestClient, officer: dict[str, str], database_url: str) -> None:
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst7', role=Role.analyst)}"}
    measure = {
        "country": "IT",
        "title": "Entry ban",
        "title_zh": "禁止入境",
        "text": "Non-residents may not enter.",
        "text_zh": "非居民不得入境。",
        "source": "Italian decree 2020-03-09",
        "valid_from": "2020-03-10",
    }
    try:
        zone = client.post(
            "/api/measures/zones", json={"airport": "PEK", "code": "T3-D", "name": "T3-D"}, headers=analyst
        )
        assert zone.status_code == 201 and zone.json()["min_level"] == "high"
        assert [z["code"] for z in client.get("/api/measures/zones", headers=officer).json()] == ["T3-D"]
        published = client.post("/api/measures/foreign", json=measure, headers=analyst)
        assert published.status_code == 201 and published.json()["country"] == "ITA"
    finally:
        _clean(database_url)
