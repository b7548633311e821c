"""Action tests: trackers built from a JSON fixture, a real api with a seeded temporary database."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import CommerceApi
from tests.support.servers import SERVICE_TOKEN, api_server, free_port

FIXTURES = Path(__file__).parent / "fixtures"
DOMAIN_FILES = Path(__file__).resolve().parents[2] / "bot" / "domain"


def _responses() -> dict[str, Any]:
    """The real domain's responses, as Rasa sends them to the action server (actions check names)."""
    found: dict[str, Any] = {}
    for path in sorted(DOMAIN_FILES.glob("*.yml")):
        found.update((yaml.safe_load(path.read_text()) or {}).get("responses") or {})
    return found


DOMAIN: dict[str, Any] = {
    "slots": {},
    "forms": {"order_tracking_form": {"required_slots": ["order_number"]}},
    "responses": _responses(),
}


@pytest.fixture(scope="session")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    with api_server(tmp_path_factory.mktemp("api"), free_port()) as url:
        yield url


@pytest.fixture
def api(api_url: str) -> CommerceApi:
    return CommerceApi(api_url, SERVICE_TOKEN)


@pytest.fixture
def dead_api() -> CommerceApi:
    return CommerceApi("http://127.0.0.1:9", SERVICE_TOKEN)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "siparişim nerede",
    intent: str = "track_order",
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    state = json.loads((FIXTURES / "tracker.json").read_text())
    state = copy.deepcopy(state)
    state["slots"].update(slots or {})
    state["latest_message"].update(text=text, intent={"name": intent, "confidence": 0.95}, entities=entities or [])
    state["active_loop"] = {"name": active_loop} if active_loop else {}
    return Tracker.from_dict(state)


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    return [m.get("response") for m in dispatcher.messages]
