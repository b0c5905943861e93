"""What the featured traveller shows at the counter, printed by `kouan demo` so the counter can be tried by hand:
the passport's MRZ, the boarding pass's text and the e-declaration code of the card they filed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from kouan.formats.documents_write import boarding_pass, passport_mrz
from kouan.referrals.subjects import declaration_for
from kouan.travel.registry.models import Traveller


def documents_of(*, session: Session, traveller: Traveller) -> dict[str, str]:
    voyage = traveller.voyage_version.voyage
    born = traveller.birth_date or date(1980, 1, 1)
    mrz = passport_mrz(surname=traveller.surname, given=traveller.given_names, number=traveller.document_number or "",
                       nationality=traveller.nationality or "XXX", born=born, sex=traveller.sex or "<",
                       expiry=traveller.document_expiry or date(2030, 1, 1))  # fmt: skip
    leg_from = traveller.embarkation or voyage.origin or "XXX"
    booking = traveller.booking_ref or "DEMO01"
    text = boarding_pass(
        surname=traveller.surname, given=traveller.given_names, booking=booking, origin=leg_from,
        destination=voyage.destination or "PEK", carrier=voyage.carrier,
        flight=voyage.number.removeprefix(voyage.carrier), day=voyage.flight_date, seat=traveller.seat or "1A",
    )  # fmt: skip
    card = declaration_for(session=session, traveller=traveller)
    return {"mrz": "\n".join(mrz), "boarding_pass": text, "code": (card.code if card else None) or "—"}
