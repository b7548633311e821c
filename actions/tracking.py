"""Order tracking: pick the order (account, buttons or typed number), then show where it is.

Ownership and the order-number format are decided by the api; the actions only
phrase its answers and count failed attempts so the buyer is offered a person
after three.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.api_client import ApiError
from actions.base import ApiAction, Turn
from actions.formatting import order_status_response
from actions.order_picking import MAX_BUTTONS, PURPOSE_BY_FORM, OrderFormValidation, ask_order, attempts, order_button


class ValidateOrderTrackingForm(OrderFormValidation):
    """The tracking form: anonymous buyers and buyers out of attempts get no question (the form ends
    and action_track_order explains: sign in / offer a person)."""

    purpose = "track"
    unavailable_response = "utter_orders_unavailable"
    keeps_status = False  # tracking shows the status itself, from the api, when the form ends

    def name(self) -> str:
        return "validate_order_tracking_form"

    def blocked(self, tracker: Tracker) -> bool:
        return False  # any order can be tracked; another flow's blocker says nothing here

    async def pick_from_account(self, buyer_id: str) -> dict[str, Any]:
        # A buyer with exactly one open order needn't be asked which.
        result = await self.api.trackable_orders(buyer_id)
        return {"order_number": result["orders"][0]["number"]} if result["open_count"] == 1 else {}


class ActionAskOrderNumber(ApiAction):
    """Ask which order: buttons from the buyer's account when there is a choice, else the number."""

    needs_buyer = False  # an anonymous buyer gets the plain question

    def name(self) -> str:
        return "action_ask_order_number"

    async def act(self, turn: Turn) -> list[EventType]:
        if attempts(turn.tracker) > 0:
            # The validation message already said what was wrong and asked again.
            return []
        purpose = PURPOSE_BY_FORM.get(turn.tracker.active_loop_name or "")
        if purpose is not None:  # another flow's form: its own candidates and wording
            await ask_order(self.api, turn, purpose)
            return []
        if turn.buyer_id:
            try:
                result = await self.api.trackable_orders(turn.buyer_id)
            except ApiError:
                result = {"open_count": 0, "orders": []}
            orders = result["orders"][:MAX_BUTTONS]
            if len(orders) >= 2 or (result["open_count"] == 0 and orders):
                response = "utter_choose_order" if result["open_count"] >= 2 else "utter_choose_recent_order"
                turn.say(response, buttons=[order_button(o, turn.words) for o in orders])
                return []
        turn.say("utter_ask_order_number")
        return []


class ActionTrackOrder(ApiAction):
    """Runs when the tracking form ends: show the order, or explain why there is nothing to show."""

    sign_in_response = "utter_sign_in_to_track"
    unavailable_response = "utter_orders_unavailable"

    def name(self) -> str:
        return "action_track_order"

    def done(self, turn: Turn) -> list[EventType]:
        return [SlotSet("order_number", None), SlotSet("order_attempts", 0), SlotSet("tracking_failed", False)]

    async def act(self, turn: Turn) -> list[EventType]:
        failed: list[EventType] = [*self.done(turn)[:2], SlotSet("tracking_failed", True)]
        number = turn.slot("order_number")
        if not number:
            return failed
        try:
            order = await self.api.order(turn.buyer_id or "", number)
        except ApiError as error:
            if error.code != "invalid_order_number" and not error.not_found:
                raise
            turn.say("utter_order_not_found", order_number=number)
            return failed
        turn.say(**order_status_response(order, turn.words))
        return self.done(turn)
