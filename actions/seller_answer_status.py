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

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi
from actions.formatting import NOT_KNOWN, format_date, format_datetime, format_items, language_of, market_of
from actions.order_picking import MAX_BUTTONS

NEXT_SLOT = "seller_answer_next"  # what the rules expect after this action: a picked order, or yes to writing
PICK_ORDER = "pick_order"
OFFER_CONTACT = "offer_contact"
OFFER_TITLES = {
    "tr": ("Evet, satıcıya yazmak istiyorum", "Hayır, teşekkürler"),
    "pl": ("Tak, chcę napisać do sprzedawcy", "Nie, dziękuję"),
}
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


def thread_button(thread: dict[str, Any], language: str) -> dict[str, str]:
    items = format_items(thread.get("items") or [], language, shown=1)
    title = f"{thread['order_number']} · {thread['seller']}" + (f" · {items}" if items else "")
    return {"title": title[:80], "payload": payload("ask_seller_answer", thread["order_number"])}


def asked_order_number(tracker: Tracker) -> str | None:
    """The order number in this message (typed, or from a button), never one left over from another flow."""
    for entity in (tracker.latest_message or {}).get("entities", []):
        if entity.get("entity") == "order_number" and isinstance(entity.get("value"), str):
            return entity["value"].strip()[:64]
    return None


class ActionSellerAnswerStatus(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_seller_answer_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        done: list[EventType] = [SlotSet("order_number", None), SlotSet(NEXT_SLOT, None)]
        buyer_id = tracker.get_slot("buyer_id")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_needed")
            return done
        language = language_of(tracker.get_slot("language"))
        number = asked_order_number(tracker)
        query = "/seller-threads" + (f"?{urlencode({'order_number': number})}" if number else "")
        try:
            found = await self.api.buyer_call("GET", buyer_id, query)
        except ApiUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable")
            return done
        except ApiRefused as refused:
            if refused.code == "invalid_order_number":
                dispatcher.utter_message(response="utter_invalid_order_number")
                return done
            if refused.code == "order_not_found":
                dispatcher.utter_message(response="utter_order_not_found", order_number=_shown(number))
                return done
            found = {"count": 0, "threads": []}  # unknown buyer: nothing was ever sent from this account
        threads = found.get("threads") or []
        if not threads:
            return self.offer_contact(dispatcher, language, number, done)
        if len(threads) > 1:
            buttons = [thread_button(t, language) for t in threads[:MAX_BUTTONS]]
            dispatcher.utter_message(response="utter_seller_answer_choose_order", buttons=buttons)
            return [SlotSet("order_number", None), SlotSet(NEXT_SLOT, PICK_ORDER)]
        tell(dispatcher, threads[0], language, market_of(tracker))
        return done

    @staticmethod
    def offer_contact(
        dispatcher: CollectingDispatcher, language: str, number: str | None, done: list[EventType]
    ) -> list[EventType]:
        yes, no = OFFER_TITLES[language]
        buttons = [{"title": yes, "payload": payload("contact_seller", number)}, {"title": no, "payload": "/deny"}]
        if number:
            dispatcher.utter_message(
                response="utter_seller_no_question_for_order", order_number=number, buttons=buttons
            )
        else:
            dispatcher.utter_message(response="utter_seller_no_question", buttons=buttons)
        return [SlotSet("order_number", None), SlotSet(NEXT_SLOT, OFFER_CONTACT)]


def _shown(number: str | None) -> str:
    return "".join(c for c in (number or "") if c.isalnum() or c in " -")[:20]


def tell(dispatcher: CollectingDispatcher, thread: dict[str, Any], language: str, fallback_market: str) -> None:
    """One thread: its state in words, then the seller's latest case update if there is one."""
    market = thread.get("market") or fallback_market
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
            carrier=update.get("carrier") or NOT_KNOWN[language],
            tracking_number=update.get("tracking_number") or NOT_KNOWN[language],
            expected_date=format_date(update.get("expected_date"), language),
        )
        if update.get("note"):
            dispatcher.utter_message(response="utter_seller_update_note", note=update["note"])
