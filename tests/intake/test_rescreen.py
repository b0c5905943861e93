"""Retroactive re-screening on SQLite and PostgreSQL: a designation back-dated today raises exactly the past arrivals
with a stay in its region inside its window, keeps their answer at arrival beside the new one, refers them once (with
events in the outbox), and doing it again raises and refers nobody. Through the service, `kouan rescreen`, `kouan
measures designate`, the API and the console."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.cli import app as cli
from kouan.db import unit_of_work, utcnow
from kouan.demo.organisation import seed_organisation
from kouan.formats.paxlst import parse_paxlst
from kouan.intake.flows import file_paxlst
from kouan.intake.rescreen import after_designation, rescreen_arrivals
from kouan.measures.designations import designate
from kouan.measures.models import DesignationCreate, RegionDesignation, RegionRisk
from kouan.referrals.models import Referral
from kouan.screening.known_now import answers
from kouan.settings import Settings
from kouan.sharing.outbox.models import OutboxEvent
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.messages import document_number, passenger_list

MONGOLIA_HIGH = DesignationCreate(
    region_code="MNG", level="high", valid_from=date(2020, 3, 1), reason="clusters found late", reference="NHC-1"
)
runner = CliRunner()


@dataclass
class Arrivals:
    """Traveller ids by surname: BATBAYAR (from Ulaanbaatar, 14 March 2020: inside the window), DORJ (from
    Ulaanbaatar, 1 February: before it) and ROSSI (from Rome, 14 March: no stay in Mongolia)."""

    ids: dict[str, int]


def _file(session: Session, settings: Settings, *, name: str, origin: str, departs: str, number: str) -> int:
    raw = passenger_list(names=[name], legs=[(origin, "PEK", departs)], carrier="CA", number=number)
    filed = file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings)
    return filed.screenings[0].results[0].traveller_id


def file_arrivals(url: str) -> Arrivals:
    settings = Settings(database_url=url, port_of_entry="PEK")
    with unit_of_work(url) as session:
        seed_organisation(session=session)
        return Arrivals(
            ids={
                "BATBAYAR": _file(
                    session, settings, name="BATBAYAR:ANU", origin="ULN", departs="2003140800", number="CA902"
                ),  # fmt: skip
                "DORJ": _file(session, settings, name="DORJ:BOLD", origin="ULN", departs="2002010800", number="CA904"),
                "ROSSI": _file(
                    session, settings, name="ROSSI:MARIO", origin="FCO", departs="2003141830", number="CA940"
                ),  # fmt: skip
            }
        )


@pytest.fixture
def arrivals(database_url: str) -> Arrivals:
    return file_arrivals(database_url)


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, port_of_entry="PEK")


def referrals_and_events(session: Session) -> tuple[list[str], int]:
    surnames = [r.subject["surname"] for r in session.scalars(select(Referral).order_by(Referral.id))]
    events = session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.referral_id.is_not(None)))
    return surnames, events or 0


def test_a_back_dated_designation_raises_the_past_arrivals_in_its_window_and_refers_them_once(
    database_url: str, arrivals: Arrivals
) -> None:
    with unit_of_work(database_url) as session:
        assert referrals_and_events(session) == ([], 0)  # Mongolia was low in March 2020: nobody referred then
        row = designate(session=session, item=MONGOLIA_HIGH, actor="analyst1")
        done = after_designation(session=session, designation=row, settings=settings_for(database_url))
    assert done.rescreened == 1  # DORJ arrived before the window, ROSSI never stayed in Mongolia
    assert [(r.surname, r.from_level, r.to_level, r.region) for r in done.raised] == [
        ("BATBAYAR", "low", "high", "MNG")
    ]
    assert done.raised[0].document == document_number("BATBAYAR:ANU") and done.referrals == 1
    with unit_of_work(database_url) as session:
        surnames, events = referrals_and_events(session)
        assert surnames == ["BATBAYAR"] and events >= 1  # told the port's agency through the outbox
        both = answers(session=session, traveller_id=arrivals.ids["BATBAYAR"])
        assert both.then is not None and both.then.level == "low" and both.then.known_on is None
        assert both.now is not None and both.now.level == "high" and both.now.as_of == date(2020, 3, 14)
        assert answers(session=session, traveller_id=arrivals.ids["DORJ"]).now is None


def test_the_same_rise_is_never_referred_twice(database_url: str, arrivals: Arrivals) -> None:
    settings = settings_for(database_url)
    with unit_of_work(database_url) as session:
        first = after_designation(session=session, designation=designate(session=session, item=MONGOLIA_HIGH,
                                                                         actor="a1"), settings=settings)  # fmt: skip
    with unit_of_work(database_url) as session:
        again = after_designation(session=session, designation=designate(session=session, item=MONGOLIA_HIGH,
                                                                         actor="a2"), settings=settings)  # fmt: skip
        counted = referrals_and_events(session)
    assert (first.referrals, len(first.raised)) == (1, 1)
    assert again.raised == [] and again.referrals == 0 and again.rescreened == 1
    with unit_of_work(database_url) as session:
        assert referrals_and_events(session) == counted


def test_a_lowered_designation_raises_nobody_and_the_answer_at_arrival_stays(
    database_url: str, arrivals: Arrivals
) -> None:
    lowered = MONGOLIA_HIGH.model_copy(update={"level": "medium"})
    with unit_of_work(database_url) as session:
        after_designation(session=session, designation=designate(session=session, item=MONGOLIA_HIGH, actor="a1"),
                          settings=settings_for(database_url))  # fmt: skip
        done = after_designation(session=session, designation=designate(session=session, item=lowered, actor="a1"),
                                 settings=settings_for(database_url))  # fmt: skip
        both = answers(session=session, traveller_id=arrivals.ids["BATBAYAR"])
    assert done.raised == [] and done.referrals == 0
    assert both.then is not None and both.then.level == "low"
    assert both.now is not None and both.now.level == "medium"  # the last designation recorded wins


def test_a_window_by_hand_names_only_its_regions(database_url: str, arrivals: Arrivals) -> None:
    with unit_of_work(database_url) as session:
        session.add(RegionDesignation(**MONGOLIA_HIGH.model_dump(), recorded_by="a1"))  # recorded without rescreen
    with unit_of_work(database_url) as session:
        other = rescreen_arrivals(session=session, settings=settings_for(database_url), since=date(2020, 3, 1),
                                  until=date(2020, 3, 31), regions=["ITA"], actor="cli")  # fmt: skip
    assert other.rescreened == 1 and other.raised == []  # ROSSI: Italy was high then and is high now


def kouan(*args: str) -> dict[str, object]:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_kouan_rescreen_prints_the_contract_and_a_second_run_changes_nothing(store: str) -> None:
    ids = file_arrivals(store).ids
    with unit_of_work(store) as session:
        session.add(RegionDesignation(**MONGOLIA_HIGH.model_dump(), recorded_by="a1"))
    first = kouan("rescreen", "--arrived-since", "2020-03-01", "--arrived-until", "2020-03-31", "--region", "mng")
    assert set(first) == {"rescreened", "raised", "referrals"}
    assert first["rescreened"] == 1 and first["referrals"] == 1
    assert first["raised"] == [
        {
            "traveller_id": ids["BATBAYAR"],
            "surname": "BATBAYAR",
            "given_names": "ANU",
            "document": document_number("BATBAYAR:ANU"),
            "from_level": "low",
            "to_level": "high",
            "region": "MNG",
        }
    ]
    again = kouan("rescreen", "--arrived-since", "2020-01-01")
    assert again["raised"] == [] and again["referrals"] == 0 and again["rescreened"] == 3


def test_kouan_rescreen_names_a_bad_date(store: str) -> None:
    bad = runner.invoke(cli, ["rescreen", "--arrived-since", "15/03/2020"])
    assert bad.exit_code == 2 and "--arrived-since" in bad.output and "YYYY-MM-DD" in bad.output
    backwards = runner.invoke(cli, ["rescreen", "--arrived-since", "2020-03-02", "--arrived-until", "2020-03-01"])
    assert backwards.exit_code == 2 and "after --arrived-until" in backwards.output


def test_kouan_measures_designate_prints_what_it_rescreened(store: str) -> None:
    file_arrivals(store)
    printed = kouan("measures", "designate", "--region", "MNG", "--level", "high", "--from", "2020-03-01",
                    "--reason", "clusters found late", "--by", "analyst1")  # fmt: skip
    assert printed["region_code"] == "MNG"
    rescreen = printed["rescreen"]
    assert isinstance(rescreen, dict) and rescreen["referrals"] == 1
    assert [r["surname"] for r in rescreen["raised"]] == ["BATBAYAR"]


def _client(url: str, *, username: str, role: Role, unit: str | None = None) -> TestClient:
    with unit_of_work(url) as session:
        user, token = create_user(session=session, username=username, role=role)
        user.unit_id = seed_organisation(session=session).units[unit].id if unit else None
    client = TestClient(create_app(settings_for(url)))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def analyst(database_url: str, arrivals: Arrivals) -> Iterator[TestClient]:
    with _client(database_url, username="analyst1", role=Role.analyst) as client:
        yield client


def test_the_api_answers_a_designation_with_its_rescreen_and_both_answers(
    analyst: TestClient, arrivals: Arrivals
) -> None:
    created = analyst.post("/api/measures/designations", json=MONGOLIA_HIGH.model_dump(mode="json"))
    assert created.status_code == 201, created.text
    assert [r["surname"] for r in created.json()["rescreen"]["raised"]] == ["BATBAYAR"]
    both = analyst.get(f"/api/travellers/{arrivals.ids['BATBAYAR']}/screening").json()
    assert (both["then"]["level"], both["now"]["level"]) == ("low", "high")
    again = analyst.post("/api/rescreen", json={"arrived_since": "2020-03-01", "regions": ["MNG"]}).json()
    assert again == {"rescreened": 1, "raised": [], "referrals": 0}


def test_a_back_dated_designation_in_the_console_raises_and_refers_into_the_loop(
    database_url: str, analyst: TestClient, arrivals: Arrivals
) -> None:
    form = {"region_code": "mng", "level": "high", "valid_from": "2020-03-01", "reason": "clusters found late"}
    posted = analyst.post("/console/measures/designations", data=form, follow_redirects=False)
    assert posted.status_code == 303
    page = analyst.get("/console/measures").text
    assert f'data-traveller="{arrivals.ids["BATBAYAR"]}"' in page and "DORJ" not in page
    traveller = analyst.get(f"/console/travellers/{arrivals.ids['BATBAYAR']}").text
    assert 'class="answer answer-then"' in traveller and 'class="answer answer-now"' in traveller
    with _client(database_url, username="pek-officer", role=Role.officer, unit="BJ-PEK") as officer:
        loop = officer.get("/console/referrals").text
    assert "BATBAYAR" in loop
    with _client(database_url, username="pvg-officer", role=Role.officer, unit="SH-PVG") as elsewhere:
        assert "BATBAYAR" not in elsewhere.get("/console/measures").text  # another port's traveller is not named


def test_a_corrected_figure_imported_rescreens_the_arrivals_it_changes(store: str, tmp_path: Path) -> None:
    ids = file_arrivals(store).ids
    path = tmp_path / "correction.csv"
    path.write_text("region,day,rate\nMNG,2020-03-13,500\n")  # Mongolia's figure of 13 March, corrected upwards
    args = ["measures", "import-csv", str(path), "--region-column", "region", "--date-column", "day"]
    started = utcnow()
    try:
        printed = kouan(*args, "--rate-column", "rate", "--source", "jhu-csse")
        assert printed["rows_added"] == 1
        rescreen = printed["rescreen"]
        assert isinstance(rescreen, dict) and rescreen["referrals"] == 1
        assert [(r["traveller_id"], r["from_level"], r["to_level"]) for r in rescreen["raised"]] == [
            (ids["BATBAYAR"], "low", "high")
        ]
        with unit_of_work(store) as session:
            both = answers(session=session, traveller_id=ids["BATBAYAR"])
            assert both.then is not None and both.then.level == "low"  # what was known on 14 March stays
    finally:
        with unit_of_work(store) as session:
            session.execute(
                delete(RegionRisk).where(RegionRisk.source == "jhu-csse", RegionRisk.imported_at >= started)
            )


def test_the_window_reaches_no_further_than_the_calendar(database_url: str, arrivals: Arrivals) -> None:
    with unit_of_work(database_url) as session:
        done = rescreen_arrivals(session=session, settings=settings_for(database_url), since=date.min,
                                 until=date.max, regions=[], actor="cli")  # fmt: skip
        far = designate(session=session, item=MONGOLIA_HIGH.model_copy(update={"valid_to": date.max}), actor="a1")
        bounded = after_designation(session=session, designation=far, settings=settings_for(database_url))
    assert done.rescreened == 3 and bounded.rescreened == 1
