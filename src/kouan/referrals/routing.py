"""Pure core: where a referral goes. A Chinese address becomes a division (province / city / district, by adcode,
through cpca; an English or pinyin one through pinyin_routing); the division and the arrival port choose agencies.
Whatever cannot be resolved says why, so it waits in a visible queue instead of going nowhere."""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kouan.referrals import pinyin_routing
from kouan.sharing.agencies.refs import AgencyRef


@dataclass(frozen=True)
class Division:
    adcode: str  # 2, 4 or 6 digits: province, city or district
    name: str  # 省 市 区, as far as known

    @property
    def level(self) -> str:
        return {2: "province", 4: "city", 6: "district"}[len(self.adcode)]


@dataclass(frozen=True)
class Unresolved:
    reason: str


HEALTH_KINDS = ("health_commission", "local_government")


def resolve_address(address: str | None) -> Division | Unresolved:
    if not address or not address.strip():
        return Unresolved("no destination address was given")
    if not pinyin_routing.has_chinese(address):
        return _resolve_latin(address.strip())
    row = _cpca_row(address.strip())
    if row is None:
        return Unresolved(f"no Chinese province, city or district found in {address!r}")
    ambiguous = _ambiguity(address=address, row=row)
    return Unresolved(ambiguous) if ambiguous else _division(row)


def _resolve_latin(address: str) -> Division | Unresolved:
    """English or pinyin ("Chaoyang District, Beijing"): cpca reads only Chinese characters."""
    found = pinyin_routing.match(address)
    if found is None:
        return Unresolved(f"no Chinese province, city or district found in {address!r}")
    return Unresolved(found.reason) if found.reason else Division(adcode=found.adcode, name=found.name)


def _cpca_row(address: str) -> dict[str, str] | None:
    import cpca  # loads its division table on first use

    record = cpca.transform([address]).to_dict("records")[0]
    code = record.get("adcode")
    if not isinstance(code, str) or not code.isdigit():
        return None
    return {key: _text(record.get(key)) for key in ("省", "市", "区", "adcode")}


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _ambiguity(*, address: str, row: dict[str, str]) -> str | None:
    """A district named without its province or city, whose name several cities share (朝阳区: Beijing, Changchun)."""
    district = row["区"]
    if not district or _names_parent(address=address, row=row):
        return None
    places = _district_homes().get(district, [])
    if len(places) < 2:
        return None
    cities = sorted(_place_names().get(code, code) for code in places)
    return f"{district} is in {len(places)} cities ({', '.join(cities)}): the address must name the city"


def _names_parent(*, address: str, row: dict[str, str]) -> bool:
    parents = [name for name in (row["省"], row["市"]) if name and name != "市辖区"]
    return any(_short(name) in address for name in parents)


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _adcodes() -> list[tuple[str, str]]:
    with resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as handle:
        return [(row["adcode"][:6], row["name"]) for row in csv.DictReader(handle)]


def known_division(adcode: str) -> Division | None:
    """The province, city or district an adcode (2, 4 or 6 digits) names in cpca's table; None when none has it."""
    if not ADCODE.fullmatch(adcode):
        return None
    name = _names_by_code().get(adcode.ljust(6, "0"))
    if name is None:
        return None
    return Division(adcode=adcode, name=_place_names().get(adcode, name) if len(adcode) == 4 else name)


ADCODE = re.compile(r"\d{2}(\d{2}){0,2}")


@lru_cache(maxsize=1)
def _names_by_code() -> dict[str, str]:
    return dict(_adcodes())


@lru_cache(maxsize=1)
def _district_homes() -> dict[str, list[str]]:
    """District name → the 4-digit codes of the cities that have a district of that name."""
    homes: dict[str, list[str]] = defaultdict(list)
    for code, name in _adcodes():
        if not code.endswith("00"):
            homes[name].append(code[:4])
    return dict(homes)


@lru_cache(maxsize=1)
def _place_names() -> dict[str, str]:
    """4-digit city code → its name; a municipality's districts sit under the province's name (北京市)."""
    provinces = {code[:2]: name for code, name in _adcodes() if code.endswith("0000")}
    cities = {
        code[:4]: name
        for code, name in _adcodes()
        if code.endswith("00") and not code.endswith("0000") and name not in ("市辖区", "县")
    }
    return {code[:4]: cities.get(code[:4], provinces.get(code[:2], code[:4])) for code, _ in _adcodes()}


def _division(row: dict[str, str]) -> Division:
    code = row["adcode"]
    digits = 2 if code.endswith("0000") else 4 if code.endswith("00") else 6
    names = [name for name in (row["省"], row["市"], row["区"]) if name and name != "市辖区"]
    return Division(adcode=code[:digits], name="".join(names))


def port_agency(*, port: str, agencies: Iterable[AgencyRef]) -> AgencyRef | None:
    """The customs health quarantine at the arrival port."""
    return next((a for a in agencies if a.kind == "customs_quarantine" and a.port == port), None)


def destination_agency(*, division: Division, agencies: Sequence[AgencyRef]) -> AgencyRef | None:
    """The most local health authority whose jurisdiction holds the division: district before city before province."""
    holding = [a for a in agencies if a.kind in HEALTH_KINDS and a.division and division.adcode.startswith(a.division)]
    return max(holding, key=lambda a: (len(a.division or ""), a.kind == "health_commission", -a.id), default=None)
