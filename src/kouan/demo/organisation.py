"""The demo's own units and partner agencies: four general stations (Beijing, Shanghai, Guangdong, Anhui) over the
Capital, Pudong and Baiyun airport stations (Capital with a duty team) and the Ma'anshan seaport station, the customs
at the three airports and at Ma'anshan, health authorities of Beijing (city and districts),
Shanghai and Guangdong, and an embassy. Real names; loopback webhooks are given by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.sharing.agencies.models import Agency, AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import agency_by_code, create_agency, issue_agency_token, new_webhook_secret
from kouan.users.models import Unit, UnitLevel
from kouan.users.units import create_unit

UNITS = (  # code, name, level, parent, port
    ("BJ", "北京出入境边防检查总站 Beijing General Border Inspection Station", UnitLevel.general_station, None, None),
    ("BJ-PEK", "首都机场边防检查站 Capital Airport Station", UnitLevel.station, "BJ", "PEK"),
    ("BJ-PEK-1", "执勤一队 Duty Team 1", UnitLevel.duty_team, "BJ-PEK", None),
    ("SH", "上海出入境边防检查总站 Shanghai General Border Inspection Station", UnitLevel.general_station, None, None),
    ("SH-PVG", "浦东机场边防检查站 Pudong Airport Station", UnitLevel.station, "SH", "PVG"),
    ("GD", "广东出入境边防检查总站 Guangdong General Border Inspection Station", UnitLevel.general_station, None, None),
    ("GD-CAN", "广州白云机场边防检查站 Guangzhou Baiyun Airport Station", UnitLevel.station, "GD", "CAN"),
    ("AH", "安徽出入境边防检查总站 Anhui General Border Inspection Station", UnitLevel.general_station, None, None),
    ("AH-MAA", "马鞍山边防检查站 Ma'anshan Station", UnitLevel.station, "AH", "CNMAA"),
)
AGENCIES = (  # code, name, kind, port, division
    ("CUSTOMS-PEK", "北京海关 首都机场卫生检疫 Capital Airport Customs", "customs_quarantine", "PEK", None),
    ("CUSTOMS-PVG", "上海海关 浦东机场卫生检疫 Pudong Airport Customs", "customs_quarantine", "PVG", None),
    ("CUSTOMS-CAN", "广州海关 白云机场卫生检疫 Baiyun Airport Customs", "customs_quarantine", "CAN", None),
    ("BJ-HEALTH", "北京市卫生健康委员会 Beijing Municipal Health Commission", "health_commission", None, "11"),
    ("BJ-CHAOYANG", "朝阳区卫生健康委员会 Chaoyang District Health Commission", "health_commission", None, "110105"),
    ("BJ-SHUNYI", "顺义区人民政府 Shunyi District Government", "local_government", None, "110113"),
    ("SH-HEALTH", "上海市卫生健康委员会 Shanghai Municipal Health Commission", "health_commission", None, "31"),
    ("GD-HEALTH", "广东省卫生健康委员会 Health Commission of Guangdong Province", "health_commission", None, "44"),
    ("EMB-ITA", "意大利驻华大使馆 Embassy of Italy", "embassy", None, None),
    ("CUSTOMS-MAA", "南京海关 马鞍山海关卫生检疫 Ma'anshan Customs", "customs_quarantine", "CNMAA", None),
    ("MSA-MAA", "马鞍山海事局 Ma'anshan Maritime Safety Administration", "maritime_authority", "CNMAA", None),
)  # fmt: skip


@dataclass
class Organisation:
    units: dict[str, Unit] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # agency code → API token (shown once)


def seed_organisation(*, session: Session, webhooks: dict[str, str] | None = None) -> Organisation:
    """Creates what is missing and issues fresh agency tokens; safe to run again."""
    org = Organisation()
    for code, name, level, parent, port in UNITS:
        org.units[code] = _unit(session=session, code=code, name=name, level=level, parent=org.units.get(parent or ""),
                                port=port)  # fmt: skip
    for code, name, kind, port, division in AGENCIES:
        webhook = (webhooks or {}).get(code)
        item = AgencyCreate(
            code=code, name=name, kind=AgencyKind(kind), port=port, division=division, webhook_url=webhook
        )
        org.agencies[code], org.tokens[code] = _agency(session=session, item=item)
    return org


def _unit(*, session: Session, code: str, name: str, level: UnitLevel, parent: Unit | None, port: str | None) -> Unit:
    found = session.scalar(select(Unit).where(Unit.code == code))
    return found or create_unit(session=session, code=code, name=name, level=level, parent=parent, port=port)


def _agency(*, session: Session, item: AgencyCreate) -> tuple[Agency, str]:
    found = agency_by_code(session=session, code=item.code)
    if found is None:
        return create_agency(session=session, item=item)
    if item.webhook_url and found.webhook_url != item.webhook_url:
        found.webhook_url = item.webhook_url
        found.webhook_secret = found.webhook_secret or new_webhook_secret()
    return found, issue_agency_token(session=session, agency=found)
