"""delivered_not_received, damaged_item, wrong_or_missing_item: after the carrier, something went wrong."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi, InvalidOrderNumber, OrderNotFound, order_path
from actions.formatting import STATUS_LABELS, format_date, format_datetime, language_of, market_of
from actions.order_picking import OrderFormValidation, preamble, reset_events

WRONG_ITEM_TEXT = {
    "tr": "Alıcı, {order} numaralı siparişte sipariş ettiğinden farklı bir ürün aldığını bildirdi. "
    "Lütfen doğru ürünün gönderimi veya iade için alıcıya dönüş yapın.",
    "pl": "Kupujący zgłasza, że w zamówieniu {order} otrzymał inny produkt niż zamówiony. "
    "Prosimy o kontakt w sprawie wysyłki właściwego produktu lub zwrotu.",
}


async def say_not_delivered_yet(
    api: CommerceApi, dispatcher: CollectingDispatcher, tracker: Tracker, number: str, language: str
) -> None:
    """The answer for a typed number of a parcel still on its way: its state and expected date."""
    status = tracker.get_slot("order_status") or "in_transit"
    label = STATUS_LABELS.get(status, {}).get(language) or STATUS_LABELS["in_transit"][language]
    try:
        expected = (await api.order(tracker.get_slot("buyer_id"), number)).get("estimated_delivery")
    except (ApiUnavailable, OrderNotFound, InvalidOrderNumber):
        expected = None
    if expected:
        dispatcher.utter_message(
            response="utter_not_delivered_yet_expected",
            order_number=number,
            status_label=label,
            expected=format_date(expected, language),
        )
    else:
        dispatcher.utter_message(response="utter_not_delivered_yet", order_number=number, status_label=label)


class ValidateDeliveredNotReceivedForm(OrderFormValidation):
    purpose = "delivered"

    def name(self) -> str:
        return "validate_delivered_not_received_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        return ["order_number"] if tracker.get_slot("delivery_blocker") else domain_slots

    async def on_order(self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """Tell the buyer what the carrier recorded before asking about neighbours."""
        language = language_of(tracker.get_slot("language"))
        try:
            facts = await self.api.buyer_call(
                "GET", tracker.get_slot("buyer_id"), order_path(order["number"]) + "/delivery"
            )
        except (ApiUnavailable, ApiRefused):
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
            language=language,
        )
        return {"delivery_blocker": None}


class ActionDeliveryInvestigation(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_delivery_investigation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events("delivery_blocker", "neighbours_checked")
        number = preamble(dispatcher, tracker, "delivered")
        if number is None:
            return reset
        language = language_of(tracker.get_slot("language"))
        blocker = tracker.get_slot("delivery_blocker")
        if blocker == "unavailable":
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        if blocker == "not_delivered":  # a typed number of a parcel on its way: the flow's own answer
            await say_not_delivered_yet(self.api, dispatcher, tracker, number, language)
            return reset
        if tracker.get_slot("neighbours_checked") is not True:
            dispatcher.utter_message(response="utter_check_neighbours_first")
            return reset
        try:
            record = await self.api.buyer_call(
                "POST",
                tracker.get_slot("buyer_id"),
                order_path(number) + "/investigations",
                {"conversation_id": tracker.sender_id},
            )
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        dispatcher.utter_message(
            response="utter_investigation_opened",
            reference=record["reference"],
            due_date=format_date(record["due_date"], language),
        )
        return reset


class ValidateDamagedItemForm(OrderFormValidation):
    purpose = "damaged"

    def name(self) -> str:
        return "validate_damaged_item_form"


class ActionReportDamage(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_report_damage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events("damage_moment")
        number = preamble(dispatcher, tracker, "damaged")
        if number is None:
            return reset
        moment = tracker.get_slot("damage_moment") or "after_delivery"
        try:
            record = await self.api.buyer_call(
                "POST",
                tracker.get_slot("buyer_id"),
                order_path(number) + "/damage-reports",
                {"conversation_id": tracker.sender_id, "moment": moment},
            )
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        response = "utter_damage_at_door" if moment == "at_door" else "utter_damage_after_delivery"
        dispatcher.utter_message(response=response, reference=record["reference"])
        return reset


class ValidateWrongOrMissingForm(OrderFormValidation):
    purpose = "wrong_or_missing"

    def name(self) -> str:
        return "validate_wrong_or_missing_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        return ["order_number"] if tracker.get_slot("delivery_blocker") else domain_slots

    async def on_order(self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """A typed number of an order not delivered yet: nothing can be wrong or missing in it yet."""
        return {"delivery_blocker": None if order["status"] == "delivered" else "not_delivered"}


class ActionReportWrongOrMissing(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_report_wrong_or_missing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events("item_problem", "delivery_blocker")
        number = preamble(dispatcher, tracker, "wrong_or_missing")
        if number is None:
            return reset
        language = language_of(tracker.get_slot("language"))
        if tracker.get_slot("delivery_blocker") == "not_delivered":
            await say_not_delivered_yet(self.api, dispatcher, tracker, number, language)
            return reset
        buyer_id = tracker.get_slot("buyer_id")
        try:
            if tracker.get_slot("item_problem") == "wrong":
                body = {
                    "order_number": number,
                    "text": WRONG_ITEM_TEXT[language].format(order=number),
                    "language": language,
                    "topic": "wrong_item",
                    "conversation_id": tracker.sender_id,
                }
                sent = await self.api.buyer_call("POST", buyer_id, "/seller-messages", body)
                due = format_datetime(sent["answer_due"], market_of(tracker))
                dispatcher.utter_message(response="utter_wrong_item_sent_to_seller", seller=sent["seller"], due=due)
            else:
                record = await self.api.buyer_call(
                    "POST",
                    buyer_id,
                    order_path(number) + "/missing-item-reports",
                    {"conversation_id": tracker.sender_id},
                )
                dispatcher.utter_message(response="utter_missing_item_reported", reference=record["reference"])
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
        return reset
