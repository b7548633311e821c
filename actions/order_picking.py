"""Picking the order a support flow is about, shared by every form that has ``order_number``.

The buyer's account answers first: one fitting order is taken at once, several become
buttons, none ends the form with a flow-specific explanation. A typed number is checked
by the api (format, ownership); three failures offer a person.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiError, CommerceApi, Order
from actions.base import ApiAction, Turn, UsesApi
from actions.formatting import format_items
from actions.wording import Words

MAX_ATTEMPTS = 3  # typed numbers the api refused before a person is offered (action_handoff says why)
MAX_BUTTONS = 5
NO_ORDERS = "-"  # order_number when the account has nothing the flow could act on
_DIGIT = re.compile(r"\d")

PURPOSE_BY_FORM = {
    "cancel_order_form": "cancel",
    "return_form": "return",
    "digital_code_form": "digital",
    "delivered_not_received_form": "delivered",
    "damaged_item_form": "damaged",
    "wrong_or_missing_form": "wrong_or_missing",
    "contact_seller_form": "seller",
}
DIGRESSIONS = frozenset({"faq", "bot_challenge", "human_agent", "out_of_scope", "deny", "goodbye"})
ORDER_SLOTS = ("order_number", "order_attempts", "order_status", "order_blocker")


def attempts(tracker: Tracker) -> int:
    return int(tracker.get_slot("order_attempts") or 0)


def out_of_attempts(tracker: Tracker) -> bool:
    return attempts(tracker) >= MAX_ATTEMPTS


def order_button(order: Order, words: Words) -> dict[str, str]:
    payload = "/inform" + json.dumps({"order_number": order["number"]}, separators=(",", ":"))
    return {"title": f"{order['number']} · {format_items(order['items'], words, shown=1)}", "payload": payload}


def choice_button(title: str, slot: str, value: str) -> dict[str, str]:
    return {"title": title[:80], "payload": "/inform" + json.dumps({slot: value}, separators=(",", ":"))}


def typed_order_number(tracker: Tracker) -> dict[str, Any]:
    """While the order number is asked, a typed attempt without a recognisable number ("12345678",
    "TR1234") still counts, so the buyer hears what is wrong with it instead of silence."""
    text = (tracker.latest_message or {}).get("text") or ""
    if _DIGIT.search(text) and not text.startswith("/"):
        return {"order_number": text.strip()[:64]}
    return {}


async def checked_order(
    api: CommerceApi, dispatcher: CollectingDispatcher, tracker: Tracker, value: str, unavailable: str
) -> dict[str, Any]:
    """The buyer's order from the api, or the slot events of a failed attempt (the reason already said)."""
    failed = {"order_number": None, "order_attempts": attempts(tracker) + 1}
    try:
        return await api.order(tracker.get_slot("buyer_id"), value)
    except ApiError as error:
        if error.code == "invalid_order_number":
            dispatcher.utter_message(response="utter_invalid_order_number")
            return {"failed": failed}
        if error.not_found:
            dispatcher.utter_message(response="utter_order_not_found", order_number=shown_number(value))
            return {"failed": failed}
        dispatcher.utter_message(response=unavailable)
        return {"failed": {"order_number": None, "order_attempts": MAX_ATTEMPTS}}


def shown_number(value: str | None) -> str:
    """A typed order number safe to repeat to the buyer (letters, digits, spaces and dashes, 20 at most)."""
    return re.sub(r"[^A-Za-z0-9 \-]", "", value or "")[:20]


def typed_answer(tracker: Tracker, slot: str) -> str | None:
    """The buyer's typed answer to the question for ``slot`` (instead of a button), or None when the
    message is no answer: another slot asked, already answered, a correction of the order number, or
    a digression (FAQ, a person, "are you a bot?") that the form's rules answer."""
    if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot):
        return None
    latest = tracker.latest_message or {}
    if any(e.get("entity") == "order_number" for e in latest.get("entities", [])):
        return None
    if (latest.get("intent") or {}).get("name") in DIGRESSIONS:
        return None
    text = (latest.get("text") or "").strip()
    return text if text and not text.startswith("/") else None


def reset_events(*extra: str) -> list[EventType]:
    """Clear what a finished flow collected, so the next flow starts clean."""
    events: list[EventType] = [SlotSet(name, None) for name in (*ORDER_SLOTS, *extra)]
    events[1] = SlotSet("order_attempts", 0)
    return events


class OrderFormValidation(UsesApi, FormValidationAction):
    """Validation for a form whose first slot is ``order_number``; subclasses set ``purpose``.

    The buyer's account answers first (:meth:`pick_from_account`); a typed number is checked by the
    api; :meth:`on_order` adds what the flow finds on the picked order.
    """

    purpose = "seller"
    unavailable_response = "utter_service_unavailable"
    keeps_status = True  # the picked order's status goes to ``order_status`` for the flow's later questions

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server registers only the concrete forms' validators."""

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # No buyer, no attempts left or nothing to act on: no question; the submit action explains.
        if not tracker.get_slot("buyer_id") or out_of_attempts(tracker) or self.blocked(tracker):
            return []
        if not tracker.get_slot("order_number"):
            return domain_slots
        return self.slots_after_order(domain_slots, tracker)

    def blocked(self, tracker: Tracker) -> bool:
        """Nothing to act on (``order_blocker``: no fitting order, not digital, not cancellable...)."""
        return bool(tracker.get_slot("order_blocker"))

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        """Which slots the picked order still needs (a blocker found on the order can end the form)."""
        return domain_slots

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("order_number"):
            return {}
        if tracker.get_slot("requested_slot") == "order_number":
            return typed_order_number(tracker)
        buyer_id = tracker.get_slot("buyer_id")
        if not buyer_id:
            return {}
        try:
            return await self.pick_from_account(buyer_id)
        except ApiError:
            return {}  # the question is asked instead

    async def pick_from_account(self, buyer_id: str) -> dict[str, Any]:
        """At the form's start: the one order that fits, ``NO_ORDERS`` when nothing could, else {} (ask)."""
        found = await self.api.candidates(buyer_id, self.purpose)
        if found["count"] == 0:
            # Nothing fits: with other orders the question explains and asks for a typed number.
            return {} if found.get("others") else {"order_number": NO_ORDERS}
        if found["count"] == 1:
            return {"order_number": found["orders"][0]["number"]}
        return {}

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        buyer_id = tracker.get_slot("buyer_id")
        if value == NO_ORDERS:
            return {"order_number": NO_ORDERS, "order_blocker": "no_orders"}
        if not isinstance(value, str) or not buyer_id:
            return {"order_number": None}
        order = await checked_order(self.api, dispatcher, tracker, value, self.unavailable_response)
        if "failed" in order:
            return order["failed"]
        picked = {"order_number": order["number"]}
        if self.keeps_status:
            picked["order_status"] = order["status"]
        return {**picked, **await self.on_order(order, dispatcher, tracker)}

    async def on_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """Hook: flow-specific checks of the picked order (more slots to set)."""
        return {}


async def ask_order(api: CommerceApi, turn: Turn, purpose: str) -> None:
    """Buttons with the orders that fit the flow (best fit first); when none fits, why not and that
    another order's number can be typed; or the plain question."""
    if turn.buyer_id:
        try:
            found = await api.candidates(turn.buyer_id, purpose)
        except ApiError:
            found = {"count": 0, "others": 0, "orders": []}
        if found["orders"]:
            buttons = [order_button(o, turn.words) for o in found["orders"][:MAX_BUTTONS]]
            turn.say(f"utter_choose_order_{purpose}", buttons=buttons)
            return
        if found.get("others"):
            turn.say(f"utter_no_orders_{purpose}")
            turn.say("utter_type_other_order_number")
            return
    turn.say("utter_ask_order_number")


class OrderFlowAction(ApiAction, ABC):
    """The submit action of a form with ``order_number``: subclasses set ``purpose`` and implement
    :meth:`act_on_order`; this says why when there is no order to act on, and clears the order slots."""

    purpose: str

    def done(self, turn: Turn) -> list[EventType]:
        return reset_events(*self.clears)

    async def act(self, turn: Turn) -> list[EventType]:
        if turn.slot("order_blocker") == "no_orders":
            turn.say(f"utter_no_orders_{self.purpose}")
            return self.done(turn)
        number = turn.slot("order_number")
        if not number or number == NO_ORDERS:
            turn.say("utter_offer_human")
            return self.done(turn)
        return await self.act_on_order(turn, number)

    @abstractmethod
    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        """The flow's work on the buyer's order ``number``."""
