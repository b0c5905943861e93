"""create_app(): the API, the officer console and the static files, in one ASGI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kouan import __version__
from kouan.api import guards
from kouan.api.queue import RequestQueue
from kouan.contacts.views import router as contacts_router
from kouan.counter.views import router as counter_router
from kouan.intake.rescreen_views import router as rescreen_router
from kouan.intake.views import router as intake_router
from kouan.measures.views import router as measures_router
from kouan.overstays.views import router as overstays_router
from kouan.public.declaration_views import router as declaration_router
from kouan.public.views import router as public_router
from kouan.referrals.agency_views import router as agency_referrals_router
from kouan.referrals.delivery import mark_sent
from kouan.referrals.requests.views import router as requests_router
from kouan.referrals.views import router as referrals_router
from kouan.screening.views import router as voyages_router
from kouan.settings import Settings, get_settings
from kouan.sharing.agencies.views import router as agency_router
from kouan.sharing.outbox.views import feed_router
from kouan.sharing.outbox.views import router as outbox_router
from kouan.travel.journey.views import router as journeys_router
from kouan.travel.registry.views import router as departures_router
from kouan.vessels.views import router as vessels_router
from kouan.violations.views import router as violations_router
from kouan.watchlist.hits.views import router as hits_router
from kouan.watchlist.views import router as watchlist_router
from kouan.web.contacts_views import router as seats_console_router
from kouan.web.counter_views import router as counter_console_router
from kouan.web.departure_views import router as departures_console_router
from kouan.web.hit_views import router as hits_console_router
from kouan.web.measures_views import router as measures_console_router
from kouan.web.overstay_views import router as overstays_console_router
from kouan.web.referral_views import router as referrals_console_router
from kouan.web.vessel_views import router as vessels_console_router
from kouan.web.views import router as console_router
from kouan.web.violation_views import router as violations_console_router
from kouan.web.watchlist_views import router as watchlists_console_router

STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="kouan",
        version=__version__,
        description="Screening arrivals at a port of entry before they land: carrier data in, explained risk out.",
    )
    app.state.settings = settings
    app.state.database_url = settings.database_url
    app.include_router(counter_router)  # first: routes are matched in order, and the counter is the busiest
    app.include_router(intake_router)
    app.include_router(rescreen_router)
    app.include_router(voyages_router)
    app.include_router(journeys_router)
    app.include_router(departures_router)
    app.include_router(measures_router)
    app.include_router(public_router)
    app.include_router(declaration_router)
    app.include_router(referrals_router)
    app.include_router(contacts_router)
    app.include_router(vessels_router)
    app.include_router(counter_console_router)
    app.include_router(agency_router)
    app.include_router(agency_referrals_router)
    app.include_router(feed_router(on_pulled=mark_sent))
    app.include_router(outbox_router)
    app.include_router(requests_router)
    app.include_router(watchlist_router)
    app.include_router(hits_router)
    app.include_router(violations_router)
    app.include_router(overstays_router)
    app.include_router(console_router)
    app.include_router(measures_console_router)
    app.include_router(referrals_console_router)
    app.include_router(seats_console_router)
    app.include_router(departures_console_router)
    app.include_router(vessels_console_router)
    app.include_router(watchlists_console_router)
    app.include_router(violations_console_router)
    app.include_router(hits_console_router)
    app.include_router(overstays_console_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if settings.database_url.startswith("sqlite"):
        app.add_middleware(
            RequestQueue, at_once=settings.sqlite_requests_at_once, reads_at_once=settings.sqlite_reads_at_once
        )
    guards.install(app, settings=settings)  # after the queue: body limits are checked before a request waits

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
