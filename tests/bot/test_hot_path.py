"""bot/hot_path.py: the action-response check Rasa runs on every custom action keeps its verdicts."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa_sdk.events import ActiveLoop, BotUttered, FollowupAction, SlotSet

from bot import hot_path


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    hot_path.apply()
    return RemoteAction("action_track_order", None)


def test_installed_on_rasa(action: RemoteAction) -> None:
    assert RemoteAction._validate_action_result is hot_path._validate_action_result


def test_accepts_what_the_action_server_sends(action: RemoteAction) -> None:
    events = [SlotSet("order_number", "TR48213907"), ActiveLoop(None), FollowupAction("action_listen")]
    events.append(BotUttered("Siparişiniz yolda.", {"buttons": []}))
    assert action._validate_action_result({"events": events, "responses": [{"text": "Zamówienie w drodze."}]})


@pytest.mark.parametrize(
    "response",
    [
        {"events": "not a list"},
        {"events": [{"name": "order_number"}]},  # an event without its type
        {"events": [{"event": "slot", "timestamp": "yesterday"}]},
        {"responses": ["a bare string"]},
    ],
)
def test_refuses_what_rasa_refused(action: RemoteAction, response: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(response)


def test_schema_checked_once_not_per_response(action: RemoteAction) -> None:
    before = hot_path._response_validator.cache_info()
    for _ in range(5):
        action._validate_action_result({"events": [], "responses": []})
    after = hot_path._response_validator.cache_info()
    assert after.misses == before.misses
    assert after.hits >= before.hits + 5


def test_sqlite_tracker_store_writes_ahead(tmp_path, action: RemoteAction) -> None:
    """Rasa's own SQL tracker store on SQLite: the file is in WAL mode with NORMAL syncs once Rasa opened it."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
