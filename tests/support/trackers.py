"""Trackers and the domain for action tests (tests/actions), built like RasaHQ's financial-demo tests.

A tracker comes from tests/actions/fixtures/tracker.json with the slots and the latest message a
test needs; ``DOMAIN`` holds the real domain's responses, as Rasa sends them to the action server.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.wording import Words

ROOT = Path(__file__).resolve().parents[2]
TRACKER_FIXTURE = ROOT / "tests" / "actions" / "fixtures" / "tracker.json"
DOMAIN_FILES = ROOT / "bot" / "domain"


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


def words(language: str) -> Words:
    """The domain's wording in ``language``, as an action gets it."""
    return Words(DOMAIN, language)


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "siparişim nerede",
    intent: str = "track_order",
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    state = copy.deepcopy(json.loads(TRACKER_FIXTURE.read_text()))
    state["slots"].update(slots or {})
    state["latest_message"].update(text=text, intent={"name": intent, "confidence": 0.95}, entities=entities or [])
    state["active_loop"] = {"name": active_loop} if active_loop else {}
    return Tracker.from_dict(state)


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    return [m.get("response") for m in dispatcher.messages]


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values an action's events set, by name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def rendered(dispatcher: CollectingDispatcher, language: str) -> list[str]:
    """The buyer's words: each response's variation for the language, filled with the action's values."""
    texts = []
    for message in dispatcher.messages:
        variation = next(v for v in DOMAIN["responses"][message["response"]] if v["condition"][0]["value"] == language)
        values = {k: str(v) for k, v in message.items() if k not in ("response", "buttons")}
        texts.append(re.sub(r"{(\w+)}", lambda m, values=values: values[m.group(1)], variation["text"]))
        for button in message.get("buttons") or []:
            texts.append(button["title"])
    return texts
