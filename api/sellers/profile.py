"""What the seller portal knows about its user at sign-in: who, which seller and market, and the
choices and limits its forms offer (carriers, case statuses, thread filters, text lengths)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.commerce.models import Seller
from api.sellers import answers, inbox, status_updates
from api.sellers.models import CaseStatus, SellerUser


def profile(session: Session, user: SellerUser) -> dict[str, Any]:
    seller = session.get(Seller, user.seller_id)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "language": user.language,
        "seller": {"id": seller.id, "name": seller.name, "market": seller.market},
        "carriers": status_updates.carriers(seller.market),
        "statuses": [s.value for s in CaseStatus],
        "states": list(inbox.STATES),
        "limits": {"answer_chars": answers.MAX_ANSWER_CHARS, "note_chars": status_updates.MAX_NOTE_CHARS},
    }
