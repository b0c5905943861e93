"""Every domain's tables, imported once so that Alembic and tests see the whole schema."""

from kouan.audit.models import AuditEvent
from kouan.db import Base
from kouan.measures.models import ArrivalZone, ForeignMeasure, Region, RegionDesignation, RegionRisk
from kouan.screening.models import ScreeningResult
from kouan.travel.models import Leg, Stay, Traveller, Voyage, VoyageVersion
from kouan.travel.sources import Crossing, Declaration, PnrBooking, PnrMessage, PnrPassenger, TravellerLink
from kouan.users.models import User

metadata = Base.metadata

__all__ = [
    "ArrivalZone",
    "AuditEvent",
    "ForeignMeasure",
    "RegionDesignation",
    "Crossing",
    "Declaration",
    "Leg",
    "PnrBooking",
    "PnrMessage",
    "PnrPassenger",
    "TravellerLink",
    "Region",
    "RegionRisk",
    "ScreeningResult",
    "Stay",
    "Traveller",
    "User",
    "Voyage",
    "VoyageVersion",
    "metadata",
]
