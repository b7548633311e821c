"""delivered_not_received, damaged_item, wrong_or_missing_item: after the carrier, something went wrong."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiError, CommerceApi, Order, order_path
from actions.base import Turn, market_of
from actions.formatting import format_date, format_datetime, status_label
from actions.order_picking import OrderFlowAction, OrderFormValidation


async def say_not_delivered_yet(api: CommerceApi, turn: Turn, number: str) -> None:
    """The answer for a typed number of a parcel still on its way: its state and expected date."""
    label = status_label(turn.slot("order_status") or "in_transit", turn.words)
    try:
        expected = (await api.order(turn.buyer_id or "", number)).get("estimated_delivery")
    except ApiError:
        expected = None
    if expected:
        turn.say(
            "utter_not_delivered_yet_expected",
            order_number=number,
            status_label=label,
            expected=format_date(expected, turn.words),
        )
    else:
        turn.say("utter_not_delivered_yet", order_number=number, status_label=label)


class ValidateDeliveredNotReceivedForm(OrderFormValidation):
    purpose = "delivered"

    def name(self) -> str:
        return "validate_delivered_not_received_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        return ["order_number"] if tracker.get_slot("delivery_blocker") else domain_slots

    async def on_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """Tell the buyer what the carrier recorded before asking about neighbours."""
        try:
            path = order_path(order["number"]) + "/delivery"
            facts = await self.api.request("GET", path, buyer=tracker.get_slot("buyer_id"))
        except ApiError:
            return {"delivery_blocker": "unavailable"}
        if not facts["delivered_at"]:
            return {"delivery_blocker": "not_delivered"}
        dispatcher.utter_message(
            response="utter_delivery_facts",
            order_number=order["number"],
            carrier=facts["carrier"] or "",
            delivered_at=format_datetime(facts["delivered_at"], market_of(tracker)),
            delivered_to=facts["delivered_to"] or "-",
            location=facts["location"] or "-",
        )
        return {"delivery_blocker": None}


class ActionDeliveryInvestigation(OrderFlowAction):
    purpose = "delivered"
    clears = ("delivery_blocker", "neighbours_checked")

    def name(self) -> str:
        return "action_delivery_investigation"

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        blocker = turn.slot("delivery_blocker")
        if blocker == "unavailable":
            turn.say(self.unavailable_response)
            return self.done(turn)
        if blocker == "not_delivered":  # a typed number of a parcel on its way: the flow's own answer
            await say_not_delivered_yet(self.api, turn, number)
            return self.done(turn)
        if turn.slot("neighbours_checked") is not True:
            turn.say("utter_check_neighbours_first")
            return self.done(turn)
        body = {"conversation_id": turn.tracker.sender_id}
        record = await self.api.request("POST", order_path(number) + "/investigations", body, buyer=turn.buyer_id)
        turn.say(
            "utter_investigation_opened",
            reference=record["reference"],
            due_date=format_date(record["due_date"], turn.words),
        )
        return self.done(turn)


class ValidateDamagedItemForm(OrderFormValidation):
    purpose = "damaged"

    def name(self) -> str:
        return "validate_damaged_item_form"


class ActionReportDamage(OrderFlowAction):
    purpose = "damaged"
    clears = ("damage_moment",)

    def name(self) -> str:
        return "action_report_damage"

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        moment = turn.slot("damage_moment") or "after_delivery"
        body = {"conversation_id": turn.tracker.sender_id, "moment": moment}
        record = await self.api.request("POST", order_path(number) + "/damage-reports", body, buyer=turn.buyer_id)
        response = "utter_damage_at_door" if moment == "at_door" else "utter_damage_after_delivery"
        turn.say(response, reference=record["reference"])
        return self.done(turn)


class ValidateWrongOrMissingForm(OrderFormValidation):
    purpose = "wrong_or_missing"

    def name(self) -> str:
        return "validate_wrong_or_missing_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        return ["order_number"] if tracker.get_slot("delivery_blocker") else domain_slots

    async def on_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """A typed number of an order not delivered yet: nothing can be wrong or missing in it yet."""
        return {"delivery_blocker": None if order["status"] == "delivered" else "not_delivered"}


class ActionReportWrongOrMissing(OrderFlowAction):
    purpose = "wrong_or_missing"
    clears = ("item_problem", "delivery_blocker")

    def name(self) -> str:
        return "action_report_wrong_or_missing"

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        if turn.slot("delivery_blocker") == "not_delivered":
            await say_not_delivered_yet(self.api, turn, number)
            return self.done(turn)
        conversation = turn.tracker.sender_id
        if turn.slot("item_problem") == "wrong":
            body = {
                "order_number": number,
                # The seller reads it in the buyer's language, worded by the domain like every other text.
                "text": turn.words.text("utter_text_wrong_item_for_seller", order_number=number),
                "language": turn.language,
                "topic": "wrong_item",
                "conversation_id": conversation,
            }
            sent = await self.api.request("POST", "/seller-messages", body, buyer=turn.buyer_id)
            due = format_datetime(sent["answer_due"], turn.market)
            turn.say("utter_wrong_item_sent_to_seller", seller=sent["seller"], due=due)
        else:
            path = order_path(number) + "/missing-item-reports"
            record = await self.api.request("POST", path, {"conversation_id": conversation}, buyer=turn.buyer_id)
            turn.say("utter_missing_item_reported", reference=record["reference"])
        return self.done(turn)
