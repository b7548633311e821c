"""Order-tracking actions against the real api and its seeded demo data."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import SlotSet

from actions.tracking import ActionAskOrderNumber, ActionTrackOrder, ValidateOrderTrackingForm
from tests.support.trackers import DOMAIN, make_tracker, responses


async def open_orders(api, buyer: str) -> list[dict]:
    return (await api.trackable_orders(buyer))["orders"]


async def test_single_open_order_needs_no_question(api, dispatcher):
    expected = (await open_orders(api, "tr-0001"))[0]["number"]
    tracker = make_tracker({"buyer_id": "tr-0001"}, active_loop="order_tracking_form")
    form = ValidateOrderTrackingForm(api)
    assert await form.extract_order_number(dispatcher, tracker, DOMAIN) == {"order_number": expected}


async def test_several_open_orders_are_offered_as_buttons(api, dispatcher):
    tracker = make_tracker({"buyer_id": "tr-0002", "requested_slot": None}, active_loop="order_tracking_form")
    assert await ValidateOrderTrackingForm(api).extract_order_number(dispatcher, tracker, DOMAIN) == {}
    await ActionAskOrderNumber(api).run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_choose_order"
    numbers = {o["number"] for o in await open_orders(api, "tr-0002")}
    assert len(message["buttons"]) == 3
    for button in message["buttons"]:
        assert button["payload"].startswith("/inform")
        assert json.loads(button["payload"][len("/inform") :])["order_number"] in numbers


async def test_no_open_order_offers_recent_ones(api, dispatcher):
    tracker = make_tracker({"buyer_id": "pl-0003", "language": "pl"}, active_loop="order_tracking_form")
    await ActionAskOrderNumber(api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_choose_recent_order"]
    assert dispatcher.messages[0]["buttons"]


async def test_after_a_failed_attempt_the_question_is_not_repeated(api, dispatcher):
    tracker = make_tracker({"buyer_id": "tr-0002", "order_attempts": 1}, active_loop="order_tracking_form")
    await ActionAskOrderNumber(api).run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages == []


async def test_anonymous_question_is_plain(api, dispatcher):
    tracker = make_tracker({"buyer_id": None}, active_loop="order_tracking_form")
    await ActionAskOrderNumber(api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_ask_order_number"]


async def test_anonymous_buyer_is_not_asked_and_is_told_to_sign_in(api, dispatcher):
    tracker = make_tracker({"buyer_id": None}, active_loop="order_tracking_form")
    assert await ValidateOrderTrackingForm(api).required_slots(["order_number"], dispatcher, tracker, DOMAIN) == []
    events = await ActionTrackOrder(api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_sign_in_to_track"]
    assert SlotSet("tracking_failed", False) in events


@pytest.mark.parametrize("typed", ["12345678", "TR1234", "TR 123 456"])
async def test_malformed_number_counts_as_an_attempt(api, dispatcher, typed):
    tracker = make_tracker({"buyer_id": "tr-0001", "order_attempts": 1, "requested_slot": "order_number"})
    result = await ValidateOrderTrackingForm(api).validate_order_number(typed, dispatcher, tracker, DOMAIN)
    assert result == {"order_number": None, "order_attempts": 2}
    assert responses(dispatcher) == ["utter_invalid_order_number"]


async def test_typed_attempt_without_entity_is_still_validated(api, dispatcher):
    tracker = make_tracker({"buyer_id": "tr-0001", "requested_slot": "order_number"}, text="12345678", intent="inform")
    assert await ValidateOrderTrackingForm(api).extract_order_number(dispatcher, tracker, DOMAIN) == {
        "order_number": "12345678"
    }


async def test_someone_elses_order_is_not_found(api, dispatcher):
    foreign = (await open_orders(api, "tr-0002"))[0]["number"]
    tracker = make_tracker({"buyer_id": "tr-0001", "requested_slot": "order_number"})
    result = await ValidateOrderTrackingForm(api).validate_order_number(foreign, dispatcher, tracker, DOMAIN)
    assert result == {"order_number": None, "order_attempts": 1}
    assert responses(dispatcher) == ["utter_order_not_found"]
    assert dispatcher.messages[0]["order_number"] == foreign


async def test_own_number_in_any_spelling_is_accepted(api, dispatcher):
    number = (await open_orders(api, "pl-0002"))[1]["number"]
    typed = f"{number[:2].lower()}-{number[2:]}"
    tracker = make_tracker({"buyer_id": "pl-0002", "language": "pl"})
    result = await ValidateOrderTrackingForm(api).validate_order_number(typed, dispatcher, tracker, DOMAIN)
    assert result == {"order_number": number}
    assert dispatcher.messages == []


async def test_three_failures_end_the_form_and_offer_a_person(api, dispatcher):
    tracker = make_tracker({"buyer_id": "tr-0001", "order_attempts": 3})
    form = ValidateOrderTrackingForm(api)
    assert await form.required_slots(["order_number"], dispatcher, tracker, DOMAIN) == []
    events = await ActionTrackOrder(api).run(dispatcher, tracker, DOMAIN)
    assert SlotSet("tracking_failed", True) in events
    assert SlotSet("order_attempts", 0) in events


async def test_pickup_point_order_in_polish(api, dispatcher):
    order = (await open_orders(api, "pl-0001"))[0]
    tracker = make_tracker({"buyer_id": "pl-0001", "language": "pl", "order_number": order["number"]})
    events = await ActionTrackOrder(api).run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_order_at_pickup_point"
    assert message["carrier"] == "InPost"
    assert message["tracking_code"] == order["shipment"]["tracking_code"]
    assert message["pickup_point"] == order["shipment"]["pickup_point"]
    assert "(w punkcie odbioru)" in message["last_scan"]
    assert SlotSet("order_number", None) in events and SlotSet("tracking_failed", False) in events


async def test_in_transit_order_in_turkish(api, dispatcher):
    order = (await open_orders(api, "tr-0001"))[0]
    tracker = make_tracker({"buyer_id": "tr-0001", "order_number": order["number"]})
    await ActionTrackOrder(api).run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_order_on_the_way"
    assert message["carrier"] == order["shipment"]["carrier"]
    assert message["tracking_code"] == order["shipment"]["tracking_code"]
    assert message["status"] in {"kargoya verildi", "yolda", "bugün dağıtımda"}
    day, month, year = message["eta"].split(".")
    assert len(day) == 2 and len(month) == 2 and len(year) == 4


async def test_api_down_is_told_not_hidden(dead_api, dispatcher):
    tracker = make_tracker({"buyer_id": "tr-0001", "order_number": "TR12345678"})
    events = await ActionTrackOrder(dead_api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_orders_unavailable"]
    assert SlotSet("order_number", None) in events
