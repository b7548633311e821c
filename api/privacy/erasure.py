"""A buyer's right to erasure (GDPR art. 17, KVKK art. 7): forget what they told support.

What goes: every conversation of the buyer (messages, attachment rows and image files,
Rasa's tracker events). What is anonymised: the free text the buyer wrote into support
records that must themselves stay (ticket summaries and agents' notes, seller-message
texts, return notes and explanations). What stays: orders, returns, wallet and the buyer
account itself, because commerce records must be kept by law (TTK/VUK in Turkey, the
Polish accounting act), and the audit trail, which records the request with counts only.

Exposed as ``python -m api.cli erase-buyer BUYER_ID --by NAME`` and
``POST /api/v1/internal/buyers/{buyer_id}/erasure`` (service token).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api.commerce.models import Buyer
from api.errors import DomainError
from api.gateway.models import Conversation
from api.helpdesk.models import Ticket, TicketNote
from api.privacy.forget import remove_conversations, unlink_files
from api.privacy.tracker_store import delete_conversations
from api.security import audit
from api.settings import Settings, get_settings
from api.support.models import ReturnRequest, SellerMessage

ERASED = "[erased on request]"


@dataclass(frozen=True)
class ErasureReport:
    buyer_id: str
    conversations: int
    messages: int
    attachments: int
    files: int
    tracker_events: int
    tracker_note: str | None
    tickets_anonymised: int
    notes_deleted: int
    seller_messages_anonymised: int
    returns_anonymised: int


def _updated(session: Session, statement) -> int:
    return session.execute(statement, execution_options={"synchronize_session": False}).rowcount


def erase_buyer(session: Session, buyer_id: str, requested_by: str, settings: Settings | None = None) -> ErasureReport:
    """Erase the buyer's conversations and anonymise their words in kept records; audited, then committed.

    ``requested_by`` is the audit actor ("operator:ayse", "service:privacy-desk"). Asking twice is
    harmless: the second run finds nothing left and is audited as well.
    """
    settings = settings or get_settings()
    if session.get(Buyer, buyer_id) is None:
        raise DomainError("unknown_buyer", 404)
    ids = list(session.scalars(select(Conversation.id).where(Conversation.buyer_id == buyer_id)))
    tracker = delete_conversations(ids, settings)
    removed = remove_conversations(session, ids)
    tickets = list(session.scalars(select(Ticket.id).where(Ticket.buyer_id == buyer_id)))
    notes = _updated(session, delete(TicketNote).where(TicketNote.ticket_id.in_(tickets))) if tickets else 0
    report = ErasureReport(
        buyer_id=buyer_id,
        conversations=removed.conversations,
        messages=removed.messages,
        attachments=removed.attachments,
        files=len(removed.files),
        tracker_events=tracker.deleted,
        tracker_note=tracker.note,
        tickets_anonymised=_updated(
            session,
            update(Ticket).where(Ticket.buyer_id == buyer_id, Ticket.summary.is_not(None)).values(summary=ERASED),
        ),
        notes_deleted=notes,
        seller_messages_anonymised=_updated(
            session, update(SellerMessage).where(SellerMessage.buyer_id == buyer_id).values(text=ERASED)
        ),
        returns_anonymised=_updated(
            session,
            update(ReturnRequest)
            .where(ReturnRequest.buyer_id == buyer_id)
            .values(note=None, resubmission_text=None, resubmission_attachments=[]),
        ),
    )
    audit.record(session, requested_by[:80], "buyer.erase", f"buyer:{buyer_id}", **asdict(report))
    session.commit()
    unlink_files(removed.files)
    return report
