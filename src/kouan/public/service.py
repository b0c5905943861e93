"""The public answer: the entry decision from the rules officers enforce, the origin's risk, and foreign measures.

Reads only; stores nothing. ``parse_query`` turns the raw form/query fields into a ``PublicQuery`` or raises
``InvalidQuery`` naming each bad field; ``public_answer`` builds the answer in the chosen language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from kouan.measures.classifiers import classifier_by_name
from kouan.measures.designations import foreign_measures
from kouan.measures.levels import LevelInForce, level_in_force
from kouan.measures.models import ForeignMeasure
from kouan.measures.policies import VISA_TYPES, AppliedRule, PolicyQuery, beijing_time, decide
from kouan.public.i18n import Lang, gettext_for
from kouan.reference import Place, country, place, region

REQUIRED = ("nationality", "origin", "arrival", "date")
SOURCE_NAMES = {"jhu-csse": "JHU CSSE"}
TRUE = {"1", "true", "on", "yes"}
FALSE = {"", "0", "false", "off", "no"}


class InvalidQuery(ValueError):
    """Every bad field with its message (an English msgid, translated by the caller)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class PublicQuery:
    nationality: str
    origin: Place
    arrival: Place
    at: datetime
    visa_type: str | None = None
    visa_issued: date | None = None
    residence_permit: bool = False
    final_destination: str | None = None

    @property
    def on(self) -> date:
        return beijing_time(self.at).date()


class RuleOut(BaseModel):
    id: str
    effect: str
    text: str
    source: str
    divert_to: list[str]


class RiskOut(BaseModel):
    region_code: str
    region_name: str
    level: str
    level_label: str
    rate_14d: float | None
    data_date: date | None
    source: str | None
    note: str | None


class DesignationOut(BaseModel):
    level: str
    level_label: str
    valid_from: date
    valid_to: date | None
    reference: str | None


class ForeignMeasureOut(BaseModel):
    country: str
    country_name: str
    title: str
    text: str
    source: str
    valid_from: date
    valid_to: date | None


class PublicAnswer(BaseModel):
    lang: str
    covered: bool
    decision: str
    decision_label: str
    rules: list[RuleOut]
    origin_risk: RiskOut
    designation: DesignationOut | None
    foreign_measures: list[ForeignMeasureOut]
    notes: list[str]


# ---- parsing -------------------------------------------------------------------------------------------------------


def _text(params: Mapping[str, str | None], name: str) -> str:
    return (params.get(name) or "").strip()


def _place(code: str) -> Place:
    found = place(code) if code.isalpha() and len(code) == 3 else None
    if found is None:
        raise ValueError("Unknown airport: enter its three-letter IATA code, such as FRA or PEK.")
    return found


def _nationality(code: str) -> str:
    found = country(code) if code.isalpha() and len(code) <= 3 else None
    if found is None:
        raise ValueError("Unknown country: enter its ISO code, such as DEU or DE.")
    return found.code


def _moment(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError("Enter a date as YYYY-MM-DD (or a date and time).") from None


def _issued(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValueError("Enter a date as YYYY-MM-DD.") from None


def _visa(raw: str) -> str | None:
    if raw and raw.upper() not in VISA_TYPES:
        raise ValueError("Unknown visa type: choose one from the list.")
    return raw.upper() or None


def _flag(raw: str) -> bool:
    if raw.lower() not in TRUE | FALSE:
        raise ValueError("Answer yes or no.")
    return raw.lower() in TRUE


PARSERS = {
    "nationality": _nationality,
    "origin": _place,
    "arrival": _place,
    "date": _moment,
    "visa_type": _visa,
    "visa_issued": _issued,
    "residence_permit": _flag,
    "final_destination": lambda raw: _place(raw).code if raw else None,
}


def _parsed(params: Mapping[str, str | None]) -> tuple[dict[str, object], dict[str, str]]:
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, parse in PARSERS.items():
        raw = _text(params, name)
        if not raw and name in REQUIRED:
            errors[name] = "This field is required."
            continue
        try:
            values[name] = parse(raw)
        except ValueError as error:
            errors[name] = str(error)
    return values, errors


def parse_query(params: Mapping[str, str | None]) -> PublicQuery:
    """The query the fields describe; ``InvalidQuery`` naming every bad field otherwise."""
    values, errors = _parsed(params)
    if errors:
        raise InvalidQuery(errors)
    at = values.pop("date")
    return PublicQuery(at=at, **values)  # type: ignore[arg-type]


# ---- answering -----------------------------------------------------------------------------------------------------

DECISIONS = {
    "allowed": "Entry allowed",
    "allowed_with_conditions": "Entry allowed, with conditions",
    "divert": "Divert: first land at a designated first point of entry",
    "refuse_entry": "Entry refused",
    "not_covered": "Not covered: only arrivals at mainland China airports are answered",
}
LEVELS = {"high": "High risk", "medium": "Medium risk", "low": "Low risk", "unknown": "Unknown"}


def _policy(query: PublicQuery) -> PolicyQuery:
    return PolicyQuery(
        at=query.at,
        arrival=query.arrival.code,
        nationality=query.nationality,
        final_destination=query.final_destination,
        visa_type=query.visa_type,
        visa_issued=query.visa_issued,
        residence_permit=query.residence_permit,
    )


def _rule(rule: AppliedRule, lang: Lang) -> RuleOut:
    text = rule.text_zh if lang == "zh" else rule.text
    return RuleOut(id=rule.id, effect=rule.effect, text=text, source=rule.source, divert_to=list(rule.divert_to))


def _region_name(code: str, lang: Lang) -> str:
    found = region(code)
    if found is None:
        return code
    return found.name_zh if lang == "zh" else found.name


def _origin_level(*, session: Session, query: PublicQuery, classifier: str) -> LevelInForce:
    """The origin's level on the arrival day as known on it: the level officers screen the traveller with."""
    return level_in_force(
        session=session,
        region=query.origin.region_code,
        on=query.on,
        known_on=query.on,
        classifier=classifier_by_name(classifier),
    )


def _origin_risk(found: LevelInForce, lang: Lang) -> RiskOut:
    _ = gettext_for(lang)
    return RiskOut(
        region_code=found.region,
        region_name=_region_name(found.region, lang),
        level=found.level,
        level_label=_(LEVELS[found.level]),
        rate_14d=found.rate_14d,
        data_date=found.data_date,
        source=SOURCE_NAMES.get(found.source, found.source) if found.source else None,
        note=None if found.rate_14d is not None else _("No figure"),
    )


def _designation(found: LevelInForce, lang: Lang) -> DesignationOut | None:
    designated = found.designation
    if designated is None:
        return None
    return DesignationOut(
        level=designated.level,
        level_label=gettext_for(lang)(LEVELS.get(designated.level, designated.level)),
        valid_from=designated.valid_from,
        valid_to=designated.valid_to,
        reference=designated.reference,
    )


def _measure(row: ForeignMeasure, lang: Lang) -> ForeignMeasureOut:
    zh = lang == "zh"
    return ForeignMeasureOut(
        country=row.country,
        country_name=_region_name(row.country, lang),
        title=row.title_zh if zh else row.title,
        text=row.text_zh if zh else row.text,
        source=row.source,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )


def _foreign(*, session: Session, query: PublicQuery, lang: Lang) -> list[ForeignMeasureOut]:
    """Measures published for the origin country and, when it is not China, the arrival country."""
    countries = dict.fromkeys(c for c in (query.origin.country, query.arrival.country) if c != "CHN")
    rows = [row for code in countries for row in foreign_measures(session=session, country=code, on=query.on)]
    return [_measure(row, lang) for row in rows]


def _covered(query: PublicQuery) -> bool:
    return query.arrival.country == "CHN"


def public_answer(*, session: Session, query: PublicQuery, lang: Lang, classifier: str) -> PublicAnswer:
    """The answer in ``lang``: the decision and its rules, the origin's level (the stricter of its figure under
    ``classifier`` and the designation in force, as officers screen) with both shown, and foreign measures."""
    _ = gettext_for(lang)
    origin = _origin_level(session=session, query=query, classifier=classifier)
    covered = _covered(query)
    decision = decide(_policy(query)) if covered else None
    code = decision.decision if decision is not None else "not_covered"
    notes = [] if covered else [_(DECISIONS["not_covered"])]
    return PublicAnswer(
        lang=lang,
        covered=covered,
        decision=code,
        decision_label=_(DECISIONS[code]),
        rules=[_rule(rule, lang) for rule in decision.rules] if decision is not None else [],
        origin_risk=_origin_risk(origin, lang),
        designation=_designation(origin, lang),
        foreign_measures=_foreign(session=session, query=query, lang=lang),
        notes=notes,
    )
