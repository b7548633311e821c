"""cancel_order: cancel while the seller still prepares it; otherwise say what the buyer can do."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi, order_path
from actions.formatting import format_date, format_items, format_money, language_of
from actions.order_picking import OrderFormValidation, preamble, reset_events

CANCELLABLE = {"preparing"}
OUTCOME_RESPONSES = {
    "shipped": "utter_cancel_too_late_shipped",
    "delivered": "utter_cancel_delivered",
    "digital": "utter_cancel_digital",
    "already_cancelled": "utter_cancel_already_cancelled",
    "returned": "utter_cancel_returned",
}


class ValidateCancelOrderForm(OrderFormValidation):
    purpose = "cancel"

    def name(self) -> str:
        return "validate_cancel_order_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        # Only an order still being prepared needs the "are you sure?" question.
        if tracker.get_slot("order_status") not in CANCELLABLE:
            return ["order_number"]
        return domain_slots


class ActionAskCancelConfirmed(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_ask_cancel_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        number = tracker.get_slot("order_number")
        items = "…"  # if the order cannot be read now, the question still stands
        try:
            order = await self.api.order(tracker.get_slot("buyer_id"), number)
            items = format_items(order["items"], language_of(tracker.get_slot("language")))
        except Exception:  # the question still makes sense without the item names
            pass
        dispatcher.utter_message(response="utter_ask_cancel_confirmed", order_number=number, items=items)
        return []


class ActionCancelOrder(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_cancel_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events("cancel_confirmed")
        number = preamble(dispatcher, tracker, "cancel")
        if number is None:
            return reset
        if tracker.get_slot("order_status") in CANCELLABLE and tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(response="utter_cancel_kept", order_number=number)
            return reset
        language = language_of(tracker.get_slot("language"))
        try:
            result: dict[str, Any] = await self.api.buyer_call(
                "POST", tracker.get_slot("buyer_id"), order_path(number) + "/cancel"
            )
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        if result["outcome"] == "cancelled":
            dispatcher.utter_message(
                response="utter_order_cancelled_now",
                order_number=number,
                refund_amount=format_money(result["refund_amount"], result["currency"], language),
                refund_by=format_date(result["refund_by"], language),
            )
        else:
            dispatcher.utter_message(response=OUTCOME_RESPONSES[result["outcome"]], order_number=number)
        return reset
