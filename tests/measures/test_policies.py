"""Entry policies of Jan–Mar 2020: each rule on both sides of its effective moment, each decision citing its source."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from kouan.measures.policies import (
    R1,
    R2_2,
    RULES,
    PolicyDecision,
    PolicyQuery,
    decide,
    rules_in_force,
)

TWELVE = ("TSN", "SJW", "TYN", "HET", "PVG", "TNA", "TAO", "NKG", "SHE", "DLC", "CGO", "XIY")
OLD_VISA: dict[str, Any] = {"visa_type": "L", "visa_issued": date(2019, 11, 1)}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def check(when: str, arrival: str = "PVG", nationality: str = "CHN", **extra: Any) -> PolicyDecision:
    return decide(PolicyQuery(at=at(when), arrival=arrival, nationality=nationality, **extra))


def ids(decision: PolicyDecision) -> list[str]:
    return [rule.id for rule in decision.rules]


# Each boundary: a minute before / at, in Beijing time, UTC, and -10:00 (the local date is a day behind Beijing's).
@pytest.mark.parametrize(
    ("when", "applies"),
    [
        ("2020-01-24T23:59", False),
        ("2020-01-25T00:00", True),
        ("2020-01-25T00:00+08:00", True),
        ("2020-01-24T15:59Z", False),
        ("2020-01-24T16:00Z", True),
        ("2020-01-24T05:59-10:00", False),
        ("2020-01-24T06:00-10:00", True),
    ],
)
def test_health_declaration_applies_from_25_january(when: str, applies: bool) -> None:
    result = check(when)
    assert result.decision == ("allowed_with_conditions" if applies else "allowed")
    assert ids(result) == (["R1"] if applies else [])


@pytest.mark.parametrize(
    ("when", "decision"),
    [
        ("2020-03-22T23:59", "allowed_with_conditions"),
        ("2020-03-22T23:59+08:00", "allowed_with_conditions"),
        ("2020-03-23T00:00", "divert"),
        ("2020-03-22T15:59Z", "allowed_with_conditions"),
        ("2020-03-22T16:00Z", "divert"),
        ("2020-03-22T05:59-10:00", "allowed_with_conditions"),
        ("2020-03-22T06:00-10:00", "divert"),
    ],
)
def test_every_beijing_flight_is_diverted_from_23_march(when: str, decision: str) -> None:
    assert check(when, arrival="PEK").decision == decision


def test_a_beijing_flight_on_24_march_is_diverted_to_the_twelve_citing_announcement_no_2() -> None:
    result = check("2020-03-24T10:00", arrival="BJS", nationality="GBR")
    assert result.decision == "divert"
    assert ids(result) == ["R1", "R2.2"]
    assert result.rules[1].divert_to == TWELVE
    assert "No. 2" in result.rules[1].source and "2020-03-22" in result.rules[1].source
    assert "12" in result.rules[1].text_zh


@pytest.mark.parametrize(
    ("arrival", "final_destination", "diverted"),
    [
        ("PEK", None, True),
        ("PKX", None, True),
        ("NAY", None, True),
        ("BJS", None, True),
        ("pek", None, True),
        ("PEK", "PVG", True),
        ("CAN", "PEK", True),  # first lands elsewhere than a designated point
        ("TSN", "PEK", False),  # IS a designated first point of entry
        ("PVG", "BJS", False),
        ("XIY", "PKX", False),
        ("PVG", None, False),
        ("CAN", None, False),
    ],
)
def test_beijing_bound_means_arriving_at_or_ending_in_beijing(
    arrival: str, final_destination: str | None, diverted: bool
) -> None:
    result = check("2020-03-24T10:00", arrival=arrival, final_destination=final_destination)
    assert (result.decision == "divert") is diverted
    assert ("R2.2" in ids(result)) is diverted


@pytest.mark.parametrize(
    ("flight", "when", "divert_to"),
    [
        ("CA934", "2020-03-22T10:00", ("TSN",)),
        ("ca 0934", "2020-03-22T10:00", ("TSN",)),
        ("CA934", "2020-03-21T23:59", None),
        ("CA938", "2020-03-22T10:00", None),
        ("CA910", "2020-03-19T23:59", None),
        ("CA910", "2020-03-20T00:00", ("TSN",)),
        ("CA910", "2020-03-19T16:00Z", ("TSN",)),
        ("CA910", "2020-03-21T18:00", ("TSN",)),  # the overnight flight of 3/20 lands on the 21st
        ("CA910", "2020-03-22T00:00", None),
        ("CA926", "2020-03-20T12:00", ("HET",)),
        ("CA926", "2020-03-22T23:59", ("HET",)),
        ("HU7976", "2020-03-20T23:59", None),
        ("HU7976", "2020-03-21T00:00", ("TYN",)),
        ("CA934", "2020-03-23T00:00", TWELVE),  # phase 2 takes over
    ],
)
def test_phase_1_diverts_only_the_named_flights_on_their_days(
    flight: str, when: str, divert_to: tuple[str, ...] | None
) -> None:
    result = check(when, arrival="PEK", flight=flight)
    assert (result.decision == "divert") is (divert_to is not None)
    assert [rule.divert_to for rule in result.rules if rule.effect == "divert"] == ([divert_to] if divert_to else [])


def test_phase_1_cites_its_announcement_and_leaves_a_flight_landing_at_its_point_alone() -> None:
    diverted = check("2020-03-22T10:00", arrival="PEK", flight="CA934")
    assert ids(diverted) == ["R1", "R2.1-CA934"]
    assert "2020-03-19" in diverted.rules[1].source
    assert check("2020-03-22T10:00", arrival="TSN", final_destination="PEK", flight="CA934").decision != "divert"


@pytest.mark.parametrize(
    ("when", "decision"),
    [
        ("2020-03-27T23:59", "allowed_with_conditions"),
        ("2020-03-28T00:00", "refuse_entry"),
        ("2020-03-29T10:00", "refuse_entry"),
        ("2020-03-27T15:59Z", "allowed_with_conditions"),
        ("2020-03-27T16:00Z", "refuse_entry"),
        ("2020-03-27T05:59-10:00", "allowed_with_conditions"),
        ("2020-03-27T06:00-10:00", "refuse_entry"),
    ],
)
def test_foreigner_with_an_old_visa_is_refused_from_28_march(when: str, decision: str) -> None:
    assert check(when, nationality="DEU", **OLD_VISA).decision == decision


def test_refusal_cites_the_mfa_nia_announcement() -> None:
    result = check("2020-03-29T10:00", nationality="DEU", **OLD_VISA)
    refusal = result.rules[-1]
    assert (refusal.id, refusal.effect) == ("R3", "refuse_entry")
    assert all(part in refusal.source for part in ("MFA", "NIA", "2020-03-26", "外交部", "国家移民管理局"))
    assert "C visas" in refusal.text and "C字签证" in refusal.text_zh


@pytest.mark.parametrize(
    "visa_type",
    ["L", "M", "F", "Q1", "Q2", "S1", "S2", "X1", "X2", "Z", "J1", "J2", "D", "G", "R", "PORT", "APEC"]
    + ["TRANSIT-24", "TRANSIT-72", "TRANSIT-144", "HAINAN", "CRUISE-SHANGHAI", "GROUP-GUANGDONG-144", "ASEAN-GUANGXI"],
)
def test_suspended_visas_and_visa_free_schemes_are_refused(visa_type: str) -> None:
    assert check("2020-03-29T10:00", nationality="USA", visa_type=visa_type).decision == "refuse_entry"


@pytest.mark.parametrize("visa_type", ["C", "DIPLOMATIC", "SERVICE", "COURTESY", "c"])
def test_diplomatic_service_courtesy_and_c_visas_are_not_affected(visa_type: str) -> None:
    result = check("2020-03-29T10:00", nationality="USA", visa_type=visa_type, visa_issued=date(2019, 1, 1))
    assert result.decision == "allowed_with_conditions"
    assert "R3" not in ids(result)


@pytest.mark.parametrize(
    ("visa_type", "issued", "refused"),
    [
        ("L", date(2020, 3, 26), True),  # the announcement's own day: issued before it
        ("L", date(2020, 3, 27), False),
        ("Z", date(2020, 4, 2), False),
        ("M", None, True),  # no issue date: counts as issued before
        ("PORT", date(2020, 3, 29), True),  # the exception is for visas, not port visas
        ("TRANSIT-144", date(2020, 3, 29), True),
    ],
)
def test_visas_issued_after_the_announcement_are_not_affected(
    visa_type: str, issued: date | None, refused: bool
) -> None:
    result = check("2020-03-29T10:00", nationality="FRA", visa_type=visa_type, visa_issued=issued)
    assert (result.decision == "refuse_entry") is refused


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ({"residence_permit": True}, True),
        ({"residence_permit": True, "visa_type": "Z", "visa_issued": date(2019, 6, 1)}, True),
        ({"residence_permit": True, "visa_type": "M", "visa_issued": date(2020, 4, 1)}, False),
        ({"residence_permit": True, "visa_type": "DIPLOMATIC"}, False),
        ({}, False),  # visa-exempt by agreement: not covered by R3
    ],
)
def test_residence_permit_holders_are_refused_unless_entering_on_an_unaffected_visa(
    extra: dict[str, Any], refused: bool
) -> None:
    assert (check("2020-03-29T10:00", nationality="KOR", **extra).decision == "refuse_entry") is refused


@pytest.mark.parametrize("nationality", ["CHN", "CN", "HKG", "MAC", "TWN"])
def test_chinese_nationals_and_hk_macao_taiwan_residents_are_never_refused(nationality: str) -> None:
    result = check("2020-03-29T10:00", nationality=nationality, residence_permit=True, **OLD_VISA)
    assert result.decision == "allowed_with_conditions"


@pytest.mark.parametrize("nationality", ["DEU", "D", "XXA"])
def test_mrz_codes_and_stateless_persons_are_foreigners(nationality: str) -> None:
    assert check("2020-03-29T10:00", nationality=nationality, **OLD_VISA).decision == "refuse_entry"


def test_refusal_outranks_diversion_and_every_applied_rule_is_listed() -> None:
    result = check("2020-03-29T10:00", arrival="PEK", nationality="DEU", **OLD_VISA)
    assert result.decision == "refuse_entry"
    assert [(rule.id, rule.effect) for rule in result.rules] == [
        ("R1", "allowed_with_conditions"),
        ("R2.2", "divert"),
        ("R3", "refuse_entry"),
    ]
    query = PolicyQuery(at=at("2020-03-29T10:00"), arrival="PEK", nationality="DEU", **OLD_VISA)
    assert decide(query, rules=(R1, R2_2)).decision == "divert"
    assert decide(query, rules=(R1,)).decision == "allowed_with_conditions"
    assert decide(query, rules=()).decision == "allowed"


@pytest.mark.parametrize("arrival", ["HKG", "MFM", "TPE", "LHR"])
def test_rules_are_mainland_chinas_and_do_not_apply_elsewhere(arrival: str) -> None:
    result = check("2020-03-29T10:00", arrival=arrival, nationality="DEU", **OLD_VISA)
    assert (result.decision, result.rules) == ("allowed", [])


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2020-01-24T23:59", []),
        ("2020-03-19T23:59", ["R1"]),
        ("2020-03-21T12:00", ["R1", "R2.1-CA910", "R2.1-CA926", "R2.1-HU7976"]),
        ("2020-03-22T12:00+08:00", ["R1", "R2.1-CA934", "R2.1-CA926", "R2.1-HU7976"]),
        ("2020-03-22T16:00Z", ["R1", "R2.2"]),
        ("2020-03-28T00:00", ["R1", "R2.2", "R3"]),
    ],
)
def test_rules_in_force(when: str, expected: list[str]) -> None:
    assert [rule.id for rule in rules_in_force(at(when))] == expected


def test_rules_are_beijing_dated_sourced_bilingual_and_uniquely_named() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert all(rule.valid_from.utcoffset() == timedelta(hours=8) for rule in RULES)
    assert all(rule.valid_to is None or rule.valid_to > rule.valid_from for rule in RULES)
    assert all(rule.source and rule.text and rule.text_zh for rule in RULES)
    assert R1.valid_from == datetime(2020, 1, 24, 16, tzinfo=UTC)


def test_an_unknown_visa_type_is_rejected() -> None:
    with pytest.raises(ValueError, match="visa_type 'Q3'"):
        PolicyQuery(at=at("2020-03-29T10:00"), arrival="PVG", nationality="DEU", visa_type="Q3")
