"""The base every api-calling action shares (actions/base.py): one client, the sign-in guard, "try again later"."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import threading
from typing import Any

import pytest

import actions
from actions.api_client import ApiError, CommerceApi, shared_api
from actions.base import ApiAction
from actions.handoff import ActionHandoff
from actions.returns import ActionReturnStatus
from actions.tracking import ActionTrackOrder
from actions.wallet import ActionWalletFrozen
from ops.servers import SERVICE_TOKEN
from tests.support.trackers import DOMAIN, make_tracker, rendered, responses, slots

UNAVAILABLE_WORDS = {"tr": "tekrar deneyin", "pl": "Spróbuj ponownie"}


def api_actions() -> list[type[ApiAction]]:
    """Every concrete action that asks the api (all of actions/ imported, as the action server does)."""
    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")
    found, todo = [], list(ApiAction.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not getattr(cls, "__abstractmethods__", None):
            found.append(cls)
    return sorted(found, key=lambda cls: cls.__name__)


class NeverAsked(CommerceApi):
    """An api a test expects not to be asked at all."""

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None, *, buyer=None) -> Any:
        raise AssertionError(f"the api was asked: {method} {path}")


def test_every_action_that_calls_the_api_shares_the_process_client():
    classes = api_actions()
    assert len(classes) >= 15  # the support flows' actions, not an empty scan
    clients = {id(cls().api) for cls in classes}
    assert clients == {id(shared_api())}


@pytest.mark.parametrize("action", [cls for cls in api_actions() if cls.needs_buyer], ids=lambda cls: cls.__name__)
async def test_anonymous_buyers_are_asked_to_sign_in_before_the_api(action, dispatcher):
    tracker = make_tracker({"buyer_id": None, "order_number": "TR12345678", "return_code": "RET-TR-1"})
    instance = action(NeverAsked("http://127.0.0.1:9", SERVICE_TOKEN))
    events = await instance.run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == [instance.sign_in_response]
    assert all(value in (None, 0, False) for value in slots(events).values())  # the flow's slots are cleared


@pytest.mark.parametrize("language", ["tr", "pl"])
@pytest.mark.parametrize(
    ("action", "response"),
    [
        (ActionWalletFrozen, "utter_service_unavailable"),
        (ActionReturnStatus, "utter_service_unavailable"),
        (ActionHandoff, "utter_service_unavailable"),
        (ActionTrackOrder, "utter_orders_unavailable"),
    ],
)
async def test_api_down_is_said_in_the_buyers_language(dead_api, dispatcher, action, response, language):
    tracker = make_tracker({"buyer_id": f"{language}-0004", "language": language, "order_number": "TR12345678"})
    events = await action(dead_api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == [response]
    [said] = rendered(dispatcher, language)
    assert UNAVAILABLE_WORDS[language] in said
    assert not any(value for name, value in slots(events).items() if name != "order_attempts")  # nothing left set


async def test_a_refusal_the_action_does_not_phrase_is_try_again_later(api, dispatcher):
    # No such buyer: the api refuses with its code; the wallet action has no words for it.
    await ActionWalletFrozen(api).run(dispatcher, make_tracker({"buyer_id": "xx-9999", "language": "pl"}), DOMAIN)
    assert responses(dispatcher) == ["utter_service_unavailable"]


async def test_errors_carry_the_apis_code(api, dead_api):
    with pytest.raises(ApiError) as invalid:
        await api.order("tr-0001", "TR12")
    assert invalid.value.code == "invalid_order_number" and invalid.value.status == 422
    foreign = (await api.trackable_orders("tr-0002"))["orders"][0]["number"]
    with pytest.raises(ApiError) as not_found:
        await api.order("tr-0001", foreign)
    assert not_found.value.code == "order_not_found" and not_found.value.not_found
    with pytest.raises(ApiError) as down:
        await dead_api.order("tr-0001", foreign)
    assert down.value.unavailable and down.value.status is None


async def test_concurrent_calls_share_one_pool_per_event_loop(api):
    found = await asyncio.gather(*(api.candidates(f"tr-000{n}", "seller") for n in range(1, 6)))
    assert all(f["orders"] for f in found) and len(api._sessions) == 1


def test_threads_with_their_own_loops_use_the_one_client(api_url):
    client = CommerceApi(api_url, SERVICE_TOKEN)
    results: dict[int, Any] = {}

    def worker(n: int) -> None:
        async def call() -> None:
            results[n] = await client.trackable_orders("pl-0001")
            await client.close()

        asyncio.run(call())

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 3 and all(r["orders"] for r in results.values())
