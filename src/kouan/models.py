"""Every domain's tables, imported once so that Alembic and tests see the whole schema."""

from kouan.audit.models import AuditAnchor, AuditEvent
from kouan.contacts.models import Contact, ContactTrace
from kouan.counter.models import CounterCheck
from kouan.db import Base
from kouan.history.models import HistoryAppend
from kouan.measures.models import ArrivalZone, ForeignMeasure, Region, RegionDesignation, RegionRisk
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.requests.models import InfoRequest
from kouan.retention.models import DailyArrivals
from kouan.screening.models import ScreeningResult
from kouan.sharing.agencies.models import Agency
from kouan.sharing.outbox.models import OutboxEvent
from kouan.travel.journey.models import Crossing, Declaration, PnrBooking, PnrMessage, PnrPassenger, TravellerLink
from kouan.travel.registry.models import Leg, Stay, Traveller, Voyage, VoyageVersion
from kouan.users.models import Unit, User
from kouan.vessels.models import Seafarer, VesselCall
from kouan.violations.models import Violation
from kouan.watchlist.hits.models import EnforcementDecision, WatchlistHit
from kouan.watchlist.models import Watchlist, WatchlistEntry, WatchlistVersion

metadata = Base.metadata

__all__ = [
    "Agency",
    "AuditAnchor",
    "DailyArrivals",
    "EnforcementDecision",
    "WatchlistHit",
    "HistoryAppend",
    "InfoRequest",
    "OutboxEvent",
    "Referral",
    "ReferralStep",
    "Unit",
    "ArrivalZone",
    "AuditEvent",
    "Contact",
    "ContactTrace",
    "CounterCheck",
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
    "Seafarer",
    "Stay",
    "Traveller",
    "User",
    "VesselCall",
    "Violation",
    "Watchlist",
    "WatchlistEntry",
    "WatchlistVersion",
    "Voyage",
    "VoyageVersion",
    "metadata",
]
