"""Filing carrier messages: voyages, versions, travellers and stays, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kouan.db import session_factory
from kouan.formats.paxlst import parse_paxlst
from kouan.travel.registry.models import Stay, Traveller, VoyageVersion
from kouan.travel.registry.queries import current_travellers
from kouan.travel.registry.service import ingest_paxlst
from tests.conftest import SAMPLES
from tests.support.messages import crew_list, passenger_list

CBP = (SAMPLES / "paxlst_cbp_guide_d05b.edi").read_text()


def file(session: Session, raw: str, port: str = "PEK"):
    return ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port=port)


def test_real_sample_files_one_voyage_with_its_passenger_and_stays(session: Session) -> None:
    result = file(session, CBP, port="ATL")
    assert (result.created, result.version, result.traveller_count) == (True, 1, 1)
    doe = current_travellers(session=session, voyage_id=result.voyage_id)[0]
    assert (doe.surname, doe.given_names, doe.seat, doe.document_number) == (
        "DOE",
        "JOHN WAYNE",
        "23C",
        "MB140241",
    )
    assert [(s.place, s.region_code, s.source) for s in doe.stays] == [
        ("YVR", "CAN", "manifest-embarkation"),
        ("JFK", "USA", "manifest-leg"),
    ]


def test_the_same_message_twice_changes_nothing(session: Session) -> None:
    first = file(session, CBP)
    again = file(session, CBP.replace("\n", "\r\n"))
    assert (again.created, again.version, again.voyage_id) == (False, first.version, first.voyage_id)
    assert session.scalar(select(func.count()).select_from(Traveller)) == 1
    assert session.scalar(select(func.count()).select_from(VoyageVersion)) == 1


def test_a_later_message_is_a_new_version_that_replaces_its_own_kind_only(session: Session) -> None:
    first = file(session, passenger_list(names=["ROSSI:MARIO"]))
    crew = file(session, crew_list(names=["BIANCHI:LUCA"]))
    later = file(session, passenger_list(names=["ROSSI:MARIO", "VERDI:ANNA"]))
    assert (first.version, crew.version, later.version) == (1, 2, 3)
    names = sorted(t.surname for t in current_travellers(session=session, voyage_id=later.voyage_id))
    assert names == ["BIANCHI", "ROSSI", "VERDI"]


def test_the_same_message_filed_concurrently_is_filed_once(database_url: str) -> None:
    raw = passenger_list(names=["ROSSI:MARIO", "VERDI:ANNA"])
    barrier = threading.Barrier(4)
    outcomes: list[bool] = []

    def worker() -> None:
        barrier.wait()
        with session_factory(database_url)() as session:
            outcomes.append(file(session, raw).created)
            session.commit()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_factory(database_url)() as session:
        assert session.scalar(select(func.count()).select_from(VoyageVersion)) == 1
        assert session.scalar(select(func.count()).select_from(Traveller)) == 2
    assert sorted(outcomes) == [False, False, False, True]


def test_stays_of_a_passenger_who_boarded_before_the_first_listed_leg(session: Session) -> None:
    raw = passenger_list(names=["ROSSI:MARIO"], embarkation="MXP", legs=[("FCO", "PEK", "2003201830")])
    result = file(session, raw)
    stays = session.scalars(select(Stay).order_by(Stay.id)).all()
    assert result.traveller_count == 1
    assert [(s.place, s.region_code, s.stay_date) for s in stays] == [
        ("MXP", "ITA", date(2020, 3, 20)),
        ("FCO", "ITA", date(2020, 3, 20)),
    ]
