"""How a seller's answer or case update reaches the buyer: a chat message in their conversation.

The reply is stored as a message of sender ``seller`` (with the seller's name) in the
conversation the buyer wrote the question from; a status update goes to the conversation
of the buyer's latest question about that order, else the buyer's latest conversation. So
it waits in the history when the buyer is away and shows the next time the widget opens,
and a live widget gets it at once as a ``seller_message`` frame. A buyer without any
conversation sees the thread through the bot ("did the seller answer?").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.gateway.hub import Hub
from api.gateway.models import Conversation, Message, Sender
from api.gateway.service import serialise
from api.sellers.models import CaseStatus, ReplyKind, SellerReply
from api.support.models import SellerMessage

STATUS_TEXTS: dict[str, dict[str, str]] = {
    CaseStatus.RETURN_RECEIVED: {
        "tr": "{order} numaralı siparişinizin iadesi satıcıya ulaştı.",
        "pl": "Sprzedawca otrzymał zwrot z zamówienia {order}.",
    },
    CaseStatus.REPAIR_STARTED: {
        "tr": "{order} numaralı siparişinizdeki ürünün onarımı başladı.",
        "pl": "Naprawa produktu z zamówienia {order} została rozpoczęta.",
    },
    CaseStatus.REPAIR_FINISHED: {
        "tr": "{order} numaralı siparişinizdeki ürünün onarımı tamamlandı, gönderime hazır.",
        "pl": "Naprawa produktu z zamówienia {order} została zakończona, jest gotowy do wysyłki.",
    },
    CaseStatus.SHIPPED: {
        "tr": "{order} numaralı siparişiniz kargoya verildi: {carrier}, takip numarası {tracking}, "
        "tahmini teslim {date}.",
        "pl": "Zamówienie {order} zostało wysłane: {carrier}, numer przesyłki {tracking}, przewidywana dostawa {date}.",
    },
    CaseStatus.REPLACEMENT_SENT: {
        "tr": "{order} numaralı siparişiniz için yeni ürün gönderildi.",
        "pl": "Do zamówienia {order} wysłano produkt zastępczy.",
    },
}
NOTE_PREFIX = {"tr": "Satıcının notu: ", "pl": "Notatka sprzedawcy: "}


def format_date(value: dt.date | None, language: str) -> str:
    return "" if value is None else value.strftime("%d.%m.%Y")


def buyer_text(reply: SellerReply, language: str) -> str:
    """What the buyer reads: an answer as written (masked), a case update in the buyer's language."""
    if reply.kind == ReplyKind.ANSWER:
        return reply.text
    lang = language if language in ("tr", "pl") else "tr"
    template = STATUS_TEXTS[CaseStatus(reply.status)][lang]
    if reply.status == CaseStatus.SHIPPED and reply.expected_date is None:  # the portal requires one; old rows
        template = template.rsplit(",", 1)[0] + "."
    line = template.format(
        order=reply.order_number,
        carrier=reply.carrier or "",
        tracking=reply.tracking_number or "",
        date=format_date(reply.expected_date, lang),
    )
    return f"{line}\n{NOTE_PREFIX[lang]}{reply.text}" if reply.text else line


def target_conversation(session: Session, reply: SellerReply) -> Conversation | None:
    """The buyer's conversation the reply belongs in (see the module docstring); None if there is none."""
    conversation_id = None
    if reply.question_id is not None:
        question = session.get(SellerMessage, reply.question_id)
        conversation_id = question.conversation_id if question is not None else None
    if conversation_id is None:
        conversation_id = session.scalar(
            select(SellerMessage.conversation_id)
            .where(
                SellerMessage.buyer_id == reply.buyer_id,
                SellerMessage.order_number == reply.order_number,
                SellerMessage.conversation_id.is_not(None),
            )
            .order_by(SellerMessage.id.desc())
            .limit(1)
        )
    conversation = session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None:
        conversation = session.scalars(
            select(Conversation)
            .where(Conversation.buyer_id == reply.buyer_id)
            .order_by(Conversation.updated_at.desc())
            .limit(1)
        ).first()
    return conversation


def record_for_buyer(session: Session, reply: SellerReply) -> tuple[str, dict[str, Any]] | None:
    """Store the reply as a ``seller`` message in the buyer's conversation (the caller commits).

    Returns (conversation id, serialised message) for ``publish_to_buyer``, or None when the
    buyer has no conversation to put it in.
    """
    conversation = target_conversation(session, reply)
    if conversation is None:
        return None
    message = Message(
        conversation_id=conversation.id,
        sender=Sender.SELLER,
        text=buyer_text(reply, conversation.language),
        author_name=reply.author_name[:80],
    )
    session.add(message)
    session.flush()
    reply.conversation_id = conversation.id
    reply.delivered_message_id = message.id
    return conversation.id, serialise(message)


def seller_frame(reply: SellerReply, message: dict[str, Any]) -> dict[str, Any]:
    """The widget's live frame: the stored message plus what it is about."""
    return {
        "type": "seller_message",
        "message": message,
        "order_number": reply.order_number,
        "kind": reply.kind,
        "status": reply.status,
        "question_id": reply.question_id,
        "reply_id": reply.id,
    }


async def publish_to_buyer(hub: Hub, reply: SellerReply, conversation_id: str, message: dict[str, Any]) -> int:
    """Live delivery to the buyer's open widget tabs (any api process); 0 when none is open."""
    return await hub.publish(conversation_id, seller_frame(reply, message))
