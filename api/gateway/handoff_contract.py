"""What the human side may tell a buyer's conversation: state changes, agent messages and
typing, a CSAT request. The agent console (api/helpdesk, api/routers/console.py) and staff tools
(``POST /api/v1/internal/conversations/{id}/events``) send these; the widget renders them.

State rules: ``bot -> queued -> with_agent -> resolved`` and ``with_agent -> bot``.
While queued or with an agent, buyer messages are stored but not sent to Rasa.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from api.clock import utcnow
from api.errors import DomainError
from api.gateway.models import Conversation, ConversationState, Message, Sender
from api.gateway.service import chat_error, serialise
from api.security.pii import mask_field

AgentName = Annotated[str, Field(min_length=1, max_length=80)]


class StateEvent(BaseModel):
    type: Literal["state"]
    state: ConversationState
    position: int | None = Field(default=None, ge=1)
    wait_seconds: int | None = Field(default=None, ge=0)
    agent_name: AgentName | None = None


class AgentMessageEvent(BaseModel):
    type: Literal["agent_message"]
    agent_name: AgentName
    text: Annotated[str, Field(min_length=1, max_length=4000)]


class AgentTypingEvent(BaseModel):
    type: Literal["agent_typing"]
    on: bool
    agent_name: AgentName | None = None


class CsatRequestEvent(BaseModel):
    type: Literal["csat_request"]


HandoffEvent = Annotated[
    StateEvent | AgentMessageEvent | AgentTypingEvent | CsatRequestEvent, Field(discriminator="type")
]

ALLOWED_MOVES = {
    ConversationState.BOT: {ConversationState.QUEUED, ConversationState.RESOLVED},
    ConversationState.QUEUED: {ConversationState.WITH_AGENT, ConversationState.BOT, ConversationState.RESOLVED},
    ConversationState.WITH_AGENT: {ConversationState.BOT, ConversationState.RESOLVED, ConversationState.WITH_AGENT},
    ConversationState.RESOLVED: {ConversationState.BOT, ConversationState.QUEUED},
}


class HandoffContract:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def apply(self, conversation_id: str, event: BaseModel) -> dict[str, Any]:
        """Apply an event; returns the frame for the buyer's sockets."""
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id, with_for_update=True)
            if conversation is None:
                raise DomainError("unknown_conversation", 404)
            if isinstance(event, StateEvent):
                frame = self._move(conversation, event)
            elif isinstance(event, AgentMessageEvent):
                message = Message(
                    conversation_id=conversation.id,
                    sender=Sender.AGENT,
                    text=mask_field(event.text, conversation.language),  # agents paste data too
                    author_name=event.agent_name,
                )
                session.add(message)
                session.flush()
                frame = {"type": "message", "message": serialise(message)}
            elif isinstance(event, AgentTypingEvent):
                frame = {"type": "agent_typing", "on": event.on, "agent": {"name": event.agent_name}}
            else:
                conversation.csat_requested_at = utcnow()  # from now on one rating is taken
                frame = {"type": "csat_request"}
            session.commit()
            return frame

    @staticmethod
    def frame_for(event: BaseModel) -> dict[str, Any]:
        """The buyer's frame for news already recorded elsewhere (a claim, agent typing)."""
        if isinstance(event, AgentTypingEvent):
            return {"type": "agent_typing", "on": event.on, "agent": {"name": event.agent_name}}
        if isinstance(event, StateEvent):
            frame: dict[str, Any] = {"type": "state", "state": event.state.value}
            if event.state == ConversationState.WITH_AGENT:
                frame["agent"] = {"name": event.agent_name}
            return frame
        raise ValueError("no frame for this event")

    @staticmethod
    def _move(conversation: Conversation, event: StateEvent) -> dict[str, Any]:
        current = ConversationState(conversation.state)
        if event.state != current and event.state not in ALLOWED_MOVES[current]:
            raise DomainError("invalid_state_change", 409)
        conversation.state = event.state
        conversation.agent_name = event.agent_name if event.state == ConversationState.WITH_AGENT else None
        frame: dict[str, Any] = {"type": "state", "state": event.state.value}
        if event.state == ConversationState.QUEUED:
            frame.update(position=event.position, wait_seconds=event.wait_seconds)
        if event.state == ConversationState.WITH_AGENT:
            frame["agent"] = {"name": event.agent_name}
        return frame

    def rate(self, conversation_id: str, score: object) -> int:
        """The buyer's CSAT score (1-5) for the human part of the conversation.

        Taken only when the buyer was asked (``csat_requested_at``: an agent resolved or handed
        back, or the human side sent a ``csat_request``), and once per request: the widget
        offers its stars once and shows thanks, so a second rating is a replay or a script
        (``csat_already_given``, the first one stands). A later request (the buyer came back
        and another agent helped) takes a new rating, which replaces the earlier one.
        """
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise chat_error("invalid_frame")
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id, with_for_update=True)
            if conversation is None:
                raise chat_error("unknown_conversation")
            if conversation.csat_requested_at is None:
                raise chat_error("csat_not_requested")
            if conversation.csat_at is not None and conversation.csat_at >= conversation.csat_requested_at:
                raise chat_error("csat_already_given")
            conversation.csat_score = score
            conversation.csat_at = utcnow()
            session.commit()
            return score
