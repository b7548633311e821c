"""Settings read from the environment (prefix ``MD_``) with safe local defaults.

Everything that differs between a laptop and production (database URLs, Rasa's
address, tokens) lives here so the same code runs embedded or scaled out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MD_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'marketdesk.db'}",
        description="SQLAlchemy URL of the app database (SQLite file or PostgreSQL).",
    )
    db_pool_size: int = Field(
        default=20, ge=1, description="PostgreSQL connections kept open per api process (SQLite opens one per session)."
    )
    db_max_overflow: int = Field(
        default=100,
        ge=0,
        description=(
            "Extra PostgreSQL connections per api process under bursts. A request holds its connection "
            "until its response is written, which needs a worker thread: with a small cap, 100 "
            "simultaneous requests waited 30 s on each other (found by make bench). Keep "
            "processes x (pool + overflow) below the server's max_connections."
        ),
    )
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 20.0
    rasa_token: str = Field(default="dev-rasa-token", description="Rasa HTTP API auth token.")
    service_token: str = Field(
        default="dev-service-token",
        description="Shared secret the action server presents to the api's internal endpoints.",
    )
    max_message_chars: int = Field(default=2000, description="Longest buyer message, in characters.")
    attachments_dir: str = Field(
        default=str(PROJECT_ROOT / "var" / "attachments"),
        description="Where buyer uploads are stored: outside the web root, served only through the api.",
    )
    max_attachment_bytes: int = Field(default=5 * 1024 * 1024, description="Largest buyer upload, in bytes.")
    buyer_token_secret: str = Field(
        default="dev-buyer-token-secret",
        description="HS256 key of buyer tokens (the marketplace signs them; the demo page has a dev issuer).",
    )
    allowed_origins: list[str] = Field(
        default=["*"],
        description=(
            "Origins of the shop pages that embed the widget (CORS for the buyer endpoints, and the WebSocket's "
            "Origin check). '*' (the demo default) lets any page embed it; production lists the shops, e.g. "
            "MD_ALLOWED_ORIGINS='[\"https://shop.example\"]'. Console and internal endpoints are never cross-origin."
        ),
    )
    hub_url: str = Field(
        default="",
        description="Live delivery between api processes: '' keeps it in-process (one api process, the default); "
        "a Redis URL (e.g. redis://127.0.0.1:6380/0) fans agent messages and queue updates out over Redis pub/sub "
        "so every api process's sockets get them.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live (a `limits` storage URI): memory:// for one process, "
        "redis://host:6379 when several api processes must share them.",
    )
    rate_limit_messages_per_conversation: str = Field(
        default="20/minute;300/hour",
        description="Buyer messages one conversation may send (moving window; `limits` notation, ';' for several).",
    )
    rate_limit_messages_per_ip: str = Field(
        default="120/minute",
        description="Buyer messages from one IP address, all conversations together (generous: carrier NAT).",
    )
    rate_limit_starts_per_ip: str = Field(
        default="20/minute;300/hour",
        description="New conversations one IP address may start (resumes are not counted).",
    )
    rate_limit_uploads_per_conversation: str = Field(
        default="5/minute;30/hour", description="Attachments one conversation may upload."
    )
    rate_limit_uploads_per_ip: str = Field(default="30/minute", description="Attachments from one IP address.")
    rate_limit_faq_per_ip: str = Field(default="60/minute", description="FAQ searches from one IP address.")
    rate_limit_logins_per_ip: str = Field(
        default="10/minute;50/hour", description="Console login attempts from one IP address (password guessing)."
    )
    max_request_bytes: int = Field(
        default=1024 * 1024,
        description="Largest request body outside uploads; uploads may be max_attachment_bytes plus form overhead.",
    )
    default_language: str = "tr"
    demo_seed: int = 20261122
    demo_sign_in: bool = Field(
        default=True,
        description="The demo page's stand-in for the marketplace's sign-in: /api/v1/demo/buyers lists buyers and "
        "/api/v1/demo/buyer-token signs anyone in as any of them. Set MD_DEMO_SIGN_IN=false anywhere real.",
    )
    staffing: Literal["schedule", "always", "never"] = Field(
        default="schedule",
        description="Live agents available per the markets' live_agent_hours; 'always'/'never' for demos and tests.",
    )
    demo_agent_password: str = Field(
        default="demo-agent-2026",
        description="Password of the demo console user 'demo' created by the demo seed (change it anywhere real).",
    )
    demo_seller_password: str = Field(
        default="demo-seller-2026",
        description="Password of the demo seller portal users 'satici' (TR) and 'sprzedawca' (PL) created by the "
        "demo seed (change it anywhere real; production refuses the default).",
    )
    escalation_interval_seconds: float = Field(
        default=60.0, description="How often unanswered seller messages are checked against their deadline."
    )
    notice_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often each api process reads the commerce port's change feed and turns new order events "
        "into buyer notices (api/notices/service.py); webhook events are processed on receipt.",
    )
    reopen_window_hours: float = Field(
        default=24.0,
        gt=0,
        description="A buyer message this many hours after a conversation was resolved reopens it (back to the bot, "
        "same conversation); later, a new conversation linked to the old one (previous_conversation_id).",
    )
    reopen_preferred_agent_seconds: float = Field(
        default=120.0,
        ge=0,
        description="A buyer who asks for a person again within the reopen window is offered first to the previous "
        "agent (if online with a free seat) for this long; other agents see and may claim it afterwards.",
    )
    reopen_priority_bonus: int = Field(
        default=10, ge=0, description="Base-priority points for a returning buyer (front of the queue)."
    )
    bot_idle_minutes: float = Field(
        default=30.0,
        gt=0,
        description="A bot conversation with no buyer message for this long is closed with a short closing message "
        "(a form left half-way is recorded as abandoned).",
    )
    queue_left_minutes: float = Field(
        default=10.0,
        gt=0,
        description="A queued buyer whose widget has been gone this long (business minutes of the market's "
        "calendar) is not dropped: the conversation becomes a ticket with the transcript.",
    )
    agent_idle_remind_minutes: float = Field(
        default=10.0, gt=0, description="An agent conversation with no message for this long reminds the agent."
    )
    agent_idle_escalate_minutes: float = Field(
        default=10.0,
        gt=0,
        description="Still no message this long after the agent's reminder: the supervisors are reminded.",
    )
    lifecycle_interval_seconds: float = Field(
        default=60.0, gt=0, description="How often each api process runs the idle and reminder rules."
    )
    retention_days: int = Field(
        default=365,
        ge=1,
        description="Conversations (messages, attachments and their files, Rasa tracker events) are deleted this "
        "many days after their last activity (KVKK/GDPR storage limitation); tickets, returns and orders stay.",
    )
    retention_interval_seconds: float = Field(
        default=6 * 3600, description="How often each api process runs the retention purge (one audit row per run)."
    )
    tracker_dialect: str = Field(
        default="sqlite",
        description="Rasa's SQL tracker store as bot/endpoints.yml gets it; erasure and retention delete events there.",
    )
    tracker_db: str = Field(
        default="var/rasa_tracker.db", description="Tracker store database (SQLite: a file, relative to the project)."
    )
    tracker_url: str = Field(default="", description="Full tracker store URL (PostgreSQL); overrides dialect and db.")
    environment: Literal["demo", "production"] = Field(
        default="demo",
        description="'demo' (make run: development secrets allowed, a loud warning at start) or 'production': "
        "the api refuses to start while a secret is a known default or shorter than 32 characters, demo sign-in is "
        "on, or the allowed origins are '*'; /docs and /openapi.json then leave out the internal endpoints.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of the reverse proxies in front of the api. Only a request whose "
        "peer is one of them may name the client in X-Forwarded-For / X-Forwarded-Proto; from anyone else those "
        "headers are ignored (rate limits and the audit log see the real peer). The scaled profile's nginx: "
        "MD_TRUSTED_PROXIES='[\"127.0.0.1\"]'.",
    )
    max_sockets_per_ip: int = Field(
        default=20, ge=1, description="Open WebSockets (widget and console) one client IP may hold per api process."
    )
    metrics_token: str = Field(
        default="",
        description="If set, GET /metrics and the support metrics need 'Authorization: Bearer <token>' (a "
        "Prometheus bearer_token); '' leaves them open, they carry aggregates only.",
    )
    login_lock_after: int = Field(
        default=5, ge=1, description="Failed console logins in a row after which the account is locked for a while."
    )
    login_lock_seconds: int = Field(
        default=60,
        ge=1,
        description="First lock of an account after login_lock_after failures; each further failure while the "
        "account stays suspect doubles it, up to 15 minutes. A correct password after the lock resets it.",
    )
    demo_today: str | None = Field(
        default=None,
        description="ISO date the demo data is generated around; defaults to today.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
