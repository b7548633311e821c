"""The FastAPI application: routers, shared clients and start-up wiring."""

from __future__ import annotations

import asyncio
import logging
import sys
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import errors
from api.clock import utcnow
from api.commerce.sql_adapter import SqlCommerce
from api.db import get_sessionmaker
from api.gateway.attachments import AttachmentService
from api.gateway.handoff_contract import HandoffContract
from api.gateway.hub import make_hub
from api.gateway.rasa_client import RasaClient
from api.gateway.service import ChatService
from api.helpdesk import idle
from api.helpdesk.desk import HelpDesk
from api.helpdesk.live import announce_queued, announce_ticket_message
from api.notices import service as notices
from api.privacy.retention import purge
from api.routers import (
    attachments,
    chat,
    console,
    demo,
    faq,
    health,
    internal,
    metrics,
    seller,
    seller_metrics,
    seller_questions,
    support,
)
from api.routers import notices as notice_routes
from api.security import log_redaction, pii, production
from api.security.cors import BuyerCORS
from api.security.forwarded import TrustedProxyHeaders
from api.security.headers import BodySizeLimit, SecurityHeaders
from api.security.json_guard import JsonBodyGuard
from api.security.rate_limits import RateLimits
from api.security.socket_limits import SocketLimits
from api.settings import Settings, get_settings
from api.support.moderation import check as moderation_check
from api.support.seller_contact import escalate_overdue

log = logging.getLogger("marketdesk.api")

STATIC = Path(__file__).resolve().parent / "static"


async def escalate_overdue_seller_messages(interval: float) -> None:
    """Hand unanswered seller messages to platform support when their deadline passes.

    Every api process runs this; the claim in ``escalate_overdue`` keeps it to one ticket each.
    """
    while True:
        await asyncio.sleep(interval)
        try:

            def run() -> list[str]:
                with get_sessionmaker()() as session:
                    return escalate_overdue(session, SqlCommerce(session), utcnow())

            references = await asyncio.to_thread(run)
            if references:
                log.info("escalated %d unanswered seller messages: %s", len(references), references)
        except Exception:  # a database hiccup must not stop the loop for good
            log.exception("seller-message escalation failed")


async def poll_commerce_changes(app: FastAPI, interval: float) -> None:
    """Read the commerce port's change feed and deliver the notices it yields (api/notices/service.py).

    Every api process runs this; the events table stores each event once and a claim keeps it to one notice.
    """
    cursor = 0
    while True:
        await asyncio.sleep(interval)
        try:

            def run(since: int):
                with get_sessionmaker()() as session:
                    return notices.poll_feed(session, SqlCommerce(session), since, utcnow())

            cursor, deliveries = await asyncio.to_thread(run, cursor)
            for delivery in deliveries:
                await app.state.hub.publish(delivery.conversation_id, delivery.frame)
        except Exception:  # a database hiccup must not stop the loop for good
            log.exception("commerce change feed failed")


async def purge_expired_conversations(interval: float) -> None:
    """Delete conversations past the retention period (MD_RETENTION_DAYS), every ``interval`` seconds.

    Every api process runs this; a conversation deleted by one is simply not found by the others.
    """
    while True:
        await asyncio.sleep(interval)
        try:

            def run():
                with get_sessionmaker()() as session:
                    return purge(session)

            report = await asyncio.to_thread(run)
            if report.conversations or report.tracker_note:
                log.info(
                    "retention purge: %d conversations, %d files, %d tracker events%s",
                    report.conversations,
                    report.files,
                    report.tracker_events,
                    f" ({report.tracker_note})" if report.tracker_note else "",
                )
        except Exception:  # a database hiccup must not stop the loop for good
            log.exception("retention purge failed")


async def run_conversation_lifecycle(app: FastAPI, interval: float) -> None:
    """Idle bot conversations close, queued buyers who left become tickets, idle agents are reminded
    (``api.helpdesk.idle``), every ``interval`` seconds. Every api process runs this; each rule claims
    its rows with a conditional update, so one process acts on each."""
    while True:
        await asyncio.sleep(interval)
        try:
            state = app.state
            report = await idle.run_once(get_sessionmaker(), state.rasa, state.hub, state.settings, utcnow())
            if report.closed or report.kept or report.reminders:
                log.info(
                    "life cycle: %d idle closed, %d left the queue (tickets), %d reminders",
                    len(report.closed),
                    len(report.kept),
                    len(report.reminders),
                )
        except Exception:  # a database hiccup must not stop the loop for good
            log.exception("conversation life cycle failed")


def insulting(text: str, language: str) -> bool:
    """The gateway hands an insulting buyer to a person: the moderation rules' ``insult`` reason."""
    return "insult" in moderation_check(text, language)


def hide_from_schema(app: FastAPI, prefix: str) -> None:
    """Leave the paths under ``prefix`` out of the OpenAPI document (they still work for their callers)."""
    full_schema = app.openapi

    def openapi() -> dict:
        schema = full_schema()
        schema["paths"] = {path: ops for path, ops in schema["paths"].items() if not path.startswith(prefix)}
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The api; in production mode (MD_ENVIRONMENT=production) ``UnsafeConfiguration`` if settings are unsafe."""
    settings = settings or get_settings()
    unsafe = production.check(settings)  # raises in production mode; in demo mode, what to warn about
    log_redaction.install()  # no buyer text or tokens from query strings in access logs
    is_production = settings.environment == "production"

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if unsafe:
            log.warning(production.demo_warning(unsafe))
        escalation = asyncio.create_task(escalate_overdue_seller_messages(settings.escalation_interval_seconds))
        retention = asyncio.create_task(purge_expired_conversations(settings.retention_interval_seconds))
        lifecycle = asyncio.create_task(run_conversation_lifecycle(app, settings.lifecycle_interval_seconds))
        feed = asyncio.create_task(poll_commerce_changes(app, settings.notice_poll_seconds))
        # Load the masking tokenizer now, off the event loop, rather than on the first buyer message.
        warm = asyncio.create_task(asyncio.to_thread(pii.warm_up))
        await app.state.hub.start()
        yield
        warm.cancel()
        lifecycle.cancel()
        feed.cancel()
        retention.cancel()
        escalation.cancel()
        await app.state.hub.aclose()
        await app.state.rasa.aclose()

    app = FastAPI(title="marketdesk api", version="0.1.0", lifespan=lifespan)
    errors.install(app)  # every DomainError -> {"detail": {"code", ..., "message"}} with its status
    app.router.redirect_slashes = False  # its redirect was built from the Host header (open redirect): 404
    app.state.settings = settings
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds, settings.rasa_token)
    app.state.chat = ChatService(
        get_sessionmaker(),
        app.state.rasa,
        settings.max_message_chars,
        settings.buyer_token_secret,
        desk=HelpDesk(),
        insulting=insulting,
    )
    app.state.hub = make_hub(settings.hub_url)
    app.state.rate_limits = RateLimits(settings)
    app.state.chat.on_queued = partial(announce_queued, app.state.hub)
    app.state.chat.on_ticket_message = partial(announce_ticket_message, app.state.hub)
    app.state.handoff = HandoffContract(get_sessionmaker())
    app.state.attachments = AttachmentService(
        get_sessionmaker(), settings.attachments_dir, settings.max_attachment_bytes
    )
    app.add_middleware(JsonBodyGuard)  # innermost: NaN, Infinity, lone surrogates -> 400 invalid_json (tr/pl)
    # Innermost first: the body cap inside CORS (a widget can read its 413), security headers outermost.
    app.add_middleware(
        BodySizeLimit, max_request_bytes=settings.max_request_bytes, max_upload_bytes=settings.max_attachment_bytes
    )
    # CORS for the widget's endpoints only: console, internal and demo endpoints stay same-origin.
    app.add_middleware(BuyerCORS, allowed_origins=settings.allowed_origins)
    app.add_middleware(
        SocketLimits, max_frame_bytes=settings.max_request_bytes, max_sockets_per_ip=settings.max_sockets_per_ip
    )
    app.add_middleware(SecurityHeaders, static_dir=STATIC)
    # Outermost: every layer inside sees the real client (and scheme) only as trusted proxies report it.
    app.add_middleware(TrustedProxyHeaders, trusted_proxies=settings.trusted_proxies)
    for module in (health, internal, support, console, metrics, chat, attachments, seller_questions, faq, demo):
        app.include_router(module.router)
    for module in (seller, seller_metrics):  # the seller portal's api, and support's view of answer times
        app.include_router(module.router)
    app.include_router(notice_routes.internal_router)  # the commerce webhook (service token)
    app.include_router(notice_routes.router)  # the buyer's notices switch
    if is_production:  # /docs and /openapi.json describe what the public may call, not the action server's api
        hide_from_schema(app, internal.router.prefix)
    app.include_router(console.page_router)
    app.include_router(seller.page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _app_or_exit() -> FastAPI:
    """The module-level app for ``uvicorn api.main:app``: unsafe production settings end the process
    with one line per problem instead of a traceback."""
    try:
        return create_app()
    except production.UnsafeConfiguration as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


app = _app_or_exit()
