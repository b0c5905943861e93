"""The history's screening agrees with ``screening.service`` for the same travellers (SQLite and PostgreSQL).

Generated arrivals of three days are filed as voyages in the registry (one a day, their stays as registry
stays), screened by ``screen_voyages`` against the real JHU figures and an analyst's designation, and the same
crossings and stays are screened from the history: each traveller gets the same level.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from kouan.audit.models import AuditEvent
from kouan.history.generate import Day, generate_day
from kouan.history.rescreen import Rules, rescreen_all, screen_crossings
from kouan.history.schema import ARRIVAL
from kouan.history.store import append
from kouan.measures.designations import designate, designations_for
from kouan.measures.models import DesignationCreate, RegionDesignation
from kouan.measures.service import risk_rows
from kouan.screening import engine
from kouan.screening.service import designations_table, risk_table, screen_voyages
from kouan.travel.registry.models import Stay, Traveller, Voyage, VoyageVersion

DAYS = [date(2020, 3, 18), date(2020, 3, 19), date(2020, 3, 20)]


def arrivals(day: date) -> Day:
    generated = generate_day(day=day, per_day=160, seed=11)
    arriving = pc.equal(generated.crossings["direction"], ARRIVAL)
    crossings = generated.crossings.filter(arriving)
    return Day(
        crossings=crossings,
        stays=generated.stays.filter(pc.is_in(generated.stays["crossing_id"], crossings["crossing_id"])),
    )


def file_voyage(session: Session, *, day: date, generated: Day) -> tuple[Voyage, dict[int, int]]:
    """The day's arrivals as one voyage; returns it and each crossing's traveller id."""
    voyage = Voyage(carrier="CA", number=f"CA{day.day}", flight_date=day, destination="PEK",
                    scheduled_arrival=datetime(day.year, day.month, day.day, 12, tzinfo=UTC))  # fmt: skip
    version = VoyageVersion(version=1, message_type="passengers", message_sha256="0" * 64, raw="", voyage=voyage)
    stays = generated.stays.to_pylist()
    travellers = {}
    for seq, crossing in enumerate(generated.crossings.to_pylist()):
        traveller = Traveller(seq=seq, role="passenger", surname="SURNAME", given_names=str(seq))
        traveller.stays = [
            Stay(region_code=s["region_code"], stay_date=s["date_to"], date_from=s["date_from"], source=s["source"])
            for s in stays
            if s["crossing_id"] == crossing["crossing_id"]
        ]
        version.travellers.append(traveller)
        travellers[crossing["crossing_id"]] = traveller
    session.add(version)
    session.flush()
    return voyage, {c: t.id for c, t in travellers.items()}


def as_travellers(generated: Day, ids: dict[int, int]) -> Day:
    """The day's crossings and stays keyed by the registry's traveller ids."""

    def renumber(table: pa.Table) -> pa.Table:
        mapped = pa.array([ids[c] for c in table["crossing_id"].to_pylist()], pa.int64())
        return table.set_column(table.schema.get_field_index("crossing_id"), "crossing_id", mapped)

    return Day(crossings=renumber(generated.crossings), stays=renumber(generated.stays))


def as_low(screened: pa.Table) -> pa.Table:
    """The crossings as if stored low: the re-screen must then raise each to the service's level."""
    low = screened.set_column(
        screened.schema.get_field_index("level"), "level", pa.repeat(pa.scalar("low"), screened.num_rows)
    )
    rank = pa.repeat(pa.scalar(0, pa.int8()), screened.num_rows)
    return low.set_column(low.schema.get_field_index("level_rank"), "level_rank", rank)


def designated_korea_and_japan(session: Session) -> None:
    for region, level in (("KOR", "high"), ("JPN", "medium")):
        item = DesignationCreate(region_code=region, level=level, valid_from=date(2020, 3, 19), reason="cluster")
        designate(session=session, item=item, actor="analyst1")
    session.execute(update(RegionDesignation).values(recorded_at=datetime(2020, 3, 17, tzinfo=UTC)))


def test_the_history_screens_each_traveller_as_the_screening_service_does(session: Session, tmp_path: Path) -> None:
    designated_korea_and_japan(session)
    filed = [(day, arrivals(day)) for day in DAYS]
    voyages, days = [], []
    for day, generated in filed:
        voyage, ids = file_voyage(session, day=day, generated=generated)
        voyages.append(voyage)
        days.append(as_travellers(generated, ids))
    by_service = {r.traveller_id: r.level for s in screen_voyages(session=session, voyages=voyages) for r in s.results}

    regions = sorted(
        set(pc.unique(pa.concat_arrays([d.stays["region_code"].combine_chunks() for d in days])).to_pylist())
    )
    rules = Rules(
        risk=risk_table(risk_rows(session=session, region_codes=regions)),
        designations=designations_table(designations_for(session=session, region_codes=regions)),
        known_on=DAYS[-1],
    )
    screened = [screen_crossings(crossings=d.crossings, stays=d.stays, rules=rules) for d in days]
    by_history = {c["crossing_id"]: c["level"] for s in screened for c in s.to_pylist()}
    assert by_history == by_service
    assert set(by_service.values()) >= {"low", "medium", "high"}

    for day, table in zip(days, screened, strict=True):  # appended as screened, nothing rises on a re-screen
        append(root=tmp_path / "screened", crossings=table, stays=day.stays)
        append(root=tmp_path / "as-low", crossings=as_low(table), stays=day.stays)
    assert rescreen_all(con=engine.connect(), root=tmp_path / "screened", rules=rules).rises.num_rows == 0
    rose = rescreen_all(con=engine.connect(), root=tmp_path / "as-low", rules=rules).rises.to_pylist()
    assert {r["crossing_id"]: r["to_level"] for r in rose} == {t: v for t, v in by_service.items() if v != "low"}
    session.execute(delete(RegionDesignation))
    session.execute(delete(AuditEvent))
