"""Conversation rules: start or resume, validate buyer input, store it, ask the bot, store the answers.

A buyer message is committed before Rasa is called, so nothing a buyer says is
lost even when the bot is down; a resent message (same client message id) is
stored once and gets the replies already given.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.commerce.models import Buyer
from api.errors import DomainError
from api.gateway.buyer_tokens import InvalidBuyerToken, buyer_id_from
from api.gateway.models import Conversation, ConversationState, Message, Sender
from api.gateway.rasa_client import BotReply, BotUnavailable, RasaClient
from api.gateway.texts import LANGUAGES, text
from api.security.pii import mask_field, mask_identifier, placeholders_in

MARKET_OF_LANGUAGE = {"tr": "TR", "pl": "PL"}
MAX_CLIENT_ID_CHARS = 64
MAX_PAYLOAD_CHARS = 500


def chat_error(code: str, status: int = 422, **values: object) -> DomainError:
    """A buyer-facing refusal: a stable code worded by the gateway's texts (``values`` fill the text).

    422 unless the rule knows better (an unknown conversation is 404, an oversize upload 413);
    the language is the reader's (api/errors.py), the conversation's where a router knows it.
    """
    return DomainError(code, status, catalogue=text, values=values)


@dataclass(frozen=True)
class Exchange:
    buyer_message: dict[str, Any]
    replies: list[dict[str, Any]]
    duplicate: bool = False
    # Set when the message started a new conversation (the old one was resolved longer ago than the
    # reopen window, api/helpdesk/reopen.py): the caller moves the buyer's widget to it.
    moved_to: Conversation | None = None


@dataclass(frozen=True)
class _Accepted:
    """What the database said about a buyer's message: the exchange so far, notices for ticket owners,
    or ``reopened`` (Rasa must be resumed before the message is stored)."""

    exchange: Exchange
    notices: list[Any] = field(default_factory=list)
    reopened: bool = False


def serialise(message: Message) -> dict[str, Any]:
    attachment = message.attachment
    return {
        "id": message.id,
        "sender": message.sender,
        "text": message.text,
        "buttons": message.buttons or [],
        "payload": message.payload,
        "client_message_id": message.client_message_id,
        "agent_name": message.author_name,
        "created_at": message.created_at.isoformat(),
        "attachment": None
        if attachment is None
        else {
            "id": attachment.id,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "url": f"/api/v1/conversations/{message.conversation_id}/attachments/{attachment.id}",
        },
    }


def conversation_info(conversation: Conversation) -> dict[str, Any]:
    return {
        "conversation_id": conversation.id,
        "token": conversation.token,
        "language": conversation.language,
        "market": conversation.market,
        "buyer_id": conversation.buyer_id,
        "state": conversation.state,
        "agent": {"name": conversation.agent_name} if conversation.state == ConversationState.WITH_AGENT else None,
        "csat_score": conversation.csat_score,
    }


def clean_text(raw: object, limit: int) -> str:
    if not isinstance(raw, str):
        raise chat_error("invalid_frame")
    cleaned = raw.replace("\x00", "").strip()
    if not cleaned:
        raise chat_error("empty_message")
    if len(cleaned) > limit:
        raise chat_error("message_too_long", limit=limit)
    return cleaned


def clean_payload(raw: object) -> str | None:
    """A button's payload ("/inform{...}") goes to the bot; anything else is not a payload."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.startswith("/") or len(raw) > MAX_PAYLOAD_CHARS:
        raise chat_error("invalid_frame")
    return raw


def clean_client_id(raw: object, key: str) -> str | None:
    """The id to store and compare for a resend: as sent, or a keyed hash if it holds personal data."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_CLIENT_ID_CHARS:
        raise chat_error("invalid_frame")
    return mask_identifier(raw.strip(), key)


def privacy_notice(buyer_message: dict[str, Any], language: str) -> list[BotReply]:
    """A short system message when the buyer's text had personal data masked out of it.

    Decided from the placeholders in the stored text, so a resend or a restart gives the same answer.
    """
    if placeholders_in(buyer_message["text"]) or placeholders_in(buyer_message.get("payload") or ""):
        return [BotReply(text=text("personal_data_masked", language))]
    return []


REPEATS_FOR_PERSON = 3


class HumanDesk(Protocol):
    """What the gateway needs from the people side (api/helpdesk/desk.py implements it).

    The gateway sits below the helpdesk (whose rules read conversations and messages), so it names
    this port and api/main.py plugs the helpdesk in.
    """

    def reopen(self, session: Session, conversation_id: str) -> Any:
        """``.action`` ("new", "reopened" or none) and ``.conversation_id`` for a buyer's new message."""

    def add_to_tickets(self, session: Session, conversation_id: str, message_id: int, text: str) -> list[Any]:
        """Add the message to the conversation's open tickets; the notices for their owners."""

    def queue_for_person(self, session: Session, conversation: Conversation, reason: str) -> tuple[int, int] | None:
        """(place, wait seconds) in the queue if an agent can take the buyer now, else None."""


class ChatService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        rasa: RasaClient,
        max_chars: int,
        buyer_token_secret: str,
        desk: HumanDesk,
        insulting: Callable[[str, str], bool],
    ) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._desk = desk
        # Does the buyer's text insult (text, language)? The moderation rules, plugged in by api/main.py.
        self._insulting = insulting
        self.max_chars = max_chars
        self._buyer_token_secret = buyer_token_secret
        # Set by the app: tells the buyer's widget and the consoles that a conversation joined the queue.
        self.on_queued: Callable[[str, int, int], Awaitable[None]] | None = None
        # Set by the app: a buyer message was added to open tickets; tells their owners (reopen.TicketNotice).
        self.on_ticket_message: Callable[[list[Any]], Awaitable[None]] | None = None

    # -- conversations -------------------------------------------------------------------
    def _verified_buyer(self, buyer_token: object) -> str:
        if not isinstance(buyer_token, str):
            raise chat_error("invalid_buyer_token")
        try:
            return buyer_id_from(buyer_token, self._buyer_token_secret)
        except InvalidBuyerToken as exc:
            raise chat_error("invalid_buyer_token") from exc

    def start(self, language: object, buyer_id: object, buyer_token: object = None) -> Conversation:
        """A new conversation, signed in only through a valid buyer token.

        A bare ``buyer_id`` is a claim anyone can make, so it never signs anyone in: without
        a token it is refused (``buyer_token_required``) rather than silently ignored, so a
        client still sending it learns why; next to a token it must name the token's buyer
        (a swap is ``buyer_token_mismatch``). Claiming nobody gives an anonymous conversation.
        """
        if language not in LANGUAGES:
            raise chat_error("unsupported_language")
        claimed, buyer_id = buyer_id, None
        if buyer_token is not None:
            buyer_id = self._verified_buyer(buyer_token)
        if claimed is not None:
            if buyer_token is None:
                raise chat_error("buyer_token_required")
            if claimed != buyer_id:
                raise chat_error("buyer_token_mismatch")
        with self._sessions() as session:
            market = MARKET_OF_LANGUAGE[str(language)]
            if buyer_id is not None:
                buyer = session.get(Buyer, buyer_id) if isinstance(buyer_id, str) else None
                if buyer is None:
                    raise chat_error("unknown_buyer")
                market = buyer.market
            conversation = Conversation(
                id=uuid.uuid4().hex,
                token=secrets.token_urlsafe(32),
                buyer_id=buyer_id,
                language=str(language),
                market=market,
            )
            session.add(conversation)
            session.commit()
            return conversation

    def resume(self, conversation_id: object, token: object, buyer_token: object = None) -> Conversation:
        """The conversation its token opens; a wrong id and a wrong token are the same error.

        A resume that also presents a buyer token must come from that conversation's buyer:
        a page signed in as someone else gets ``unknown_conversation`` too (the widget then
        starts afresh), so a conversation token copied between accounts is not enough.
        """
        if not isinstance(conversation_id, str) or not isinstance(token, str):
            raise chat_error("unknown_conversation", 404)
        buyer_id = self._verified_buyer(buyer_token) if buyer_token is not None else None
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None or not hmac.compare_digest(conversation.token.encode(), token.encode()):
                raise chat_error("unknown_conversation", 404)
            if buyer_token is not None and conversation.buyer_id != buyer_id:
                raise chat_error("unknown_conversation", 404)
            return conversation

    def history(self, conversation_id: str) -> list[dict[str, Any]]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
            ).all()
            return [serialise(m) for m in rows]

    # -- messages ------------------------------------------------------------------------
    def _store_buyer_message(
        self, session: Session, conversation_id: str, body: str, client_id: str | None, payload: str | None
    ) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
        """Store the buyer's message; for a resend, return the stored one and its replies instead."""
        if client_id is not None:
            existing = self._find_by_client_id(session, conversation_id, client_id)
            if existing is not None:
                return existing
        message = Message(
            conversation_id=conversation_id,
            sender=Sender.BUYER,
            text=body,
            payload=payload,
            client_message_id=client_id,
            attachment=None,  # known: serialising it then needs no query
        )
        session.add(message)
        try:
            session.commit()
        except IntegrityError:
            # Two tabs or a double click sent the same client id at once: the other one won.
            session.rollback()
            existing = self._find_by_client_id(session, conversation_id, client_id)
            if existing is None:
                raise
            return existing
        return serialise(message), None

    @staticmethod
    def _find_by_client_id(
        session: Session, conversation_id: str, client_id: str | None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        existing = session.scalars(
            select(Message).where(Message.conversation_id == conversation_id, Message.client_message_id == client_id)
        ).first()
        if existing is None:
            return None
        replies = session.scalars(select(Message).where(Message.reply_to_id == existing.id).order_by(Message.id)).all()
        return serialise(existing), [serialise(r) for r in replies]

    def _store_replies(
        self,
        conversation_id: str,
        reply_to: int,
        sender: str,
        replies: list[BotReply],
        notices: list[BotReply] | None = None,
    ) -> list[dict[str, Any]]:
        """Store the replies to a buyer message; gateway notices (system messages) come first."""
        with self._sessions() as session:
            rows = [
                Message(
                    conversation_id=conversation_id,
                    sender=who,
                    text=r.text,
                    buttons=r.buttons or None,
                    reply_to_id=reply_to,
                    attachment=None,
                )
                for who, batch in ((Sender.SYSTEM, notices or []), (sender, replies))
                for r in batch
            ]
            session.add_all(rows)
            session.commit()
            return [serialise(m) for m in rows]

    async def accept(
        self, conversation: Conversation, raw_text: object, raw_client_id: object, raw_payload: object = None
    ) -> Exchange:
        """Validate and store the buyer's message; a resend comes back with the replies it already got."""
        body = clean_text(raw_text, self.max_chars)
        client_id = clean_client_id(raw_client_id, self._buyer_token_secret)
        payload = clean_payload(raw_payload)
        # Personal data never reaches the database or Rasa (its tracker store): both get the masked text.
        body = mask_field(body, conversation.language)
        if payload is not None:
            payload = clean_payload(mask_field(payload, conversation.language))
        accepted = await run_in_threadpool(self._accept_in_db, conversation.id, body, client_id, payload)
        if accepted.reopened:
            # An agent's conversation left Rasa paused (the handoff action): the bot answers again. If Rasa is
            # down, answer() apologises or hands over, as for any message while Rasa is down.
            with contextlib.suppress(BotUnavailable):
                await self._rasa.resume(conversation.id)
            accepted = await run_in_threadpool(self._store_in_db, conversation.id, body, client_id, payload, None)
        if accepted.exchange.duplicate:
            return accepted.exchange
        if accepted.notices and self.on_ticket_message is not None:
            await self.on_ticket_message(accepted.notices)
        return accepted.exchange

    def _accept_in_db(self, conversation_id: str, body: str, client_id: str | None, payload: str | None) -> _Accepted:
        """A buyer message's database work before the bot, in one session and one worker-thread hop.

        A resend is answered from where it was stored and never reopens anything; otherwise the
        reopen rules decide (api/helpdesk/reopen.py), then the message is stored and added to the
        conversation's open tickets. Only a reopened conversation stops halfway: Rasa must be told
        to answer again before the message is stored (``reopened``).
        """
        with self._sessions() as session:
            if client_id is not None:
                found = self._resent(session, conversation_id, client_id)
                if found is not None:
                    where, (stored, earlier_replies) = found
                    moved = None if where == conversation_id else session.get(Conversation, where)
                    return _Accepted(Exchange(stored, earlier_replies, duplicate=True, moved_to=moved))
            decision = self._desk.reopen(session, conversation_id)
            if decision.action == "reopened":
                return _Accepted(Exchange({}, []), reopened=True)
            moved_to = session.get(Conversation, decision.conversation_id) if decision.action == "new" else None
            target = moved_to.id if moved_to else conversation_id
            return self._store(session, target, body, client_id, payload, moved_to)

    def _store_in_db(
        self, conversation_id: str, body: str, client_id: str | None, payload: str | None, moved_to: Conversation | None
    ) -> _Accepted:
        with self._sessions() as session:
            return self._store(session, conversation_id, body, client_id, payload, moved_to)

    def _store(
        self,
        session: Session,
        conversation_id: str,
        body: str,
        client_id: str | None,
        payload: str | None,
        moved_to: Conversation | None,
    ) -> _Accepted:
        buyer_message, earlier = self._store_buyer_message(session, conversation_id, body, client_id, payload)
        if earlier is not None:
            return _Accepted(Exchange(buyer_message, earlier, duplicate=True, moved_to=moved_to))
        notices = self._desk.add_to_tickets(session, conversation_id, buyer_message["id"], buyer_message["text"])
        return _Accepted(Exchange(buyer_message, [], moved_to=moved_to), notices=notices)

    def _resent(self, session: Session, conversation_id: str, client_id: str):
        """(conversation id, (message, replies)) of an earlier attempt: here, or in the conversation
        it started (a resend after the buyer was moved to a new one)."""
        successors = session.scalars(
            select(Conversation.id).where(Conversation.previous_conversation_id == conversation_id)
        ).all()
        for where in (conversation_id, *successors):
            found = self._find_by_client_id(session, where, client_id)
            if found is not None:
                return where, found
        return None

    def _needs_person(self, conversation_id: str, latest: str, language: str) -> str | None:
        """``buyer_upset`` for insults, ``repeated_problem`` for the same text three times in a row."""
        with self._sessions() as session:
            return self._needs_person_in(session, conversation_id, latest, language)

    def _needs_person_in(self, session: Session, conversation_id: str, latest: str, language: str) -> str | None:
        if self._insulting(latest, language):
            return "buyer_upset"
        recent = session.scalars(
            select(Message.text)
            .where(Message.conversation_id == conversation_id, Message.sender == Sender.BUYER)
            .order_by(Message.id.desc())
            .limit(REPEATS_FOR_PERSON)
        ).all()
        normalised = {" ".join(t.casefold().split()) for t in recent}
        if len(recent) == REPEATS_FOR_PERSON and len(normalised) == 1:
            return "repeated_problem"
        return None

    def _before_bot(self, conversation_id: str, latest: str, language: str) -> tuple[str, str | None]:
        """The conversation's state and, while the bot has it, whether a person should (one worker-thread hop)."""
        with self._sessions() as session:
            state = session.get(Conversation, conversation_id).state
            if state != ConversationState.BOT:
                return state, None
            return state, self._needs_person_in(session, conversation_id, latest, language)

    def _queue_for_person(self, conversation_id: str, reason: str = "bot_unavailable") -> tuple[int, int] | None:
        """Put the buyer in line if an agent can take them now; (place, wait) or None."""
        with self._sessions() as session:
            return self._desk.queue_for_person(session, session.get(Conversation, conversation_id), reason)

    def mark_present(self, conversation_id: str) -> None:
        """A widget socket opened on the conversation: the buyer is there (clears ``buyer_left_at``)."""
        with self._sessions() as session:
            session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.buyer_left_at.is_not(None))
                .values(buyer_left_at=None)
            )
            session.commit()

    def mark_left(self, conversation_id: str) -> None:
        """The buyer's widget socket closed (another tab may still be open: it clears this on its next start)."""
        with self._sessions() as session:
            session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(buyer_left_at=utcnow())
            )
            session.commit()

    def set_language(self, conversation_id: str, language: str) -> Conversation:
        """The buyer switched the widget's language: later gateway texts and bot answers follow."""
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            conversation.language = language
            session.commit()
            return conversation

    async def answer(
        self, conversation: Conversation, buyer_message: dict[str, Any], switch_language: bool = False
    ) -> list[dict[str, Any]]:
        """Ask the bot about a stored buyer message and store what it (or, if it is down, we) said.

        While a person has the conversation (queued or with an agent) the bot is not asked:
        the message is stored for the agent and nothing is answered here.
        """
        notices = privacy_notice(buyer_message, conversation.language)
        state, upset = await run_in_threadpool(
            self._before_bot, conversation.id, buyer_message["text"], conversation.language
        )
        if state != ConversationState.BOT:
            if not notices:
                return []
            return await run_in_threadpool(
                self._store_replies, conversation.id, buyer_message["id"], Sender.SYSTEM, [], notices
            )
        metadata = {
            "language": conversation.language,
            "buyer_id": conversation.buyer_id,
            "market": conversation.market,
            "switch_language": switch_language,
        }
        # Some messages need a person more than a bot: insults, or the same message a third time.
        if upset is not None:
            queued = await run_in_threadpool(self._queue_for_person, conversation.id, upset)
            if queued is not None:
                reply = BotReply(text=text("handover_to_person", conversation.language, position=queued[0]))
                if self.on_queued is not None:
                    await self.on_queued(conversation.id, *queued)
                return await run_in_threadpool(
                    self._store_replies, conversation.id, buyer_message["id"], Sender.SYSTEM, [reply], notices
                )
        try:
            bot_replies = await self._rasa.send(
                conversation.id, buyer_message["payload"] or buyer_message["text"], metadata
            )
            if not bot_replies:
                # Every buyer turn has an answer in our stories; silence means Rasa could not run
                # an action (the action server is down or failing), and a buyer must never be left
                # without a reply.
                raise BotUnavailable("the bot returned no reply")
            sender = Sender.BOT
        except BotUnavailable:
            # The gateway decides this handoff itself: a person if one can take it, else an apology.
            queued = await run_in_threadpool(self._queue_for_person, conversation.id)
            if queued is None:
                bot_replies = [BotReply(text=text("bot_unavailable", conversation.language))]
            else:
                bot_replies = [BotReply(text=text("bot_unavailable_queued", conversation.language, position=queued[0]))]
                if self.on_queued is not None:
                    await self.on_queued(conversation.id, *queued)
            sender = Sender.SYSTEM
        return await run_in_threadpool(
            self._store_replies, conversation.id, buyer_message["id"], sender, bot_replies, notices
        )
