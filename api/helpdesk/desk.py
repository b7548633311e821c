"""The people side as the chat gateway sees it: reopening, tickets that collect buyer messages,
and a place in the queue when the bot cannot help.

``ChatService`` (api/gateway/service.py) is below the helpdesk and names only the ``HumanDesk``
port it declares; ``HelpDesk`` is that port over the helpdesk rules, wired in by api/main.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.clock import utcnow
from api.gateway.models import Conversation
from api.helpdesk import queue
from api.helpdesk.reopen import Reopen, add_to_open_ticket, on_buyer_message
from api.settings import get_settings

HANDOVER_SUMMARIES = {
    "bot_unavailable": "The assistant (Rasa or the action server) did not answer; the gateway handed over.",
    "buyer_upset": "The buyer used insulting words; the gateway handed over to a person.",
    "repeated_problem": "The buyer sent the same message three times in a row.",
}


class HelpDesk:
    """``api.gateway.service.HumanDesk`` over the helpdesk's reopen, ticket and queue rules."""

    def reopen(self, session: Session, conversation_id: str) -> Reopen:
        """A buyer wrote into a conversation: reopen it, start a new one, or nothing (api/helpdesk/reopen.py)."""
        return on_buyer_message(session, conversation_id, utcnow(), get_settings().reopen_window_hours)

    def add_to_tickets(self, session: Session, conversation_id: str, message_id: int, text: str) -> list[Any]:
        """The buyer's message joins the conversation's open tickets; their owners are told (``TicketNotice``)."""
        return add_to_open_ticket(session, conversation_id, message_id, text, utcnow())

    def queue_for_person(self, session: Session, conversation: Conversation, reason: str) -> tuple[int, int] | None:
        """The buyer in line if an agent can take them now: (place, wait seconds), else None."""
        now = utcnow()
        if not queue.is_staffed(conversation.market, now) or not queue.online_agents(session, conversation.language):
            return None
        queued = queue.enqueue(
            session, conversation, reason=reason, topic=None, summary=HANDOVER_SUMMARIES[reason], details={}, now=now
        )
        return queued.position, queued.wait_seconds
