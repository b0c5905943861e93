"""Screening a carrier message without filing it: what `kouan screen FILE` answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kouan.formats.paxlst import paxlst_to_dict
from kouan.formats.records import PaxlstMessage
from kouan.measures.classifiers import classifier_by_name
from kouan.screening.explain import actions_for
from kouan.screening.service import StayInput, evaluate, explained, stays_table
from kouan.travel.history import arriving_leg, manifest_stays


def message_arrival_day(*, message: PaxlstMessage, port: str) -> date:
    leg = arriving_leg(message=message, port=port)
    moment = leg.arrival or leg.departure
    if moment is None:
        raise ValueError("the arriving leg has no date")
    return moment.date()


def screen_message(
    *,
    session: Session,
    message: PaxlstMessage,
    port: str,
    as_of: date | None = None,
    classifier: str = "rate14-v1",
    backend: str = "duckdb",
) -> dict[str, Any]:
    arrival = message_arrival_day(message=message, port=port)
    inputs = [
        StayInput(index, index * 1000 + n, stay, as_of or arrival, arrival)
        for index, person in enumerate(message.travellers)
        for n, stay in enumerate(manifest_stays(message=message, person=person, port=port))
    ]
    stays = stays_table(inputs)
    rows = evaluate(session=session, stays=stays, classifier=classifier_by_name(classifier), backend=backend)
    return {
        "voyage": paxlst_to_dict(message)["voyage"],
        "as_of": (as_of or arrival).isoformat(),
        "classifier": classifier,
        "results": [_person_result(person=p, rows=rows.get(i, [])) for i, p in enumerate(message.travellers)],
    }


def _person_result(*, person: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    level, reasons = explained(rows)
    return {
        "surname": person.surname,
        "given_names": person.given_names,
        "role": person.role,
        "level": level,
        "reasons": [
            r.model_dump(mode="json", include={"rule", "text", "region", "source_date", "level"}) for r in reasons
        ],
        "actions": actions_for(level),
    }
