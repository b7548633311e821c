"""Talks to Rasa's REST channel. Any failure becomes ``BotUnavailable``, never a hang.

Text leaves the api here, so it is masked here once more (``mask_field`` is idempotent):
callers mask what they store, and this keeps a new caller from sending personal data to
Rasa's NLU and tracker store by forgetting to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from api.security.pii import mask_field


class BotUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def _parse(reply: dict[str, Any]) -> BotReply | None:
    text = reply.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in reply.get("buttons") or []
        if isinstance(b, dict)
    ]
    return BotReply(text=text, buttons=buttons)


class RasaClient:
    def __init__(self, base_url: str, timeout: float, token: str) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._token = token
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        return self._client

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        try:
            response = await self._http().post(
                f"{self._base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": mask_field(text, metadata.get("language")), "metadata": metadata},
            )
            response.raise_for_status()
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(str(exc)) from exc
        if not isinstance(payload, list):
            raise BotUnavailable(f"unexpected reply shape: {type(payload).__name__}")
        return [r for r in (_parse(item) for item in payload if isinstance(item, dict)) if r]

    async def parse(self, text: str, language: str | None = None) -> dict[str, Any]:
        """Rasa's NLU only (intent ranking and response selector), no dialogue state touched."""
        try:
            response = await self._http().post(
                f"{self._base_url}/model/parse",
                params={"token": self._token},
                json={"text": mask_field(text, language)},
            )
            response.raise_for_status()
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(str(exc)) from exc
        if not isinstance(payload, dict):
            raise BotUnavailable("unexpected parse shape")
        return payload

    async def resume(self, sender: str) -> None:
        """Un-pause a conversation the handoff action paused (ConversationPaused)."""
        try:
            response = await self._http().post(
                f"{self._base_url}/conversations/{sender}/tracker/events",
                params={"token": self._token},
                # The paused tracker ends with the handoff action; listening again lets rules that
                # start with a user intent (external_handback) apply.
                json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}],
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise BotUnavailable(str(exc)) from exc

    async def trigger_intent(self, sender: str, intent: str) -> list[BotReply]:
        """Make the bot act as if the buyer had expressed ``intent``; returns what it said."""
        try:
            response = await self._http().post(
                f"{self._base_url}/conversations/{sender}/trigger_intent",
                params={"token": self._token},
                json={"name": intent, "entities": {}},
            )
            response.raise_for_status()
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(str(exc)) from exc
        messages = payload.get("messages") if isinstance(payload, dict) else None
        return [r for r in (_parse(m) for m in messages or [] if isinstance(m, dict)) if r]

    async def active_form(self, sender: str) -> dict[str, str | None] | None:
        """The form the bot is in the middle of (Rasa's ``active_loop`` and ``requested_slot``), else None.

        Read from the tracker (``GET /conversations/{id}/tracker``) when an idle conversation closes.
        """
        try:
            response = await self._http().get(
                f"{self._base_url}/conversations/{sender}/tracker",
                params={"token": self._token, "include_events": "NONE"},
            )
            response.raise_for_status()
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(str(exc)) from exc
        loop = (payload.get("active_loop") or {}) if isinstance(payload, dict) else {}
        name = loop.get("name") if isinstance(loop, dict) else None
        if not isinstance(name, str) or not name:
            return None
        slot = (payload.get("slots") or {}).get("requested_slot")
        return {"form": name, "slot": slot if isinstance(slot, str) else None}

    async def is_ready(self) -> bool:
        """True once Rasa is up *and* has a model loaded (``/status`` names the model file)."""
        try:
            response = await self._http().get(f"{self._base_url}/status", params={"token": self._token}, timeout=3.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
