from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.language import ValidateSlotMappings, detect_language
from actions.session import ActionSessionStart
from tests.support.trackers import DOMAIN, make_tracker


async def test_session_start_takes_the_widget_metadata(dispatcher):
    tracker = make_tracker(
        {"language": None, "session_started_metadata": {"language": "pl", "buyer_id": "pl-0001", "market": "PL"}}
    )
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    assert events[0] == SessionStarted()
    assert events[-1] == ActionExecuted("action_listen")
    assert SlotSet("language", "pl") in events
    assert SlotSet("buyer_id", "pl-0001") in events
    assert SlotSet("market", "PL") in events


async def test_session_start_ignores_junk_metadata_and_keeps_identity(dispatcher):
    tracker = make_tracker(
        {"language": "tr", "buyer_id": "tr-0002", "session_started_metadata": {"language": "de", "market": "XX"}}
    )
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots == {"language": "tr", "buyer_id": "tr-0002"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("siparişim nerede", "tr"),
        ("siparisim nerde kaldi ya", "tr"),
        ("kargom hala gelmedi", "tr"),
        ("gdzie jest moja paczka", "pl"),
        ("zamowienie nie doszlo jeszcze", "pl"),
        ("dzień dobry, mam pytanie o przesyłkę", "pl"),
        ("ok", None),
        ("TR12345678", None),
        ("/inform", None),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("current", "text", "entities", "expected"),
    [
        (None, "gdzie jest moja paczka", [], {"language": "pl"}),
        (None, "siparişim nerede", [], {"language": "tr"}),
        (None, "ok", [], {"language": "tr"}),  # undecidable: the default
        ("tr", "gdzie jest moja paczka", [], {}),  # set once; only an explicit request changes it
        ("tr", "Polski proszę", [{"entity": "language", "value": "pl"}], {"language": "pl"}),
        ("pl", "Türkçe konuşalım", [{"entity": "language", "value": "tr"}], {"language": "tr"}),
        ("pl", "x", [{"entity": "language", "value": "de"}], {}),
    ],
)
async def test_language_slot(dispatcher, current, text, entities, expected):
    tracker = make_tracker({"language": current}, text=text, intent="inform", entities=entities)
    assert await ValidateSlotMappings().extract_language(dispatcher, tracker, {}) == expected


async def test_language_picked_in_the_widget_is_followed(dispatcher):
    tracker = make_tracker({"language": "tr"}, text="hello", intent="greet")
    tracker.latest_message["metadata"] = {"language": "pl", "switch_language": True}
    assert await ValidateSlotMappings().extract_language(dispatcher, tracker, {}) == {"language": "pl"}
    tracker.latest_message["metadata"] = {"language": "pl", "switch_language": False}
    assert await ValidateSlotMappings().extract_language(dispatcher, tracker, {}) == {}


def test_every_response_exists_in_turkish_and_polish():
    """A response without a variant for the buyer's language would reach them empty or in the other one."""
    missing = {
        name: languages
        for name, variants in DOMAIN["responses"].items()
        if (languages := {c["value"] for v in variants for c in v.get("condition") or [] if c["name"] == "language"})
        != {"tr", "pl"}
    }
    assert DOMAIN["responses"] and not missing, missing
