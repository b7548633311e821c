"""Which conversations a console user may see: one rule for HTTP, the WebSocket and attachments.

A buyer talks to the bot in private; a person reads the conversation only once it was handed
over to people: it entered the queue, was given to an agent, or a ticket was filed from it
(the bot's handoff when nobody is on shift, a complaint, an escalation). Plain agents see handed-over
conversations of their languages; supervisors see every conversation (disputes, quality
review). Everything else reads as "no such conversation" (404 ``unknown_conversation``, or
``unknown_attachment``), so ids cannot be probed.
Every read is audited (``conversation.read``, ``conversation.watch``, ``attachment.view``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import DomainError
from api.gateway.models import Attachment, Conversation
from api.helpdesk.auth import actor
from api.helpdesk.models import Agent, Role, Ticket
from api.security import audit


def handed_over(session: Session, conversation: Conversation) -> bool:
    """Was the conversation ever given to people? (queued, claimed, or a ticket filed from it)."""
    if conversation.queued_at is not None or conversation.agent_id is not None:
        return True
    ticket = select(Ticket.id).where(Ticket.conversation_id == conversation.id).limit(1)
    return session.scalar(ticket) is not None


def may_view(session: Session, agent: Agent, conversation: Conversation) -> bool:
    """THE rule: supervisors all; agents the handed-over conversations of their languages."""
    if agent.disabled_at is not None:
        return False
    if agent.role == Role.SUPERVISOR:
        return True
    return conversation.language in (agent.languages or []) and handed_over(session, conversation)


def visible_conversation(session: Session, agent: Agent, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None or not may_view(session, agent, conversation):
        raise DomainError("unknown_conversation", 404)
    return conversation


def read_transcript(session: Session, agent: Agent, conversation_id: str, via: str = "http") -> Conversation:
    """The conversation, if visible, with the read audited: who looked at whose words, and when."""
    conversation = visible_conversation(session, agent, conversation_id)
    action = "conversation.read" if via == "http" else "conversation.watch"
    audit.record(session, actor(agent), action, f"conversation:{conversation.id}")
    session.commit()
    return conversation


def may_watch(session: Session, agent_id: int, conversation_id: str) -> bool:
    """A console socket's ``watch``: the same rule, read for the agent as they are now, audited."""
    try:
        read_transcript(session, session.get(Agent, agent_id), conversation_id, via="websocket")
    except DomainError:  # unknown_conversation
        return False
    return True


def visible_attachment(session: Session, agent: Agent, attachment_id: str) -> Attachment:
    """An attachment of a conversation the agent may see (same rule), with the view audited."""
    row = session.get(Attachment, attachment_id) if attachment_id else None
    conversation = session.get(Conversation, row.conversation_id) if row is not None else None
    if conversation is None or not may_view(session, agent, conversation):
        raise DomainError("unknown_attachment", 404)
    audit.record(session, actor(agent), "attachment.view", f"attachment:{attachment_id}")
    session.commit()
    return row
