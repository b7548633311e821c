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

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from api.commerce.models import Buyer
from api.db import get_sessionmaker
from api.deps import SessionDep
from api.errors import error_responses
from api.gateway.handoff_contract import AgentTypingEvent, StateEvent
from api.gateway.models import Conversation, ConversationState, utcnow
from api.gateway.service import ChatError, serialise
from api.helpdesk import access, auth, oversight, queue
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
from api.helpdesk.models import Agent, Presence, Ticket, TicketStatus
from api.helpdesk.tickets import TicketError, agent_markets, change_status, sla_state
from api.helpdesk.tickets import add_note as add_ticket_note
from api.routers.attachments import attachment_service, file_response
from api.security.json_guard import strict_loads
from api.security.pii import mask
from api.security.rate_limits import RateLimited
from api.sellers.threads_view import threads_for_conversation

router = APIRouter(
    prefix="/api/v1/console", tags=["console"], responses=error_responses(400, 401, 403, 404, 409, 413, 422, 429)
)
page_router = APIRouter(tags=["console"])
STATIC = Path(__file__).resolve().parent.parent / "static"


@page_router.get("/console", include_in_schema=False)
def console_page() -> FileResponse:
    return FileResponse(STATIC / "console.html")


def _error(code: str, status: int) -> HTTPException:
    return HTTPException(status, detail={"code": code})


def current_agent(session: SessionDep, authorization: Annotated[str | None, Header()] = None) -> Agent:
    token = authorization.removeprefix("Bearer ").strip() if authorization else None
    try:
        return auth.agent_for_token(session, token, utcnow())
    except auth.AuthError as exc:
        raise _error(exc.code, 401) from exc


AgentDep = Annotated[Agent, Depends(current_agent)]


def agent_view(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "username": agent.username,
        "display_name": agent.display_name,
        "languages": agent.languages,
        "skills": agent.skills,
        "capacity": agent.capacity,
        "presence": agent.presence,
        "role": agent.role,
    }


def conversation_row(session, conversation: Conversation, now: dt.datetime) -> dict[str, Any]:
    buyer = session.get(Buyer, conversation.buyer_id) if conversation.buyer_id else None
    return {
        "conversation_id": conversation.id,
        "state": conversation.state,
        "language": conversation.language,
        "market": conversation.market,
        "topic": conversation.topic,
        "reason": conversation.handoff_reason,
        "summary": conversation.handoff_summary,
        "details": conversation.handoff_details or {},
        "priority": conversation.priority,
        "effective_priority": round(queue.effective_priority(conversation, now), 2),
        "wait_seconds": int((now - conversation.queued_at).total_seconds()) if conversation.queued_at else 0,
        "agent_name": conversation.agent_name,
        "buyer": {"id": buyer.id, "name": buyer.name} if buyer else None,
        "accessibility": bool(buyer and buyer.accessibility_needs),
        # Life cycle (api/helpdesk/reopen.py, idle.py): the earlier conversation this one continues, reopenings.
        "previous_conversation_id": conversation.previous_conversation_id,
        "reopen_count": conversation.reopen_count or 0,
        "returning": conversation.preferred_agent_id is not None or bool(conversation.reopen_count),
        "closed_reason": conversation.closed_reason,
        "abandoned_form": conversation.abandoned_form,
    }


def ticket_view(ticket: Ticket, now: dt.datetime) -> dict[str, Any]:
    sla = sla_state(ticket, now)
    return {
        "reference": ticket.reference,
        "topic": ticket.topic,
        "status": ticket.status,
        "priority": ticket.priority,
        "order_number": ticket.order_number,
        "conversation_id": ticket.conversation_id,
        "summary": ticket.summary,
        "first_response_due": sla.first_response.due,
        "resolution_due": sla.resolution.due,
        "breached": {"first_response": sla.first_response.breached, "resolution": sla.resolution.breached},
        "business_hours_left": sla.resolution.business_hours_left,
    }


class LoginIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _forbidden(exc: auth.AuthError) -> HTTPException:
    return _error(exc.code, 403)


@router.post("/login")
def login(body: LoginIn, session: SessionDep, request: Request) -> dict[str, Any]:
    try:
        request.app.state.rate_limits.check("login", ip=_client_ip(request))
    except RateLimited as exc:
        detail = {"code": exc.code, "retry_after": exc.retry_after}
        raise HTTPException(429, detail=detail, headers={"Retry-After": str(exc.retry_after)}) from exc
    settings = request.app.state.settings
    throttle = auth.LoginThrottle(settings.login_lock_after, settings.login_lock_seconds)
    try:
        token, agent = auth.login(session, body.username, body.password, utcnow(), _client_ip(request), throttle)
    except auth.AuthError as exc:
        if exc.retry_after is not None:  # account_locked: too many failures in a row for this account
            detail = {"code": exc.code, "retry_after": exc.retry_after}
            raise HTTPException(429, detail=detail, headers={"Retry-After": str(exc.retry_after)}) from exc
        raise _error(exc.code, 401) from exc
    return {"token": token, "agent": agent_view(agent)}


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
    return agent_view(agent)


class PresenceIn(BaseModel):
    presence: Presence


@router.put("/presence")
async def set_presence(body: PresenceIn, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    auth.set_presence(session, agent, body.presence)
    await queue_changed(request.app.state.hub)
    return agent_view(agent)


@router.get("/queue")
def get_queue(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    now = utcnow()
    rows = queue.queued(session, agent.languages, now, agent.skills, agent_id=agent.id)
    return {"queue": [conversation_row(session, c, now) for c in rows]}


@router.get("/mine")
def mine(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    now = utcnow()
    rows = session.scalars(
        select(Conversation).where(
            Conversation.agent_id == agent.id, Conversation.state == ConversationState.WITH_AGENT
        )
    ).all()
    return {"conversations": [conversation_row(session, c, now) for c in rows]}


def _queue_error(exc: queue.QueueError) -> HTTPException:
    return _error(exc.code, exc.status)


def detail(session, conversation: Conversation) -> dict[str, Any]:
    now = utcnow()
    tickets = session.scalars(select(Ticket).where(Ticket.conversation_id == conversation.id)).all()
    notes = [
        {"author": n.author, "text": n.text, "created_at": n.created_at, "ticket": t.reference}
        for t in tickets
        for n in t.notes
    ]
    return {
        "conversation": conversation_row(session, conversation, now),
        "messages": [serialise(m) for m in conversation.messages],
        "tickets": [ticket_view(t, now) for t in tickets],
        "notes": notes,
        # Read-only: the buyer-seller threads of the orders this conversation is about.
        "seller_threads": threads_for_conversation(session, conversation, now),
    }


@router.post("/conversations/{conversation_id}/claim")
async def claim(conversation_id: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    try:
        conversation = queue.claim(session, conversation_id, agent, utcnow())
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    frame = request.app.state.handoff.frame_for(
        StateEvent(type="state", state=ConversationState.WITH_AGENT, agent_name=agent.display_name)
    )
    await request.app.state.hub.publish(conversation.id, frame)
    await queue_changed(request.app.state.hub)
    return detail(session, conversation)


@router.get("/conversations/{conversation_id}")
def get_conversation(conversation_id: str, agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """The transcript, if ``access.may_view`` allows it; every read is audited (conversation.read)."""
    try:
        conversation = access.read_transcript(session, agent, conversation_id)
    except access.NotVisible as exc:
        raise _error(exc.code, 404) from exc
    return detail(session, conversation)


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


@router.post("/conversations/{conversation_id}/messages")
async def reply(conversation_id: str, body: TextIn, agent: AgentDep, session: SessionDep, request: Request) -> dict:
    try:
        conversation = queue.owned(session, conversation_id, agent)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    text = body.text.replace("\x00", "").strip()
    if not text:
        raise _error("empty_message", 422)
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
    try:
        queue.owned(session, conversation_id, agent)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    frame = request.app.state.handoff.frame_for(
        AgentTypingEvent(type="agent_typing", on=body.on, agent_name=agent.display_name)
    )
    await request.app.state.hub.publish(conversation_id, frame)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/notes", status_code=201)
def add_note(conversation_id: str, body: TextIn, agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """Internal notes live on the conversation's ticket (opened now if there is none yet)."""
    try:
        conversation = access.visible_conversation(session, agent, conversation_id)
    except access.NotVisible as exc:
        raise _error(exc.code, 404) from exc
    # Masked like chat messages: a note may quote what the buyer sent, and notes live as long as the ticket.
    note = add_ticket_note(session, conversation, agent, mask(body.text, conversation.language).text, utcnow())
    ticket = session.get(Ticket, note.ticket_id)
    return {"author": note.author, "text": note.text, "created_at": note.created_at, "ticket": ticket.reference}


class TransferIn(BaseModel):
    language: Literal["tr", "pl"] | None = None
    agent_username: str | None = Field(default=None, max_length=64, description="a colleague instead of the queue")


@router.post("/conversations/{conversation_id}/transfer")
async def transfer(conversation_id: str, body: TransferIn, agent: AgentDep, session: SessionDep, request: Request):
    """The owner (or a supervisor, for a colleague's chat) passes it to someone or back to the line."""
    try:
        conversation = queue.owned(session, conversation_id, agent, supervisor_may=True)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    if body.agent_username:
        target = session.scalars(select(Agent).where(Agent.username == body.agent_username.strip().lower())).first()
        if target is None:
            raise _error("unknown_agent", 404)
        try:
            conversation = queue.transfer_to_agent(session, conversation, target, by=agent)
        except queue.QueueError as exc:
            raise _queue_error(exc) from exc
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
    try:
        conversation = queue.owned(session, conversation_id, agent, supervisor_may=True)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    queue.release(session, conversation, ConversationState.RESOLVED, utcnow(), by=agent)
    await request.app.state.hub.publish(conversation_id, {"type": "state", "state": "resolved"})
    await request.app.state.hub.publish(conversation_id, {"type": "csat_request"})
    await queue_changed(request.app.state.hub)
    return {"state": conversation.state}


@router.post("/conversations/{conversation_id}/handback")
async def handback(conversation_id: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    """The bot takes over again: Rasa resumes the paused conversation and asks for a rating."""
    try:
        conversation = queue.owned(session, conversation_id, agent, supervisor_may=True)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    queue.release(session, conversation, ConversationState.BOT, utcnow(), by=agent)
    replies = await hand_back(request.app.state, conversation_id)
    await queue_changed(request.app.state.hub)
    return {"state": ConversationState.BOT.value, "bot_replies": replies}


@router.get("/canned")
def canned(agent: AgentDep, lang: Annotated[str, Query(pattern="^(tr|pl)$")] = "tr") -> dict[str, Any]:
    return {"responses": canned_responses(lang)}


@router.get("/tickets")
def tickets(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    now = utcnow()
    rows = session.scalars(
        select(Ticket)
        .where(Ticket.status != "resolved", Ticket.market.in_(agent_markets(agent)))
        .order_by(Ticket.resolution_due)
        .limit(200)
    ).all()
    return {"tickets": [ticket_view(t, now) for t in rows]}


class TicketChangeIn(BaseModel):
    status: TicketStatus


@router.patch("/tickets/{reference}")
def change_ticket(reference: str, body: TicketChangeIn, agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """Open, pending (waiting for the buyer) or resolved; tickets of the agent's markets only."""
    try:
        ticket = change_status(session, reference, agent, body.status, utcnow())
    except TicketError as exc:
        raise _error(exc.code, exc.status) from exc
    return ticket_view(ticket, utcnow())


@router.get("/audit")
def audit_log(
    agent: AgentDep,
    session: SessionDep,
    target: Annotated[str | None, Query(max_length=120, description="e.g. conversation:<id>")] = None,
    action: Annotated[str | None, Query(max_length=60, description="e.g. conversation.claim")] = None,
    limit: Annotated[int, Query(ge=1, le=oversight.MAX_AUDIT_ROWS)] = 100,
) -> dict[str, Any]:
    """Supervisors only (403 for agents): who did what to which record, newest first."""
    try:
        rows = oversight.audit_view(session, agent, target=target, action=action, limit=limit)
    except auth.AuthError as exc:
        raise _forbidden(exc) from exc
    return {"entries": rows}


@router.post("/agents/{username}/remove")
async def remove_agent(username: str, agent: AgentDep, session: SessionDep, request: Request) -> dict[str, Any]:
    """Supervisors only: the agent's sessions and live sockets end at once, their chats go back in line."""
    try:
        auth.require_supervisor(agent)
    except auth.AuthError as exc:
        raise _forbidden(exc) from exc
    if username.strip().lower() == agent.username:
        raise _error("cannot_remove_self", 409)
    try:
        removed, requeued = await run_in_threadpool(queue.remove_agent, session, username[:64], utcnow(), agent)
    except auth.AuthError as exc:
        raise _error(exc.code, 404) from exc
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

    The same rule as the transcript (``access.may_view``) decides, and the view is audited.
    """

    def check() -> None:
        with get_sessionmaker()() as session:
            agent = auth.agent_for_token(session, token, utcnow())
            access.visible_attachment(session, agent, attachment_id)

    try:
        await run_in_threadpool(check)
        stored = await run_in_threadpool(attachment_service(request).open, None, attachment_id)
    except auth.AuthError as exc:
        raise _error(exc.code, 401) from exc
    except access.NotVisible as exc:
        raise _error("unknown_attachment", 404) from exc
    except ChatError as exc:
        raise _error(exc.code, 404) from exc
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
    except auth.AuthError:
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
            current = session.get(Agent, agent.id)
            try:
                access.read_transcript(session, current, conversation_id, via="websocket")
            except access.NotVisible:
                return False
            return True

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
