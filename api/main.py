"""The FastAPI application: routers, shared clients and start-up wiring."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.db import get_sessionmaker
from api.gateway.rasa_client import RasaClient
from api.gateway.service import ChatService
from api.routers import chat, demo, health, internal
from api.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await app.state.rasa.aclose()

    app = FastAPI(title="marketdesk api", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds, settings.rasa_token)
    app.state.chat = ChatService(get_sessionmaker(), app.state.rasa, settings.max_message_chars)
    for module in (health, internal, chat, demo):
        app.include_router(module.router)
    return app


app = create_app()
