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
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 20.0
    rasa_token: str = Field(default="dev-rasa-token", description="Rasa HTTP API auth token.")
    service_token: str = Field(
        default="dev-service-token",
        description="Shared secret the action server presents to the api's internal endpoints.",
    )
    max_message_chars: int = 2000
    attachments_dir: str = Field(
        default=str(PROJECT_ROOT / "var" / "attachments"),
        description="Where buyer uploads are stored: outside the web root, served only through the api.",
    )
    max_attachment_bytes: int = 5 * 1024 * 1024
    buyer_token_secret: str = Field(
        default="dev-buyer-token-secret",
        description="HS256 key of buyer tokens (the marketplace signs them; the demo page has a dev issuer).",
    )
    allowed_origins: list[str] = Field(default=["*"], description="Origins allowed to embed the widget.")
    default_language: str = "tr"
    demo_seed: int = 20261122
    staffing: Literal["schedule", "always", "never"] = Field(
        default="schedule",
        description="Live agents available per the markets' live_agent_hours; 'always'/'never' for demos and tests.",
    )
    demo_agent_password: str = Field(
        default="demo-agent-2026",
        description="Password of the demo console user 'demo' created by the demo seed (change it anywhere real).",
    )
    escalation_interval_seconds: float = Field(
        default=60.0, description="How often unanswered seller messages are checked against their deadline."
    )
    demo_today: str | None = Field(
        default=None,
        description="ISO date the demo data is generated around; defaults to today.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
