"""Pure core: what the counter flags and what it recommends. A temperature of 37.3 °C or more, or any symptom of the
card's list, sends the traveller to customs health quarantine; a place the itinerary shows and the declaration leaves
out is a possible false declaration (如实填报); a person on no manifest is flagged for a closer look."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

FEVER_CELSIUS = 37.3
DECISIONS = ("release", "refer", "refuse", "divert")


@dataclass(frozen=True)
class Flag:
    kind: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


TEXTS = {
    "fever": "Temperature {value} °C, at or above 37.3 °C / 体温异常",
    "symptoms": "Symptoms: {value} / 有症状",
    "fever_medicine": "Took fever or cold medicine in the last 72 h / 72小时内服用退烧感冒药",
    "case_contact": "Declared contact with a case / 申报有病例接触史",
    "false_declaration": "{value} / 疑似未如实申报",
    "not_on_manifest": "Not on any manifest for this port / 舱单无此人",
    "no_declaration": "No health declaration found / 未找到健康申明",
    "high_risk": "Screened high risk before arrival / 预警高风险",
    "exit_ban": "Exit ban: stop / 不准出境 — {value}",
    "entry_ban": "Entry ban: refuse / 不准入境 — {value}",
    "wanted": "Wanted: hold for police / 在逃人员，扣留移交 — {value}",
    "document_held": "Document reported lost or stolen: hold it / 证件挂失被盗，予以扣留 — {value}",
    "watchlist_hit": "Possible list match: hold until reviewed / 疑似比中，核查前不予放行 — {value}",
    "overstay": "Overstay / 逾期停留 — {value}",
}


def flag(kind: str, value: object = "") -> Flag:
    return Flag(kind=kind, text=TEXTS[kind].format(value=value))


def health_flags(*, temperature: float | None, symptoms: list[str]) -> list[Flag]:
    flags = [flag("fever", f"{temperature:.1f}")] if temperature is not None and temperature >= FEVER_CELSIUS else []
    return flags + ([flag("symptoms", ", ".join(symptoms))] if symptoms else [])


def card_flags(*, declared: bool, fever_medicine: bool | None, case_contact: bool | None) -> list[Flag]:
    if not declared:
        return [flag("no_declaration")]
    return [flag(kind) for kind, said in (("fever_medicine", fever_medicine), ("case_contact", case_contact)) if said]


def record_flags(*, on_manifest: bool, level: str | None, undeclared: list[str]) -> list[Flag]:
    flags = [] if on_manifest else [flag("not_on_manifest")]
    flags += [flag("high_risk")] if level == "high" else []
    return flags + [flag("false_declaration", text) for text in undeclared]


REFERRING = {"fever", "symptoms", "fever_medicine", "case_contact", "high_risk"}
STOPPING = {"exit_ban", "entry_ban", "wanted", "document_held", "watchlist_hit"}  # lists: the person does not cross


def recommendation(*, flags: list[Flag], policy_decision: str | None) -> str:
    """What the counter suggests; the officer decides. Refusal comes from a list's decision or hit, or from the entry
    policy in force, as diversion does."""
    if policy_decision == "refuse_entry" or {f.kind for f in flags} & STOPPING:
        return "refuse"
    if policy_decision == "divert":
        return "divert"
    return "refer" if {f.kind for f in flags} & REFERRING else "release"
