"""Every flow offers the orders that fit what the buyer said first (api/support/order_fit.py), in both
markets: buttons only for fitting orders, best first; none fitting is explained and a typed number of
another order gets the flow's own answer."""

from __future__ import annotations

import pytest

from actions.delivery_issues import (
    ActionDeliveryInvestigation,
    ActionReportWrongOrMissing,
    ValidateDeliveredNotReceivedForm,
    ValidateWrongOrMissingForm,
)
from actions.digital_codes import ActionDigitalCodeIssue, ValidateDigitalCodeForm
from actions.returns import ValidateReturnForm
from actions.tracking import ActionAskOrderNumber
from tests.support.trackers import DOMAIN, make_tracker, responses

TEXTS = {"tr": "teslim edildi diyor ama elime ulaşmadı", "pl": "status doręczone, ale nie dostałem paczki"}


def numbers(message: dict) -> list[str]:
    return [b["title"].split(" · ")[0] for b in message["buttons"]]


async def all_orders(api, buyer: str) -> dict[str, dict]:
    found = await api.candidates(buyer, "seller")  # every order but cancelled ones
    return {o["number"]: o for o in found["orders"]}


async def ask(api, dispatcher, buyer: str, language: str, form: str) -> list[dict]:
    tracker = make_tracker({"buyer_id": buyer, "language": language}, TEXTS[language], active_loop=form)
    await ActionAskOrderNumber(api).run(dispatcher, tracker, DOMAIN)
    return list(dispatcher.messages)


# tr-0001: in transit (newest), two delivered; pl-0001: at a pickup point (newest), two delivered.
BUYERS = [("tr-0001", "tr"), ("pl-0001", "pl")]


@pytest.mark.parametrize(("buyer", "language"), BUYERS)
async def test_delivered_not_received_offers_only_delivered_orders(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "delivered_not_received_form")
    assert choose["response"] == "utter_choose_order_delivered"
    orders = await all_orders(api, buyer)
    assert len(numbers(choose)) == 2 and all(orders[n]["status"] == "delivered" for n in numbers(choose))


@pytest.mark.parametrize(("buyer", "language"), BUYERS)
async def test_a_typed_parcel_on_its_way_gets_still_on_its_way_not_a_loop(api, dispatcher, buyer, language):
    on_its_way = next(o for o in (await api.candidates(buyer, "track"))["orders"] if o["status"] != "delivered")
    form = ValidateDeliveredNotReceivedForm(api)
    tracker = make_tracker(
        {"buyer_id": buyer, "language": language, "requested_slot": "order_number"},
        on_its_way["number"],
        "inform",
        active_loop="delivered_not_received_form",
    )
    picked = await form.validate_order_number(on_its_way["number"], dispatcher, tracker, DOMAIN)
    assert picked["order_number"] == on_its_way["number"] and picked["delivery_blocker"] == "not_delivered"
    done = make_tracker({"buyer_id": buyer, "language": language, **picked}, active_loop="delivered_not_received_form")
    assert await form.required_slots(["order_number", "neighbours_checked"], dispatcher, done, DOMAIN) == [
        "order_number"
    ]  # already filled: the form ends instead of asking about neighbours
    await ActionDeliveryInvestigation(api).run(dispatcher, done, DOMAIN)
    said = dispatcher.messages[-1]
    assert said["response"] == "utter_not_delivered_yet_expected" and said["expected"]


@pytest.mark.parametrize(("buyer", "language"), BUYERS)
async def test_damaged_offers_delivered_first_then_at_the_door(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "damaged_item_form")
    assert choose["response"] == "utter_choose_order_damaged"
    orders = await all_orders(api, buyer)
    statuses = [orders[n]["status"] for n in numbers(choose)]
    assert statuses[:2] == ["delivered", "delivered"]
    assert all(s != "preparing" for s in statuses)


@pytest.mark.parametrize(("buyer", "language"), BUYERS)
async def test_wrong_or_missing_offers_delivered_orders(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "wrong_or_missing_form")
    assert choose["response"] == "utter_choose_order_wrong_or_missing"
    orders = await all_orders(api, buyer)
    assert [orders[n]["status"] for n in numbers(choose)] == ["delivered", "delivered"]


@pytest.mark.parametrize(("buyer", "language"), [("tr-0004", "tr"), ("pl-0004", "pl")])
async def test_returns_offer_deliveries_within_the_window(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "return_form")
    assert choose["response"] == "utter_choose_order_return" and len(choose["buttons"]) == 2
    form = ValidateReturnForm(api)
    for number in numbers(choose):
        eligibility = await api.request("GET", f"/orders/{number}/return-eligibility", buyer=buyer)
        assert eligibility["reason"] in (None, "no_returnable_item")  # in the window (one is a hygiene item)
    assert form.purpose == "return"


@pytest.mark.parametrize(("buyer", "language"), [("tr-0004", "tr"), ("pl-0004", "pl")])
async def test_digital_codes_offer_digital_orders(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "digital_code_form")
    assert choose["response"] == "utter_choose_order_digital" and len(choose["buttons"]) == 3


@pytest.mark.parametrize(("buyer", "language"), BUYERS)
async def test_no_digital_order_is_explained_and_a_number_can_be_typed(api, dispatcher, buyer, language):
    form = ValidateDigitalCodeForm(api)
    tracker = make_tracker({"buyer_id": buyer, "language": language}, "kod", active_loop="digital_code_form")
    assert await form.extract_order_number(dispatcher, tracker, DOMAIN) == {}  # the form asks, it doesn't end
    messages = await ask(api, dispatcher, buyer, language, "digital_code_form")
    assert [m["response"] for m in messages] == ["utter_no_orders_digital", "utter_type_other_order_number"]
    physical = next(iter(await all_orders(api, buyer)))
    dispatcher.messages.clear()
    picked = await form.validate_order_number(physical, dispatcher, tracker, DOMAIN)
    assert picked["order_blocker"] == "not_digital"
    assert responses(dispatcher) == ["utter_not_a_digital_order"]
    done = make_tracker({"buyer_id": buyer, "language": language, **picked})
    assert await form.required_slots(["order_number", "digital_problem"], dispatcher, done, DOMAIN) == []
    await ActionDigitalCodeIssue(api).run(dispatcher, done, DOMAIN)
    assert responses(dispatcher) == ["utter_not_a_digital_order"]  # nothing more, no "service unavailable"


@pytest.mark.parametrize(("buyer", "language"), [("tr-0002", "tr"), ("pl-0002", "pl")])
async def test_cancel_offers_preparing_first(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "cancel_order_form")
    assert choose["response"] == "utter_choose_order_cancel"
    orders = await all_orders(api, buyer)
    statuses = [orders[n]["status"] for n in numbers(choose)]
    assert statuses[0] == "preparing" and "delivered" not in statuses


@pytest.mark.parametrize(("buyer", "language"), [("tr-0002", "tr"), ("pl-0003", "pl")])
async def test_seller_contact_leaves_cancelled_orders_out(api, dispatcher, buyer, language):
    [choose] = await ask(api, dispatcher, buyer, language, "contact_seller_form")
    assert choose["response"] == "utter_choose_order_seller"
    orders = await all_orders(api, buyer)
    assert all(orders[n]["status"] != "cancelled" for n in numbers(choose))


@pytest.mark.parametrize(("buyer", "language"), BUYERS)
async def test_wrong_or_missing_for_a_parcel_on_its_way_says_so(api, dispatcher, buyer, language):
    on_its_way = next(o for o in (await api.candidates(buyer, "track"))["orders"] if o["status"] != "delivered")
    form = ValidateWrongOrMissingForm(api)
    tracker = make_tracker({"buyer_id": buyer, "language": language}, active_loop="wrong_or_missing_form")
    picked = await form.validate_order_number(on_its_way["number"], dispatcher, tracker, DOMAIN)
    assert picked["delivery_blocker"] == "not_delivered"
    done = make_tracker({"buyer_id": buyer, "language": language, **picked, "item_problem": "missing"})
    assert form.slots_after_order(["order_number", "item_problem"], done) == ["order_number"]
    events = await ActionReportWrongOrMissing(api).run(dispatcher, done, DOMAIN)
    assert responses(dispatcher) == ["utter_not_delivered_yet_expected"]
    assert {e["name"]: e["value"] for e in events}["delivery_blocker"] is None
