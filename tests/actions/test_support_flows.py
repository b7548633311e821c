"""Support-flow actions from tracker fixtures against the real api and its seeded demo data."""

from __future__ import annotations

import aiohttp
import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

from actions.account import ActionAccountRestricted
from actions.cancel_order import ActionCancelOrder, ValidateCancelOrderForm
from actions.complaint import ActionRecordComplaint, ValidateComplaintForm
from actions.delivery_issues import ActionDeliveryInvestigation, ValidateDeliveredNotReceivedForm
from actions.digital_codes import ActionDigitalCodeIssue, ValidateDigitalCodeForm
from actions.handoff import ActionHandoff
from actions.order_picking import NO_ORDERS
from actions.returns import ActionCreateReturn, ActionResubmitReturn, ValidateReturnForm, ValidateReturnResubmitForm
from actions.seller_contact import ActionPersonOrSellerMessage, ValidateContactSellerForm
from actions.tracking import ActionAskOrderNumber
from actions.wallet import ActionWalletFrozen
from ops.servers import demo_buyer_token
from tests.support.trackers import DOMAIN, make_tracker, responses, slots


async def test_cancel_offers_only_cancellable_orders_and_cancels_after_yes(api, dispatcher):
    tracker = make_tracker(
        {"buyer_id": "pl-0002", "language": "pl"}, "anuluj", "cancel_order", active_loop="cancel_order_form"
    )
    # Three orders fit (being prepared, shipped, in transit): none is taken for the buyer, the question offers them.
    assert (await api.candidates("pl-0002", "cancel"))["count"] == 3
    assert await ValidateCancelOrderForm(api).extract_order_number(dispatcher, tracker, DOMAIN) == {}
    await ActionAskOrderNumber(api).run(dispatcher, tracker, DOMAIN)
    [ask] = dispatcher.messages
    assert ask["response"] == "utter_choose_order_cancel" and len(ask["buttons"]) == 3  # preparing, shipped, in transit
    preparing = next(o for o in (await api.candidates("pl-0002", "cancel"))["orders"] if o["status"] == "preparing")
    confirmed = make_tracker(
        {
            "buyer_id": "pl-0002",
            "language": "pl",
            "order_number": preparing["number"],
            "order_status": "preparing",
            "cancel_confirmed": True,
        },
        active_loop="cancel_order_form",
    )
    events = await ActionCancelOrder(api).run(dispatcher, confirmed, DOMAIN)
    assert responses(dispatcher)[-1] == "utter_order_cancelled_now"
    assert "zł" in dispatcher.messages[-1]["refund_amount"]
    assert slots(events)["order_number"] is None
    again = await ActionCancelOrder(api).run(dispatcher, confirmed, DOMAIN)
    assert responses(dispatcher)[-1] == "utter_cancel_already_cancelled" and again


async def test_cancel_declined_keeps_the_order(api, dispatcher):
    tracker = make_tracker(
        {"buyer_id": "tr-0002", "order_number": "TR00000000", "order_status": "preparing", "cancel_confirmed": False}
    )
    await ActionCancelOrder(api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_cancel_kept"]


async def test_a_shipped_order_skips_the_confirmation(api, dispatcher):
    form = ValidateCancelOrderForm(api)
    # The api's answer when the order was picked (test_only_the_api_decides_what_can_be_cancelled).
    tracker = make_tracker(
        {"buyer_id": "tr-0002", "order_number": "TR1", "order_status": "shipped", "order_blocker": "shipped"}
    )
    assert form.slots_after_order(["order_number", "cancel_confirmed"], tracker) == ["order_number"]


@pytest.mark.parametrize(("buyer", "language"), [("tr-0002", "tr"), ("pl-0002", "pl")])
async def test_only_the_api_decides_what_can_be_cancelled(api, dispatcher, buyer, language):
    form = ValidateCancelOrderForm(api)
    tracker = make_tracker({"buyer_id": buyer, "language": language}, active_loop="cancel_order_form")
    for order in (await api.candidates(buyer, "cancel"))["orders"]:
        picked = await form.validate_order_number(order["number"], dispatcher, tracker, DOMAIN)
        if order["status"] == "preparing":
            assert "order_blocker" not in picked  # asked "are you sure?"
            continue
        assert picked["order_blocker"] == "shipped"  # in the carrier's hands: no question, the reason
        done = make_tracker({"buyer_id": buyer, "language": language, **picked})
        assert await form.required_slots(["order_number", "cancel_confirmed"], dispatcher, done, DOMAIN) == []
        dispatcher.messages.clear()
        await ActionCancelOrder(api).run(dispatcher, done, DOMAIN)
        assert responses(dispatcher) == ["utter_cancel_too_late_shipped"]
    assert (await api.order(buyer, order["number"]))["status"] == order["status"]  # nothing was cancelled


async def test_no_fitting_order_ends_the_form_with_an_explanation(api, dispatcher):
    form = ValidateDigitalCodeForm(api)
    tracker = make_tracker(
        {"buyer_id": "tr-0001"}, "kod çalışmıyor", "digital_code_issue", active_loop="digital_code_form"
    )
    # tr-0001 has other orders: the form asks (tests/actions/test_order_fit_flows.py); an account
    # with nothing the flow could act on ends it.
    assert await form.extract_order_number(dispatcher, tracker, DOMAIN) == {}
    checked = await form.validate_order_number(NO_ORDERS, dispatcher, tracker, DOMAIN)
    assert checked["order_blocker"] == "no_orders"
    done = make_tracker({"buyer_id": "tr-0001", "order_number": NO_ORDERS, "order_blocker": "no_orders"})
    await ActionDigitalCodeIssue(api).run(dispatcher, done, DOMAIN)
    assert responses(dispatcher) == ["utter_no_orders_digital"]


@pytest.mark.parametrize(("buyer", "language"), [("tr-0004", "tr"), ("pl-0004", "pl")])
async def test_return_blockers_and_a_created_return(api, dispatcher, buyer, language):
    form = ValidateReturnForm(api)
    tracker = make_tracker({"buyer_id": buyer, "language": language}, active_loop="return_form")
    verdicts = {}
    # Every delivered order: those in the window are offered, the closed one is reachable by typing it.
    for order in (await api.candidates(buyer, "delivered"))["orders"]:
        verdicts[order["number"]] = await form.on_order(order, dispatcher, tracker)
    blockers = sorted(str(v.get("return_blocker")) for v in verdicts.values())
    assert blockers == ["None", "hygiene", "window_closed"]
    number, picked = next((n, v) for n, v in verdicts.items() if not v.get("return_blocker"))
    eligibility = await api.request("GET", f"/orders/{number}/return-eligibility", buyer=buyer)
    returnable = [str(i["id"]) for i in eligibility["items"] if i["returnable"]]
    assert picked["return_item"] == (returnable[0] if len(returnable) == 1 else None)
    done = make_tracker(
        {
            "buyer_id": buyer,
            "language": language,
            "order_number": number,
            "return_item": returnable[0],
            "return_reason": "other",
            "return_note": "renk fotoğraftakinden farklı",
        },
    )
    await ActionCreateReturn(api).run(dispatcher, done, DOMAIN)
    created = dispatcher.messages[-1]
    assert created["response"] == "utter_return_created" and created["code"].startswith(f"RET-{buyer[:2].upper()}")
    closed = next(n for n, v in verdicts.items() if v.get("return_blocker") == "window_closed")
    blocked = make_tracker(
        {
            "buyer_id": buyer,
            "language": language,
            "order_number": closed,
            "return_blocker": "window_closed",
            "return_deadline": verdicts[closed]["return_deadline"],
        }
    )
    await ActionCreateReturn(api).run(dispatcher, blocked, DOMAIN)
    assert dispatcher.messages[-1]["response"] == "utter_return_blocked_window_closed"
    assert dispatcher.messages[-1]["deadline"].count(".") == 2


async def test_second_rejection_goes_to_a_person(api, dispatcher):
    form = ValidateReturnResubmitForm(api)
    tracker = make_tracker(
        {"buyer_id": "tr-0006"}, "iadem reddedildi", "return_rejected", active_loop="return_resubmit_form"
    )
    extracted = await form.extract_return_code(dispatcher, tracker, DOMAIN)
    checked = await form.validate_return_code(extracted["return_code"], dispatcher, tracker, DOMAIN)
    assert checked["resubmit_blocker"] == "used"
    assert responses(dispatcher) == ["utter_return_rejection_reason"]
    done = make_tracker({"buyer_id": "tr-0006", **checked})
    events = await ActionResubmitReturn(api).run(dispatcher, done, DOMAIN)
    assert FollowupAction("action_handoff") in events and SlotSet("handoff_reason", "second_return_rejection") in events


async def test_first_rejection_is_resubmitted(api, dispatcher):
    form = ValidateReturnResubmitForm(api)
    tracker = make_tracker({"buyer_id": "pl-0005", "language": "pl"}, active_loop="return_resubmit_form")
    code = (await form.extract_return_code(dispatcher, tracker, DOMAIN))["return_code"]
    checked = await form.validate_return_code(code, dispatcher, tracker, DOMAIN)
    assert "resubmit_blocker" not in checked
    done = make_tracker(
        {
            "buyer_id": "pl-0005",
            "language": "pl",
            "return_code": code,
            "resubmit_explanation": "Metka jest na miejscu",
            "evidence_done": True,
        }
    )
    await ActionResubmitReturn(api).run(dispatcher, done, DOMAIN)
    assert dispatcher.messages[-1]["response"] == "utter_return_resubmitted" and dispatcher.messages[-1]["photos"] == 0


async def test_activated_code_is_not_refunded(api, dispatcher):
    digital = (await api.candidates("tr-0004", "digital"))["orders"]
    activated = digital[-1]["number"]  # oldest: the activated one
    tracker = make_tracker({"buyer_id": "tr-0004", "order_number": activated, "digital_problem": "invalid"})
    await ActionDigitalCodeIssue(api).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher)[0] == "utter_code_activated"


async def test_security_hold_hands_over_and_system_freeze_opens_a_record(api, dispatcher):
    hold = await ActionWalletFrozen(api).run(dispatcher, make_tracker({"buyer_id": "tr-0006"}), DOMAIN)
    assert responses(dispatcher)[:2] == ["utter_wallet_security_hold", "utter_wallet_promo_expired"]
    assert FollowupAction("action_handoff") in hold
    dispatcher.messages.clear()
    await ActionWalletFrozen(api).run(dispatcher, make_tracker({"buyer_id": "pl-0005", "language": "pl"}), DOMAIN)
    [freeze] = dispatcher.messages
    assert freeze["response"] == "utter_wallet_system_freeze" and freeze["reference"].startswith("PL-")


async def test_delivered_facts_are_shown_before_asking_about_neighbours(api, dispatcher):
    form = ValidateDeliveredNotReceivedForm(api)
    tracker = make_tracker({"buyer_id": "tr-0004"}, active_loop="delivered_not_received_form")
    order = (await api.candidates("tr-0004", "delivered"))["orders"][0]
    assert await form.on_order(order, dispatcher, tracker) == {"delivery_blocker": None}
    facts = dispatcher.messages[0]
    assert facts["response"] == "utter_delivery_facts" and facts["delivered_to"] and facts["carrier"]
    not_yet = make_tracker({"buyer_id": "tr-0004", "order_number": order["number"], "neighbours_checked": False})
    await ActionDeliveryInvestigation(api).run(dispatcher, not_yet, DOMAIN)
    assert responses(dispatcher)[-1] == "utter_check_neighbours_first"
    checked = make_tracker({"buyer_id": "tr-0004", "order_number": order["number"], "neighbours_checked": True})
    await ActionDeliveryInvestigation(api).run(dispatcher, checked, DOMAIN)
    assert responses(dispatcher)[-1] == "utter_investigation_opened"


@pytest.mark.parametrize(
    ("text", "language", "blocked"),
    [
        ("numaram 0532 111 22 33 arayın", "tr", "utter_seller_message_blocked_phone_number"),
        ("insta: @ucuzcu_magaza yaz", "tr", "utter_seller_message_blocked_social_handle"),
        ("taniej się nie da?", "pl", "utter_seller_message_blocked_bargaining"),
        ("kargoya vermeyin, elden ödeme yapayım", "tr", "utter_seller_message_blocked_off_platform"),
        ("zapłacę blikiem na telefon, bez platformy", "pl", "utter_seller_message_blocked_off_platform"),
        ("czy mogę odebrać osobiście w sobotę?", "pl", None),
    ],
)
async def test_seller_messages_are_moderated_before_sending(api, dispatcher, text, language, blocked):
    tracker = make_tracker({"buyer_id": f"{language}-0001", "language": language})
    result = await ValidateContactSellerForm(api).validate_seller_message(text, dispatcher, tracker, DOMAIN)
    if blocked:
        assert result == {"seller_message": None} and responses(dispatcher) == [blocked]
    else:
        assert result == {"seller_message": text} and dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "language", "blocked"),
    [
        ("beni [PHONE] dan arayın", "tr", "utter_seller_message_blocked_phone_number"),
        ("kargo çıkınca [EMAIL] adresime yazsın", "tr", "utter_seller_message_blocked_email"),
        ("niech sprzedawca zadzwoni pod [PHONE]", "pl", "utter_seller_message_blocked_phone_number"),
        ("bir insanla görüşmek istiyorum", "tr", None),
        ("połącz mnie z konsultantem", "pl", None),
    ],
)
async def test_call_me_with_a_number_in_the_seller_form_is_the_message_not_a_handoff(
    api, dispatcher, text, language, blocked
):
    tracker = make_tracker(
        {"buyer_id": f"{language}-0001", "language": language, "requested_slot": "seller_message"},
        text=text,
        intent="human_agent",
        active_loop="contact_seller_form",
    )
    events = await ActionPersonOrSellerMessage(api).run(dispatcher, tracker, DOMAIN)
    if blocked:
        assert responses(dispatcher) == [blocked]
        assert events == [SlotSet("seller_message", None), FollowupAction("contact_seller_form")]
    else:
        assert dispatcher.messages == [] and FollowupAction("action_handoff") in events
        assert ActiveLoop(None) in events


async def test_a_plea_for_a_person_while_choosing_the_order_hands_over(api, dispatcher):
    tracker = make_tracker(
        {"buyer_id": "tr-0001", "language": "tr", "requested_slot": "order_number"},
        text="beni [PHONE] dan arayın",
        intent="human_agent",
        active_loop="contact_seller_form",
    )
    events = await ActionPersonOrSellerMessage(api).run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages == [] and events[-1] == FollowupAction("action_handoff")


async def test_suspension_goes_to_a_person_and_order_block_has_a_date(api, dispatcher):
    events = await ActionAccountRestricted(api).run(dispatcher, make_tracker({"buyer_id": "pl-0006"}), DOMAIN)
    assert responses(dispatcher) == ["utter_restriction_suspension"] and FollowupAction("action_handoff") in events
    await ActionAccountRestricted(api).run(dispatcher, make_tracker({"buyer_id": "tr-0004"}), DOMAIN)
    assert responses(dispatcher)[-1] == "utter_restriction_order_block" and dispatcher.messages[-1]["until"]


async def test_a_long_first_message_is_the_complaint(api, dispatcher):
    text = "üç haftadır kimse dönmüyor, müşteri hizmetleri telefonu kapatıyor, şikayetçiyim resmen"
    tracker = make_tracker({"buyer_id": "tr-0003"}, text, "complaint", active_loop="complaint_form")
    assert await ValidateComplaintForm().extract_complaint_text(dispatcher, tracker, DOMAIN) == {"complaint_text": text}
    await ActionRecordComplaint(api).run(
        dispatcher, make_tracker({"buyer_id": "tr-0003", "complaint_text": text}), DOMAIN
    )
    recorded = dispatcher.messages[-1]
    assert recorded["response"] == "utter_complaint_recorded" and "CİMER" in recorded["bodies"]


async def test_handoff_files_one_request_per_conversation(api, api_url, dispatcher):
    signed_in = {"language": "pl", "buyer_token": demo_buyer_token(api_url, "pl-0001")}
    async with aiohttp.ClientSession() as http, http.post(f"{api_url}/api/v1/conversations", json=signed_in) as reply:
        status, started = reply.status, await reply.json()
    assert status == 201
    tracker = make_tracker({"buyer_id": "pl-0001", "order_number": "PL12345678"}, "konsultant", "human_agent")
    tracker.sender_id = started["conversation_id"]
    await ActionHandoff(api).run(dispatcher, tracker, DOMAIN)
    await ActionHandoff(api).run(dispatcher, tracker, DOMAIN)
    first, second = dispatcher.messages
    assert first["response"] == "utter_handoff_requested" and second["response"] == "utter_handoff_existing"
    assert first["reference"] == second["reference"] and first["reference"].startswith("PL-")
    unknown = await ActionHandoff(api).run(dispatcher, make_tracker({"buyer_id": "tr-0001"}), DOMAIN)
    assert responses(dispatcher)[-1] == "utter_service_unavailable" and unknown


async def test_anonymous_buyers_are_asked_to_sign_in(api, dispatcher):
    for action in (ActionWalletFrozen(api), ActionAccountRestricted(api), ActionCancelOrder(api)):
        await action.run(dispatcher, make_tracker({}), DOMAIN)
    assert responses(dispatcher) == ["utter_sign_in_needed"] * 3


async def test_api_down_is_said_not_hidden(dead_api, dispatcher):
    await ActionWalletFrozen(dead_api).run(dispatcher, make_tracker({"buyer_id": "tr-0004"}), DOMAIN)
    assert responses(dispatcher) == ["utter_service_unavailable"]
