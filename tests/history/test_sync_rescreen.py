"""The history's re-screen and the store's agree (SQLite and PostgreSQL): manifests filed and screened on arrival are
synced into the history; a region raised back-dated then raises, in the store (``intake.rescreen``, as a designation
does) and in the history (``history.rescreen.rescreen_change`` over the days the change is in force on), the same
travellers, by crossing id = traveller id, from the same level to the same level."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from kouan.db import unit_of_work, utcnow
from kouan.history.rescreen import Rules, change_days, rescreen_change
from kouan.intake.rescreen import after_designation
from kouan.measures.designations import designate, designations_for
from kouan.measures.models import DesignationCreate
from kouan.measures.service import risk_rows
from kouan.screening import engine
from kouan.screening.service import designations_table, risk_table
from kouan.travel.registry.models import Traveller
from tests.history.filed import file_arrivals, settings_for, sync

MONGOLIA_HIGH = DesignationCreate(
    region_code="MNG", level="high", valid_from=date(2020, 3, 1), reason="clusters found late", reference="NHC-1"
)
# a stay in Mongolia counted on an arrival from 1 March; not VERDI, high already for his stay in Rome
RAISED = {"BATBAYAR", "BOLD", "TSEND", "GANBOLD", "ORLOV"}


def history_rises(url: str, root: Path) -> dict[int, tuple[str, str, str]]:
    with unit_of_work(url) as session:
        rules = Rules(
            risk=risk_table(risk_rows(session=session, region_codes=["MNG"])),
            designations=designations_table(designations_for(session=session, region_codes=["MNG"])),
            known_on=utcnow().date(),
        )
    days = change_days(root=root, valid_from=MONGOLIA_HIGH.valid_from, valid_to=MONGOLIA_HIGH.valid_to)
    con = engine.connect()
    try:
        found = rescreen_change(con=con, root=root, regions=["MNG"], days=days, rules=rules)
    finally:
        con.disconnect()
    return {r["crossing_id"]: (r["from_level"], r["to_level"], r["region_code"]) for r in found.rises.to_pylist()}


def test_a_back_dated_designation_raises_the_same_travellers_in_the_history_as_in_the_store(
    database_url: str, tmp_path: Path
) -> None:
    file_arrivals(database_url)
    assert sync(database_url, tmp_path).crossings > len(RAISED)
    with unit_of_work(database_url) as session:
        row = designate(session=session, item=MONGOLIA_HIGH, actor="analyst1")
        done = after_designation(session=session, designation=row, settings=settings_for(database_url))
        raised_ids = [r.traveller_id for r in done.raised]
        surnames = set(session.scalars(select(Traveller.surname).where(Traveller.id.in_(raised_ids))))
    assert surnames == RAISED
    by_store = {r.traveller_id: (r.from_level, r.to_level, r.region) for r in done.raised}
    assert history_rises(database_url, tmp_path) == by_store
