"""The health declaration card online: ``GET/POST /declare`` (a form that works without JavaScript, zh/en),
``GET /declare/{code}`` (the e-declaration code and its QR code, drawn here as SVG), and for staff
``GET /api/declarations/{code}`` and ``POST /api/declarations/cards`` (cards in bulk from other channels).

The public pages need no login and are rate-limited per client IP. What was declared is shown on the public page
only for a short while after filing (to the person holding the code); afterwards only the code and the flight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import segno
from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData

from kouan import errors
from kouan.api.body import posted_form
from kouan.api.deps import SessionDep, Staff
from kouan.intake.flows import file_cards
from kouan.public.i18n import Gettext, Lang, gettext_for
from kouan.public.views import language, rate_limited, templates
from kouan.reference import countries, country
from kouan.travel.declarations.card import (
    SYMPTOMS,
    CardIn,
    InvalidCard,
    card_by_code,
    card_summary,
    check_card,
)
from kouan.travel.declarations.codes import grouped
from kouan.travel.journey.models import Declaration
from kouan.users.scoping import working_port

router = APIRouter()
PLACE_ROWS = 8
VISIBLE_ROWS = 3
PLACE_FIELDS = ("country", "place", "date_from", "date_to")
TEXT_FIELDS = (
    "surname", "given_names", "sex", "birth_date", "nationality", "document_number", "occupation", "phone",
    "flight", "flight_date", "arrival_time", "seat", "port_of_entry", "address", "case_contact", "fever_medicine",
)  # fmt: skip
SUMMARY_WINDOW = timedelta(hours=1)  # how long after filing the public page shows what was declared
FOOTER = "Nothing you enter here is stored."  # the shared footer's msgid, not true of this page


def now_utc() -> datetime:
    """The clock of the 24-hour rule; tests override this dependency."""
    return datetime.now(UTC)


def page_gettext(lang: Lang) -> Gettext:
    """The catalogue, with the shared footer saying what is true here: the declaration is kept."""
    base = gettext_for(lang)
    return lambda text: base("What you declare is kept for health control at the port." if text == FOOTER else text)


@dataclass(frozen=True)
class FormCard:
    """A posted form: every value as typed, the data to validate, and which form row each place came from."""

    values: dict[str, Any]
    data: dict[str, Any]
    rows: list[int]


def read_form(form: Any) -> FormCard:
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in TEXT_FIELDS}
    values["symptoms"] = [str(v) for v in form.getlist("symptoms")]
    values["places"] = [{f: str(form.get(f"places-{i}-{f}") or "") for f in PLACE_FIELDS} for i in range(PLACE_ROWS)]
    data: dict[str, Any] = {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}
    data.pop("arrival_time", None)
    data["symptoms"] = values["symptoms"]
    for name in ("case_contact", "fever_medicine"):
        if name in data:
            data[name] = {"yes": True, "no": False}.get(data[name], data[name])
    if values["arrival_time"].strip() and values["flight_date"].strip():
        data["arrival"] = f"{values['flight_date'].strip()}T{values['arrival_time'].strip()}"
    rows = [i for i, row in enumerate(values["places"]) if any(v.strip() for v in row.values())]
    data["places"] = [{k: v.strip() for k, v in values["places"][i].items() if v.strip()} for i in rows]
    return FormCard(values=values, data=data, rows=rows)


def form_field(name: str, rows: list[int]) -> str:
    """The form input an error path names: ``places.1.country`` → ``places-<its row>-country``."""
    parts = name.split(".")
    if parts[0] == "places" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
        return f"places-{rows[int(parts[1])]}-{parts[2]}"
    if parts[0] == "places" and len(parts) == 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
        return f"places-{rows[int(parts[1])]}-country"
    return {"arrival": "arrival_time"}.get(parts[0], parts[0])


def country_options(lang: Lang) -> list[tuple[str, str]]:
    chosen = [c for c in countries() if c.alpha2 and c.iso_country == c.code]
    chosen.sort(key=lambda c: c.name)
    return [(c.code, f"{c.name_zh} {c.code}" if lang == "zh" else f"{c.name} ({c.code})") for c in chosen]


def _context(request: Request, lang: Lang) -> dict[str, Any]:
    other = "en" if lang == "zh" else "zh"
    return {
        "_": page_gettext(lang),
        "lang": lang,
        "switch_url": str(request.url.include_query_params(lang=other)),
        "switch_label": "English" if other == "en" else "中文",
    }


def _form_page(request: Request, *, lang: Lang, values: dict[str, Any], errors: dict[str, str]) -> Response:
    context = _context(request, lang) | {
        "values": values,
        "errors": errors,
        "countries": country_options(lang),
        "symptoms": [(s.key, s.zh if lang == "zh" else s.en) for s in SYMPTOMS],
        "place_rows": PLACE_ROWS,
        "visible_rows": VISIBLE_ROWS,
        "more_open": _more_open(values=values, errors=errors),
    }
    return templates.TemplateResponse(request, "declare.html", context, status_code=422 if errors else 200)


def _more_open(*, values: dict[str, Any], errors: dict[str, str]) -> bool:
    """Whether the folded place rows hold anything typed or an error, so they are shown unfolded."""
    folded = range(VISIBLE_ROWS, PLACE_ROWS)
    typed = any(v.strip() for i in folded for v in values["places"][i].values())
    return typed or any(name.startswith(f"places-{i}-") for i in folded for name in errors)


def _blank() -> dict[str, Any]:
    return {name: "" for name in TEXT_FIELDS} | {
        "symptoms": [],
        "places": [dict.fromkeys(PLACE_FIELDS, "") for _ in range(PLACE_ROWS)],
    }


@router.get("/declare", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(rate_limited)])
def declare_form(request: Request, lang: Lang = Depends(language)) -> Response:
    return _form_page(request, lang=lang, values=_blank(), errors={})


@router.post("/declare", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(rate_limited)])
def declare_post(
    *,
    request: Request,
    lang: Lang = Depends(language),
    form: FormData = Depends(posted_form),
    session: SessionDep,
    now: datetime = Depends(now_utc),
) -> Response:
    posted = read_form(form)
    try:
        card = check_card(data=posted.data, now=now)
    except InvalidCard as invalid:
        _ = page_gettext(lang)
        errors = {form_field(name, posted.rows): _(message) for name, message in invalid.errors.items()}
        return _form_page(request, lang=lang, values=posted.values, errors=errors)
    settings = request.app.state.settings
    declaration = file_cards(session=session, cards=[card], settings=settings, channel="web", now=now).result[0]
    return RedirectResponse(f"/declare/{declaration.code}?lang={lang}", status_code=303)


def qr_svg(code: str) -> Markup:
    """The code as a (full-size, not micro) QR code, inline SVG drawn locally by segno."""
    qr = segno.make(code, error="m", micro=False)
    return Markup(qr.svg_inline(scale=6, border=4, title=code, dark="#000", light="#fff"))


def summary_rows(declaration: Declaration, lang: Lang) -> list[tuple[str, str]]:
    """What was declared, as (label msgid, value) pairs for the page."""
    _ = page_gettext(lang)
    yes_no = {True: _("Yes"), False: _("No"), None: "—"}
    labels = {s.key: s.zh if lang == "zh" else s.en for s in SYMPTOMS}
    places = "; ".join(_place(p, lang) for p in declaration.places) or "—"
    return [
        ("Name", f"{declaration.surname} {declaration.given_names}".strip()),
        ("Document number", declaration.document_number or ""),
        ("Nationality", _country_name(declaration.nationality, lang)),
        ("Flight", f"{declaration.flight or ''} {declaration.flight_date or ''} {declaration.seat or ''}".strip()),
        ("Countries and regions of the last 14 days", places),
        ("Address for the next 14 days", declaration.address or ""),
        ("Phone", declaration.phone or ""),
        ("Contact with a confirmed or suspected case", yes_no[declaration.case_contact]),
        ("Symptoms", ", ".join(labels.get(s, s) for s in declaration.symptoms) or _("None")),
        ("Fever or cold medicine in the last 72 hours", yes_no[declaration.fever_medicine]),
    ]


def _country_name(code: str | None, lang: Lang) -> str:
    found = country(code) if code else None
    if found is None:
        return code or ""
    return found.name_zh if lang == "zh" else found.name


def _place(place: dict[str, Any], lang: Lang) -> str:
    where = ", ".join(
        p for p in (place.get("city") or place.get("place"), _country_name(place.get("country"), lang)) if p
    )
    return f"{where} {place.get('date_from') or ''}–{place.get('date_to') or ''}"


@router.get(
    "/declare/{code}", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(rate_limited)]
)
def declared_page(
    *,
    code: str,
    request: Request,
    lang: Lang = Depends(language),
    session: SessionDep,
    now: datetime = Depends(now_utc),
) -> Response:
    declaration = card_by_code(session=session, code=code)
    if declaration is None:  # a page, not JSON: the traveller is on a phone
        return templates.TemplateResponse(request, "declared_missing.html", _context(request, lang), status_code=404)
    assert declaration.code is not None
    recent = now - declaration.submitted_at <= SUMMARY_WINDOW
    context = _context(request, lang) | {
        "code": declaration.code,
        "code_grouped": grouped(declaration.code),
        "qr": qr_svg(declaration.code),
        "flight": f"{declaration.flight or ''} {declaration.flight_date or ''}".strip(),
        "summary": summary_rows(declaration, lang) if recent else None,
    }
    response = templates.TemplateResponse(request, "declared.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/api/declarations/{code}", tags=["declarations"])
def get_declaration(code: str, session: SessionDep, user: Staff) -> dict[str, Any]:
    """A filed card by its e-declaration code (what the counter scans): everything declared."""
    declaration = card_by_code(session=session, code=code)
    if declaration is None:
        raise errors.NotFound(f"no declaration with code {code}")
    return card_summary(declaration)


@router.post("/api/declarations/cards", tags=["declarations"])
def post_cards(
    *,
    request: Request,
    cards: list[Any] = Body(..., max_length=10_000, description="Cards as `CardIn` objects."),
    session: SessionDep,
    user: Staff,
    now: datetime = Depends(now_utc),
) -> dict[str, Any]:
    """Cards from other channels, each checked on its own: every good card is filed (with its code) even when
    another is refused; a refused card's errors name its index and fields. The voyages named are rescreened."""
    results: dict[int, dict[str, Any]] = {}
    checked: dict[int, CardIn] = {}
    for index, data in enumerate(cards):
        try:
            checked[index] = check_card(data=data, now=now)
        except InvalidCard as invalid:
            results[index] = {"index": index, "errors": invalid.errors}
    settings = request.app.state.settings
    port = working_port(session=session, user=user, chosen=None, default=settings.port_of_entry)
    filed = file_cards(
        session=session, cards=list(checked.values()), settings=settings, channel="bulk", now=now, port=port
    )
    results |= {i: {"index": i, "code": d.code} for i, d in zip(checked, filed.result, strict=True)}
    return _bulk_answer([results[i] for i in sorted(results)])


def _bulk_answer(results: list[dict[str, Any]]) -> dict[str, Any]:
    accepted = sum(1 for r in results if "code" in r)
    return {"accepted": accepted, "refused": len(results) - accepted, "results": results}
