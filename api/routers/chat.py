"""The buyer's chat: a WebSocket for the widget and an HTTP fallback with the same rules.

WebSocket frames (JSON text):
  -> {"type": "start", "language": "tr"|"pl", "buyer_token"?: JWT}   (no token: anonymous)
  -> {"type": "start", "conversation_id": str, "token": str, "buyer_token"?: JWT}   (resume)
  <- {"type": "session", "conversation": {...}, "history": [...]}
  -> {"type": "message", "text": str, "client_message_id"?: str, "payload"?: "/intent{...}"}
  <- {"type": "ack", "message": {...}, "duplicate": bool}
  <- {"type": "typing", "on": true}                                    (the bot is thinking)
  <- {"type": "message", "message": {...}}                             (one per reply)
  <- {"type": "typing", "on": false}                                   (all replies sent)
  -> {"type": "csat", "score": 1..5}  <- {"type": "csat_saved", "score": n}
  <- {"type": "state" | "agent_typing" | "csat_request", ...}          (from the human side)
  <- {"type": "error", "code": str, "message": str}                    (connection stays open)
     rate-limited (too_many_messages, too_many_starts) also carry "retry_after" (seconds) and the
     refused message's "client_message_id": it was not stored, the client resends it later.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import ChatDep, RateLimitsDep, conversation_by_token, rate_limit
from api.errors import DomainError, error_responses, reply_in
from api.gateway.handoff_contract import HandoffContract
from api.gateway.hub import Hub
from api.gateway.models import Conversation
from api.gateway.service import ChatService, Exchange, chat_error, conversation_info
from api.gateway.texts import text
from api.helpdesk.live import buyer_said
from api.security.headers import websocket_origin_allowed
from api.security.json_guard import strict_loads
from api.security.rate_limits import RateLimits

router = APIRouter(prefix="/api/v1", tags=["chat"], responses=error_responses(400, 404, 413, 422, 429))


class StartIn(BaseModel):
    language: str = Field(description="tr or pl")
    buyer_token: str | None = Field(default=None, description="Signed buyer token (JWT) from the marketplace.")
    buyer_id: str | None = Field(
        default=None,
        description="Never signs anyone in: without buyer_token it is refused (buyer_token_required); "
        "with one it must name the token's buyer (buyer_token_mismatch).",
    )


class MessageIn(BaseModel):
    text: str = Field(description="What the buyer typed, or the title of the button they clicked.")
    client_message_id: str | None = Field(default=None, description="Client-chosen id; a resend is stored once.")
    payload: str | None = Field(default=None, description="The clicked button's payload, sent to the bot.")


@router.post("/conversations", status_code=201)
async def start_conversation(body: StartIn, request: Request, chat: ChatDep, limits: RateLimitsDep) -> dict[str, Any]:
    reply_in(request, body.language)
    await rate_limit(limits, "start", request)
    conversation = await run_in_threadpool(chat.start, body.language, body.buyer_id, body.buyer_token)
    return conversation_info(conversation)


@router.get("/conversations/{conversation_id}/messages")
async def get_messages(
    conversation_id: str, chat: ChatDep, x_conversation_token: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token)
    return {"conversation": conversation_info(conversation), "messages": chat.history(conversation.id)}


@router.post("/conversations/{conversation_id}/messages")
async def post_message(
    conversation_id: str,
    body: MessageIn,
    request: Request,
    chat: ChatDep,
    limits: RateLimitsDep,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token, request)
    await rate_limit(limits, "message", request, conversation.id)
    exchange = await chat.accept(conversation, body.text, body.client_message_id, body.payload)
    moved_to = exchange.moved_to  # resolved too long ago: the message started a new, linked conversation
    conversation = moved_to or conversation
    if not exchange.duplicate:
        await buyer_said(request.app.state.hub, conversation.id, exchange.buyer_message)
    if not (exchange.duplicate and exchange.replies):
        # A resend whose first attempt died before the bot answered is answered now.
        exchange = Exchange(
            exchange.buyer_message, await chat.answer(conversation, exchange.buyer_message), exchange.duplicate
        )
    body = {"message": exchange.buyer_message, "replies": exchange.replies, "duplicate": exchange.duplicate}
    if moved_to is not None:
        body["conversation"] = conversation_info(moved_to)  # the client continues there (id and token)
    return body


class _Socket:
    """One widget connection: parses frames, keeps the conversation, answers errors in its language."""

    def __init__(
        self, ws: WebSocket, chat: ChatService, hub: Hub, handoff: HandoffContract, limits: RateLimits
    ) -> None:
        self.ws = ws
        self.chat = chat
        self.limits = limits
        self.hub = hub
        self.handoff = handoff
        self.conversation: Conversation | None = None
        self.language = "tr"
        # Set when the buyer switched the widget's language; the next message tells the bot.
        self.language_switched = False
        self.current_client_id: object = None

    async def error(self, exc: DomainError) -> None:
        """The refusal as an error frame in the socket's language (rate limits carry ``retry_after``)."""
        frame = {"type": "error", **exc.detail(self.language)}
        if isinstance(self.current_client_id, str):
            frame["client_message_id"] = self.current_client_id
        await self.ws.send_json(frame)

    async def on_start(self, frame: dict[str, Any]) -> None:
        if isinstance(frame.get("language"), str) and frame["language"] in ("tr", "pl"):
            self.language = frame["language"]
        if frame.get("conversation_id") is not None:
            conversation = await run_in_threadpool(
                self.chat.resume, frame["conversation_id"], frame.get("token"), frame.get("buyer_token")
            )
            if frame.get("language") in ("tr", "pl") and frame["language"] != conversation.language:
                conversation = await run_in_threadpool(self.chat.set_language, conversation.id, frame["language"])
                self.language_switched = True
        else:
            await rate_limit(self.limits, "start", self.ws)
            conversation = await run_in_threadpool(
                self.chat.start, frame.get("language"), frame.get("buyer_id"), frame.get("buyer_token")
            )
        if self.conversation is not None:
            self.hub.leave(self.conversation.id, self.ws.send_json)
        self.conversation = conversation
        self.hub.join(conversation.id, self.ws.send_json)
        self.language = conversation.language
        await run_in_threadpool(self.chat.mark_present, conversation.id)
        history = await run_in_threadpool(self.chat.history, conversation.id)
        await self.ws.send_json(
            {"type": "session", "conversation": conversation_info(conversation), "history": history}
        )

    async def on_message(self, frame: dict[str, Any]) -> None:
        if self.conversation is None:
            raise chat_error("no_session")
        await rate_limit(self.limits, "message", self.ws, self.conversation.id)
        exchange = await self.chat.accept(
            self.conversation, frame.get("text"), frame.get("client_message_id"), frame.get("payload")
        )
        replies = exchange.replies
        moved_to = exchange.moved_to
        if moved_to is not None:  # resolved too long ago: the message started a new, linked conversation
            self.hub.leave(self.conversation.id, self.ws.send_json)
            self.conversation = moved_to
            self.hub.join(moved_to.id, self.ws.send_json)
        if not exchange.duplicate:
            await buyer_said(self.hub, self.conversation.id, exchange.buyer_message)
        # The bot is asked even if this socket dies meanwhile, so a resend finds the answer stored.
        answering = None
        if not exchange.duplicate or not replies:
            answering = asyncio.create_task(
                self.chat.answer(self.conversation, exchange.buyer_message, switch_language=self.language_switched)
            )
            self.language_switched = False
        await self.ws.send_json({"type": "ack", "message": exchange.buyer_message, "duplicate": exchange.duplicate})
        if answering is not None:
            await self.ws.send_json({"type": "typing", "on": True})
            replies = await asyncio.shield(answering)
        for reply in replies:
            await self.ws.send_json({"type": "message", "message": reply})
        await self.ws.send_json({"type": "typing", "on": False})
        if moved_to is not None:  # the widget keeps the new id and token and shows the new history
            history = await run_in_threadpool(self.chat.history, moved_to.id)
            await self.ws.send_json(
                {"type": "session", "conversation": conversation_info(moved_to), "history": history}
            )

    async def on_csat(self, frame: dict[str, Any]) -> None:
        if self.conversation is None:
            raise chat_error("no_session")
        score = await run_in_threadpool(self.handoff.rate, self.conversation.id, frame.get("score"))
        await self.ws.send_json({"type": "csat_saved", "score": score})

    def close(self) -> None:
        if self.conversation is not None:
            self.hub.leave(self.conversation.id, self.ws.send_json)

    async def left(self) -> None:
        """The buyer's socket closed: a queued buyer who does not come back becomes a ticket (idle.py)."""
        if self.conversation is not None:
            with contextlib.suppress(Exception):  # a closing socket must not raise
                await run_in_threadpool(self.chat.mark_left, self.conversation.id)

    async def dispatch(self, raw: dict[str, Any]) -> None:
        if raw.get("bytes") is not None:
            raise chat_error("invalid_frame")
        try:
            frame = strict_loads(raw.get("text") or "")  # no NaN, Infinity or lone surrogates
        except ValueError as exc:
            raise chat_error("invalid_json") from exc
        if not isinstance(frame, dict):
            raise chat_error("invalid_frame")
        handlers = {"start": self.on_start, "message": self.on_message, "csat": self.on_csat}
        handler = handlers.get(frame.get("type"))  # type: ignore[arg-type]
        if handler is None:
            raise chat_error("invalid_frame")
        self.current_client_id = frame.get("client_message_id")
        await handler(frame)


@router.websocket("/chat/ws")
async def chat_socket(ws: WebSocket) -> None:
    await ws.accept()
    if not websocket_origin_allowed(ws.headers, ws.app.state.settings.allowed_origins):
        language = ws.query_params.get("lang", "tr")
        await ws.send_json(
            {"type": "error", "code": "origin_not_allowed", "message": text("origin_not_allowed", language)}
        )
        await ws.close(code=4403)
        return
    socket = _Socket(ws, ws.app.state.chat, ws.app.state.hub, ws.app.state.handoff, ws.app.state.rate_limits)
    try:
        while True:
            raw = await ws.receive()
            if raw["type"] == "websocket.disconnect":
                return
            try:
                await socket.dispatch(raw)
            except DomainError as exc:
                await socket.error(exc)
    except WebSocketDisconnect:
        return
    finally:
        socket.close()
        await socket.left()
