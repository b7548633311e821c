"""The agent console's api: login, presence, queue, claim, transcript, replies, notes,
transfer, resolve, hand back to the bot, canned responses, tickets with SLA clocks, and a
WebSocket for live news. Rules live in api/helpdesk/; this module wires them to HTTP.

Every agent action is audited by the helpdesk rule that performs it (actor
``agent:<username>``); supervisors read the log at ``GET /audit`` and may transfer,
resolve or hand back a colleague's conversation."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.db import get_sessionmaker
from api.deps import SessionDep, client_ip
from api.errors import DomainError, error_responses
from api.gateway.handoff_contract import AgentTypingEvent, StateEvent
from api.gateway.models import Conversation, ConversationState
from api.gateway.service import serialise
from api.helpdesk import access, auth, oversight, queue, views
from api.helpdesk.canned import canned_responses
from api.helpdesk.handback import hand_back
from api.helpdesk.live import (
    CONSOLE,
    agent_channel,
    console_channel,
    end_sessions,
    notice_channel,
    queue_changed,
    session_channel,
)
from api.helpdesk.models import Agent, Presence, TicketStatus
from api.helpdesk.tickets import add_note as add_ticket_note
from api.helpdesk.tickets import change_status
from api.routers.attachments import attachment_service, file_response
from api.security.json_guard import strict_loads
from api.security.pii import mask
from api.sellers.threads_view import threads_for_conversation

router = APIRouter(
    prefix="/api/v1/console", tags=["console"], responses=error_responses(400, 401, 403, 404, 409, 413, 422, 429)
)
page_router = APIRouter(tags=["console"])
STATIC = Path(__file__).resolve().parent.parent / "static"


@page_router.get("/console", include_in_schema=False)
def console_page() -> FileResponse:
    return FileResponse(STATIC / "console.html")


def current_agent(session: SessionDep, authorization: Annotated[str | None, Header()] = None) -> Agent:
    """The agent of the bearer token; 401 ``unauthorized`` otherwise (api/helpdesk/auth.py)."""
    token = authorization.removeprefix("Bearer ").strip() if authorization else None
    return auth.agent_for_token(session, token, utcnow())


AgentDep = Annotated[Agent, Depends(current_agent)]


class LoginIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)


@router.post("/login")
def login(body: LoginIn, session: SessionDep, request: Request) -> dict[str, Any]:
    """401 ``invalid_credentials``; 429 with ``retry_after`` for too many logins from the IP or a locked account."""
    request.app.state.rate_limits.check("login", ip=client_ip(request), catalogue=None)  # staff read codes
    settings = request.app.state.settings
    throttle = auth.LoginThrottle(settings.login_lock_after, settings.login_lock_seconds)
    token, agent = auth.login(session, body.username, body.password, utcnow(), client_ip(request), throttle)
    return {"token": token, "agent": views.agent_view(agent)}


@router.post("/logout", status_code=204)
async def logout(
    agent: AgentDep, session: SessionDep, request: Request, authorization: Annotated[str | None, Header()] = None
) -> Response:
    """Ends the session everywhere: its HTTP token and every console socket opened with it."""
    token = (authorization or "").removeprefix("Bearer ").strip()
    session_id = await run_in_threadpool(auth.logout, session, token, utcnow())
    if session_id is not None:
        await end_sessions(request.app.state.hub, session_channel(session_id), "logout")
    return Response(status_code=204)


@router.get("/me")
def me(agent: AgentDep) -> dict[str, Any]:
    return views.agent_view(agent)


class PresenceIn(BaseModel):
    presence: Presence


@router.put("/presence")
async def set_presence(body: PresenceIn, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    auth.set_presence(session, agent, body.presence)
    await queue_changed(request.app.state.hub)
    return views.agent_view(agent)


@router.get("/queue")
def get_queue(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    return {"queue": views.queue_view(session, agent, utcnow())}


@router.get("/mine")
def mine(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    return {"conversations": views.my_conversations(session, agent, utcnow())}


def detail(session, conversation: Conversation) -> dict[str, Any]:
    """The console's transcript view, with the read-only buyer-seller threads of its orders."""
    now = utcnow()
    return {
        **views.conversation_detail(session, conversation, now),
        "seller_threads": threads_for_conversation(session, conversation, now),
    }


@router.post("/conversations/{conversation_id}/claim")
async def claim(conversation_id: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    conversation = queue.claim(session, conversation_id, agent, utcnow())
    frame = request.app.state.handoff.frame_for(
        StateEvent(type="state", state=ConversationState.WITH_AGENT, agent_name=agent.display_name)
    )
    await request.app.state.hub.publish(conversation.id, frame)
    await queue_changed(request.app.state.hub)
    return detail(session, conversation)


@router.get("/conversations/{conversation_id}")
def get_conversation(conversation_id: str, agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """The transcript, if ``access.may_view`` allows it; every read is audited (conversation.read)."""
    return detail(session, access.read_transcript(session, agent, conversation_id))


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


@router.post("/conversations/{conversation_id}/messages")
async def reply(conversation_id: str, body: TextIn, agent: AgentDep, session: SessionDep, request: Request) -> dict:
    conversation = queue.owned(session, conversation_id, agent)
    text = body.text.replace("\x00", "").strip()
    if not text:
        raise DomainError("empty_message", 422)
    message = serialise(queue.record_agent_message(session, conversation, agent, text, utcnow()))
    await request.app.state.hub.publish(conversation_id, {"type": "message", "message": message})
    await request.app.state.hub.publish(
        console_channel(conversation_id), {"type": "message", "conversation_id": conversation_id, "message": message}
    )
    return message


class TypingIn(BaseModel):
    on: bool


@router.post("/conversations/{conversation_id}/typing", status_code=204)
async def typing(conversation_id: str, body: TypingIn, agent: AgentDep, session: SessionDep, request: Request):
    queue.owned(session, conversation_id, agent)
    frame = request.app.state.handoff.frame_for(
        AgentTypingEvent(type="agent_typing", on=body.on, agent_name=agent.display_name)
    )
    await request.app.state.hub.publish(conversation_id, frame)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/notes", status_code=201)
def add_note(conversation_id: str, body: TextIn, agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """Internal notes live on the conversation's ticket (opened now if there is none yet)."""
    conversation = access.visible_conversation(session, agent, conversation_id)
    # Masked like chat messages: a note may quote what the buyer sent, and notes live as long as the ticket.
    note = add_ticket_note(session, conversation, agent, mask(body.text, conversation.language).text, utcnow())
    return views.note_view(session, note)


class TransferIn(BaseModel):
    language: Literal["tr", "pl"] | None = None
    agent_username: str | None = Field(default=None, max_length=64, description="a colleague instead of the queue")


@router.post("/conversations/{conversation_id}/transfer")
async def transfer(conversation_id: str, body: TransferIn, agent: AgentDep, session: SessionDep, request: Request):
    """The owner (or a supervisor, for a colleague's chat) passes it to someone or back to the line."""
    conversation = queue.owned(session, conversation_id, agent, supervisor_may=True)
    if body.agent_username:
        target = queue.colleague(session, body.agent_username)
        conversation = queue.transfer_to_agent(session, conversation, target, by=agent)
        frame = request.app.state.handoff.frame_for(
            StateEvent(type="state", state=ConversationState.WITH_AGENT, agent_name=target.display_name)
        )
        await request.app.state.hub.publish(conversation_id, frame)
        await queue_changed(request.app.state.hub)
        return {"state": conversation.state, "agent": target.display_name}
    conversation = queue.transfer(session, conversation, utcnow(), body.language, by=agent)
    place = queue.position(session, conversation, utcnow())
    await request.app.state.hub.publish(
        conversation_id,
        {
            "type": "state",
            "state": "queued",
            "position": place,
            "wait_seconds": queue.wait_estimate(session, conversation, place),
        },
    )
    await queue_changed(request.app.state.hub)
    return {"state": conversation.state, "language": conversation.language}


@router.post("/conversations/{conversation_id}/resolve")
async def resolve(conversation_id: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    conversation = queue.owned(session, conversation_id, agent, supervisor_may=True)
    queue.release(session, conversation, ConversationState.RESOLVED, utcnow(), by=agent)
    await request.app.state.hub.publish(conversation_id, {"type": "state", "state": "resolved"})
    await request.app.state.hub.publish(conversation_id, {"type": "csat_request"})
    await queue_changed(request.app.state.hub)
    return {"state": conversation.state}


@router.post("/conversations/{conversation_id}/handback")
async def handback(conversation_id: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    """The bot takes over again: Rasa resumes the paused conversation and asks for a rating."""
    conversation = queue.owned(session, conversation_id, agent, supervisor_may=True)
    queue.release(session, conversation, ConversationState.BOT, utcnow(), by=agent)
    replies = await hand_back(request.app.state, conversation_id)
    await queue_changed(request.app.state.hub)
    return {"state": ConversationState.BOT.value, "bot_replies": replies}


@router.get("/canned")
def canned(agent: AgentDep, lang: Annotated[str, Query(pattern="^(tr|pl)$")] = "tr") -> dict[str, Any]:
    return {"responses": canned_responses(lang)}


@router.get("/tickets")
def tickets(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    return {"tickets": views.open_tickets(session, agent, utcnow())}


class TicketChangeIn(BaseModel):
    status: TicketStatus


@router.patch("/tickets/{reference}")
def change_ticket(reference: str, body: TicketChangeIn, agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """Open, pending (waiting for the buyer) or resolved; tickets of the agent's markets only."""
    ticket = change_status(session, reference, agent, body.status, utcnow())
    return views.ticket_view(ticket, utcnow())


@router.get("/audit")
def audit_log(
    agent: AgentDep,
    session: SessionDep,
    target: Annotated[str | None, Query(max_length=120, description="e.g. conversation:<id>")] = None,
    action: Annotated[str | None, Query(max_length=60, description="e.g. conversation.claim")] = None,
    limit: Annotated[int, Query(ge=1, le=oversight.MAX_AUDIT_ROWS)] = 100,
) -> dict[str, Any]:
    """Supervisors only (403 for agents): who did what to which record, newest first."""
    return {"entries": oversight.audit_view(session, agent, target=target, action=action, limit=limit)}


@router.post("/agents/{username}/remove")
async def remove_agent(username: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    """Supervisors only: the agent's sessions and live sockets end at once, their chats go back in line."""
    auth.require_supervisor(agent)
    if username.strip().lower() == agent.username:
        raise DomainError("cannot_remove_self", 409)
    removed, requeued = await run_in_threadpool(queue.remove_agent, session, username[:64], utcnow(), agent)
    await end_sessions(request.app.state.hub, agent_channel(removed.id), "removed")
    for conversation_id in requeued:
        await request.app.state.hub.publish(conversation_id, {"type": "state", "state": "queued"})
    await queue_changed(request.app.state.hub)
    return {"username": removed.username, "removed": True, "requeued": len(requeued)}


@router.get("/attachments/{attachment_id}")
async def attachment(
    attachment_id: str, request: Request, token: Annotated[str | None, Query(max_length=100)] = None
) -> FileResponse:
    """Evidence images for agents; ``?token=`` because an <img> cannot send a header.

    The same rule as the transcript (``access.may_view``) decides, and the view is audited:
    401 without a live session, 404 ``unknown_attachment`` otherwise.
    """

    def check() -> None:
        with get_sessionmaker()() as session:
            agent = auth.agent_for_token(session, token, utcnow())
            access.visible_attachment(session, agent, attachment_id)

    await run_in_threadpool(check)
    stored = await run_in_threadpool(attachment_service(request).open, None, attachment_id)
    return file_response(stored)


# How often a live console socket re-reads its session: a logout in another api process whose news
# was lost, a removal from the command line, or an expiry all end the socket within this time.
SESSION_RECHECK_SECONDS = 30.0


@router.websocket("/ws")
async def console_socket(ws: WebSocket, token: str | None = None) -> None:
    """Live news for one console: queue changes, and messages of the conversations it watches.

    The socket lives only as long as its session: logout (any process), expiry and the agent's
    removal close it with 4401 after a ``session_ended`` frame. ``watch`` goes through the same
    rule as the HTTP transcript (``access.may_view``) and is audited.
    """

    def who() -> tuple[int, dt.datetime, Agent]:
        with get_sessionmaker()() as session:
            row, agent = auth.session_for_token(session, token, utcnow())
            return row.id, row.expires_at, agent

    try:
        session_id, expires_at, agent = await run_in_threadpool(who)
    except DomainError:  # unauthorized
        await ws.close(code=4401)
        return
    await ws.accept()
    hub = ws.app.state.hub
    ended = asyncio.Event()
    reasons: list[str] = []
    watched: set[str] = set()

    async def end(frame: dict[str, Any]) -> None:
        reasons.append(str(frame.get("reason") or "ended"))
        ended.set()

    def may_watch(conversation_id: str) -> bool:
        with get_sessionmaker()() as session:
            return access.may_watch(session, agent.id, conversation_id)

    async def guard_session() -> None:
        """Close the socket when the session ends: news from the hub, expiry, or a periodic re-check."""

        def valid() -> bool:
            with get_sessionmaker()() as session:
                return auth.session_still_valid(session, session_id, utcnow())

        while not ended.is_set():
            left = (expires_at - utcnow()).total_seconds()
            if left <= 0:
                reasons.append("expired")
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), timeout=min(SESSION_RECHECK_SECONDS, left))
            if ended.is_set():
                break
            if utcnow() >= expires_at:
                reasons.append("expired")
                break
            if not await run_in_threadpool(valid):
                reasons.append("ended")
                break
        stop_listening()  # nothing more reaches a socket whose session is over
        with contextlib.suppress(Exception):
            await ws.send_json({"type": "session_ended", "reason": reasons[0] if reasons else "ended"})
            await ws.close(code=4401)

    def stop_listening() -> None:
        hub.leave(CONSOLE, ws.send_json)
        hub.leave(session_channel(session_id), end)
        hub.leave(agent_channel(agent.id), end)
        hub.leave(notice_channel(agent.id), ws.send_json)
        for channel in watched:
            hub.leave(channel, ws.send_json)

    hub.join(CONSOLE, ws.send_json)
    hub.join(session_channel(session_id), end)
    hub.join(agent_channel(agent.id), end)
    hub.join(notice_channel(agent.id), ws.send_json)  # idle reminders, buyer messages on one's tickets
    guard = asyncio.create_task(guard_session())
    try:
        await ws.send_json({"type": "hello", "agent": agent.display_name})
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            try:
                frame = strict_loads(message.get("text") or "")
            except ValueError:  # bytes, NaN, lone surrogates, not JSON: said, and the socket stays
                await ws.send_json({"type": "error", "code": "invalid_json"})
                continue
            if not (isinstance(frame, dict) and frame.get("type") == "watch"):
                continue
            conversation_id = frame.get("conversation_id")
            if not isinstance(conversation_id, str) or not await run_in_threadpool(may_watch, conversation_id[:64]):
                await ws.send_json({"type": "error", "code": "unknown_conversation"})
                continue
            channel = console_channel(conversation_id[:64])
            if channel not in watched:
                watched.add(channel)
                hub.join(channel, ws.send_json)
    except (WebSocketDisconnect, ValueError, RuntimeError):
        pass
    finally:
        guard.cancel()
        stop_listening()
