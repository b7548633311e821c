"""cancel_order: cancel while the seller still prepares it; otherwise say what the buyer can do.

Whether an order can still be cancelled is the api's answer (GET .../cancel, the same rule the
cancellation applies): only a cancellable order gets the "are you sure?" question; any other
order ends the form with the api's reason as ``order_blocker`` and the flow's words for it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiError, Order, order_path
from actions.base import ApiAction, Turn
from actions.formatting import format_date, format_items, format_money
from actions.order_picking import OrderFlowAction, OrderFormValidation

CANCELLABLE = "cancellable"  # the api's answer for an order still being prepared
REFUSALS = {  # the api's outcome -> what the buyer can do instead
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
        # Only an order the api can still cancel needs the "are you sure?" question.
        return ["order_number"] if tracker.get_slot("order_blocker") else domain_slots

    async def on_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        try:
            path = order_path(order["number"]) + "/cancel"
            verdict = await self.api.request("GET", path, buyer=tracker.get_slot("buyer_id"))
        except ApiError:
            return {}  # asked now or not, the cancellation itself answers (or says "try again later")
        return {} if verdict["outcome"] == CANCELLABLE else {"order_blocker": verdict["outcome"]}


class ActionAskCancelConfirmed(ApiAction):
    needs_buyer = False  # asked inside the form, which has a buyer

    def name(self) -> str:
        return "action_ask_cancel_confirmed"

    async def act(self, turn: Turn) -> list[EventType]:
        number = turn.slot("order_number")
        items = "…"  # if the order cannot be read now, the question still makes sense without the item names
        with contextlib.suppress(ApiError):
            items = format_items((await self.api.order(turn.buyer_id or "", number))["items"], turn.words)
        turn.say("utter_ask_cancel_confirmed", order_number=number, items=items)
        return []


class ActionCancelOrder(OrderFlowAction):
    purpose = "cancel"
    clears = ("cancel_confirmed",)

    def name(self) -> str:
        return "action_cancel_order"

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        refused = turn.slot("order_blocker")
        if refused:  # the api's reason, found when the order was picked
            turn.say(REFUSALS[refused], order_number=number)
            return self.done(turn)
        if turn.slot("cancel_confirmed") is not True:
            turn.say("utter_cancel_kept", order_number=number)
            return self.done(turn)
        result: dict[str, Any] = await self.api.request("POST", order_path(number) + "/cancel", buyer=turn.buyer_id)
        if result["outcome"] == "cancelled":
            turn.say(
                "utter_order_cancelled_now",
                order_number=number,
                refund_amount=format_money(result["refund_amount"], result["currency"], turn.language),
                refund_by=format_date(result["refund_by"], turn.words),
            )
        else:
            turn.say(REFUSALS[result["outcome"]], order_number=number)
        return self.done(turn)
