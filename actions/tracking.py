"""Order tracking: pick the order (account, buttons or typed number), then show where it is.

Ownership and the order-number format are decided by the api; the actions only
phrase its answers and count failed attempts so the buyer is offered a person
after three.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiUnavailable, CommerceApi, InvalidOrderNumber, OrderNotFound
from actions.formatting import language_of, order_status_response
from actions.order_picking import (
    MAX_ATTEMPTS,
    MAX_BUTTONS,
    PURPOSE_BY_FORM,
    ask_order,
    attempts,
    checked_order,
    order_button,
    typed_order_number,
)


class ValidateOrderTrackingForm(FormValidationAction):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "validate_order_tracking_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # Anonymous buyers and buyers out of attempts get no question: the form ends
        # and action_track_order explains (sign in / offer a person).
        if not tracker.get_slot("buyer_id") or attempts(tracker) >= MAX_ATTEMPTS:
            return []
        return domain_slots

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("order_number"):
            return {}
        buyer_id = tracker.get_slot("buyer_id")
        if tracker.get_slot("requested_slot") == "order_number":
            return typed_order_number(tracker)
        if not buyer_id:
            return {}
        # Form activation: a buyer with exactly one open order needn't be asked which.
        try:
            result = await self.api.trackable_orders(buyer_id)
        except ApiUnavailable:
            return {}
        if result["open_count"] == 1:
            return {"order_number": result["orders"][0]["number"]}
        return {}

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        buyer_id = tracker.get_slot("buyer_id")
        if not isinstance(value, str) or not buyer_id:
            return {"order_number": None}
        order = await checked_order(self.api, dispatcher, tracker, value, "utter_orders_unavailable")
        if "failed" in order:
            return order["failed"]
        return {"order_number": order["number"]}


class ActionAskOrderNumber(Action):
    """Ask which order: buttons from the buyer's account when there is a choice, else the number."""

    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_ask_order_number"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if attempts(tracker) > 0:
            # The validation message already said what was wrong and asked again.
            return []
        purpose = PURPOSE_BY_FORM.get((tracker.active_loop or {}).get("name") or "")
        if purpose is not None:  # another flow's form: its own candidates and wording
            await ask_order(self.api, dispatcher, tracker, purpose)
            return []
        language = language_of(tracker.get_slot("language"))
        buyer_id = tracker.get_slot("buyer_id")
        if buyer_id:
            try:
                result = await self.api.trackable_orders(buyer_id)
            except ApiUnavailable:
                result = {"open_count": 0, "orders": []}
            orders = result["orders"][:MAX_BUTTONS]
            if len(orders) >= 2 or (result["open_count"] == 0 and orders):
                response = "utter_choose_order" if result["open_count"] >= 2 else "utter_choose_recent_order"
                dispatcher.utter_message(response=response, buttons=[order_button(o, language) for o in orders])
                return []
        dispatcher.utter_message(response="utter_ask_order_number")
        return []


class ActionTrackOrder(Action):
    """Runs when the tracking form ends: show the order, or explain why there is nothing to show."""

    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_track_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset: list[EventType] = [SlotSet("order_number", None), SlotSet("order_attempts", 0)]
        failed: list[EventType] = [*reset, SlotSet("tracking_failed", True)]
        reset.append(SlotSet("tracking_failed", False))
        buyer_id = tracker.get_slot("buyer_id")
        number = tracker.get_slot("order_number")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_to_track")
            return reset
        if not number:
            return failed
        try:
            order = await self.api.order(buyer_id, number)
        except (OrderNotFound, InvalidOrderNumber):
            dispatcher.utter_message(response="utter_order_not_found", order_number=number)
            return failed
        except ApiUnavailable:
            dispatcher.utter_message(response="utter_orders_unavailable")
            return reset
        dispatcher.utter_message(**order_status_response(order, language_of(tracker.get_slot("language"))))
        return reset
