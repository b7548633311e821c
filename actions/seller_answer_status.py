"""ask_seller_answer: "did the seller answer?" about the buyer's own questions to sellers.

The api's seller threads (GET /buyers/{id}/seller-threads, api/sellers/buyer_view.py) say where
the latest question of each order stands; this action only phrases it: the seller's answer (who,
when, the words), or how long the seller still has (the deadline in the market's time zone), or,
after the deadline, that platform support took the question over (the ticket's reference). Several
threads and no order named: buttons, most recent first. No question at all: an offer to write to
the seller (the contact_seller flow).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.api_client import ApiError
from actions.base import ApiAction, Turn
from actions.formatting import NOT_KNOWN, format_date, format_datetime, format_items
from actions.order_picking import MAX_BUTTONS, shown_number
from actions.wording import Words

NEXT_SLOT = "seller_answer_next"  # what the rules expect after this action: a picked order, or yes to writing
PICK_ORDER = "pick_order"
OFFER_CONTACT = "offer_contact"
UPDATE_RESPONSES = {
    "return_received": "utter_seller_update_return_received",
    "repair_started": "utter_seller_update_repair_started",
    "repair_finished": "utter_seller_update_repair_finished",
    "shipped": "utter_seller_update_shipped",
    "replacement_sent": "utter_seller_update_replacement_sent",
}


def payload(intent: str, order_number: str | None = None) -> str:
    entities = {"order_number": order_number} if order_number else {}
    return f"/{intent}" + (json.dumps(entities, separators=(",", ":")) if entities else "")


def thread_button(thread: dict[str, Any], words: Words) -> dict[str, str]:
    items = format_items(thread.get("items") or [], words, shown=1)
    title = f"{thread['order_number']} · {thread['seller']}" + (f" · {items}" if items else "")
    return {"title": title[:80], "payload": payload("ask_seller_answer", thread["order_number"])}


def asked_order_number(tracker: Tracker) -> str | None:
    """The order number in this message (typed, or from a button), never one left over from another flow."""
    for entity in (tracker.latest_message or {}).get("entities", []):
        if entity.get("entity") == "order_number" and isinstance(entity.get("value"), str):
            return entity["value"].strip()[:64]
    return None


class ActionSellerAnswerStatus(ApiAction):
    clears = ("order_number", NEXT_SLOT)

    def name(self) -> str:
        return "action_seller_answer_status"

    async def act(self, turn: Turn) -> list[EventType]:
        number = asked_order_number(turn.tracker)
        query = "/seller-threads" + (f"?{urlencode({'order_number': number})}" if number else "")
        try:
            found = await self.api.request("GET", query, buyer=turn.buyer_id)
        except ApiError as error:
            if error.unavailable:
                raise
            if error.code == "invalid_order_number":
                turn.say("utter_invalid_order_number")
                return self.done(turn)
            if error.code == "order_not_found":
                turn.say("utter_order_not_found", order_number=shown_number(number))
                return self.done(turn)
            found = {"count": 0, "threads": []}  # unknown buyer: nothing was ever sent from this account
        threads = found.get("threads") or []
        if not threads:
            return self.offer_contact(turn, number)
        if len(threads) > 1:
            buttons = [thread_button(t, turn.words) for t in threads[:MAX_BUTTONS]]
            turn.say("utter_seller_answer_choose_order", buttons=buttons)
            return [SlotSet("order_number", None), SlotSet(NEXT_SLOT, PICK_ORDER)]
        tell(turn, threads[0])
        return self.done(turn)

    @staticmethod
    def offer_contact(turn: Turn, number: str | None) -> list[EventType]:
        buttons = [
            {"title": turn.words.text("utter_label_offer_contact_yes"), "payload": payload("contact_seller", number)},
            {"title": turn.words.text("utter_label_offer_contact_no"), "payload": "/deny"},
        ]
        if number:
            turn.say("utter_seller_no_question_for_order", order_number=number, buttons=buttons)
        else:
            turn.say("utter_seller_no_question", buttons=buttons)
        return [SlotSet("order_number", None), SlotSet(NEXT_SLOT, OFFER_CONTACT)]


def tell(turn: Turn, thread: dict[str, Any]) -> None:
    """One thread: its state in words, then the seller's latest case update if there is one."""
    dispatcher = turn.dispatcher
    market = thread.get("market") or turn.market
    question = thread["latest_question"]
    answer = thread.get("latest_answer")
    common = {
        "seller": thread["seller"],
        "order_number": thread["order_number"],
        "sent_at": format_datetime(question["sent_at"], market),
        "due": format_datetime(question["answer_due"], market),
    }
    state = thread["state"]
    if answer and state == "answered" and answer["to_latest_question"]:
        dispatcher.utter_message(
            response="utter_seller_answered",
            **common,
            author=answer["author_name"],
            at=format_datetime(answer["at"], market),
            answer=answer["text"],
        )
    elif state == "answered":  # answered outside the platform's replies (no text kept here)
        answered_at = question.get("answered_at") or question["answer_due"]
        dispatcher.utter_message(
            response="utter_seller_answered_elsewhere", **common, at=format_datetime(answered_at, market)
        )
    else:
        if answer:  # an earlier question of the same order was answered; the newer one is still open
            dispatcher.utter_message(
                response="utter_seller_earlier_answer",
                **common,
                author=answer["author_name"],
                at=format_datetime(answer["at"], market),
                answer=answer["text"],
            )
        if state == "waiting":
            dispatcher.utter_message(response="utter_seller_answer_pending", **common)
        elif state == "escalated" and (thread.get("escalation") or {}).get("ticket_reference"):
            dispatcher.utter_message(
                response="utter_seller_answer_escalated", **common, ticket=thread["escalation"]["ticket_reference"]
            )
        elif state in ("escalated", "overdue"):
            dispatcher.utter_message(response="utter_seller_answer_overdue", **common)
        else:  # closed
            closed = question.get("closed_at") or question["answer_due"]
            dispatcher.utter_message(
                response="utter_seller_question_closed", **common, closed_at=format_datetime(closed, market)
            )
    update = thread.get("latest_status_update")
    if update and update.get("status") in UPDATE_RESPONSES:
        dispatcher.utter_message(
            response=UPDATE_RESPONSES[update["status"]],
            order_number=thread["order_number"],
            at=format_datetime(update["at"], market),
            carrier=update.get("carrier") or turn.words.text(NOT_KNOWN),
            tracking_number=update.get("tracking_number") or turn.words.text(NOT_KNOWN),
            expected_date=format_date(update.get("expected_date"), turn.words),
        )
        if update.get("note"):
            dispatcher.utter_message(response="utter_seller_update_note", note=update["note"])
