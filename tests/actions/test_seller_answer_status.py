"""action_seller_answer_status from tracker fixtures against a real api whose database holds seller threads.

The api here has a database of its own: the demo seed plus tests/support/seller_threads.py's
scenario (answered, waiting, escalated, overdue, none) for demo buyers that had no thread yet,
written relative to the real clock just before the api starts; its escalation task is slowed
down so the overdue question stays overdue.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import CommerceApi
from actions.formatting import format_date, format_datetime
from actions.seller_answer_status import NEXT_SLOT, OFFER_CONTACT, PICK_ORDER, ActionSellerAnswerStatus
from actions.wording import Words
from ops.servers import API_PY, ROOT, SERVICE_TOKEN, api_server, seed_database
from tests.support.trackers import DOMAIN, make_tracker, rendered, responses, slots

ASK = {"tr": "satıcı cevap verdi mi", "pl": "czy sprzedawca odpisał"}
ENGLISH = re.compile(r"\b(the|seller|answer|until|ticket|order|support)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def threads(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("threads-api")
    database_url = f"sqlite:///{workdir / 'app.db'}"
    seed_database(database_url)
    made = subprocess.run(
        [str(API_PY), "-m", "tests.support.seller_threads", database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    scenario = json.loads(made.stdout.strip().splitlines()[-1])
    with api_server(workdir, extra_env={"MD_ESCALATION_INTERVAL_SECONDS": "86400"}) as url:
        yield CommerceApi(url, SERVICE_TOKEN), scenario


def ask(buyer: str | None, language: str, order_number: str | None = None):
    entities = [{"entity": "order_number", "value": order_number}] if order_number else []
    slots = {"buyer_id": buyer, "language": language, "market": language.upper() if buyer else None}
    return make_tracker(slots, ASK[language], "ask_seller_answer", entities)


async def run(api, tracker) -> tuple[CollectingDispatcher, list]:
    dispatcher = CollectingDispatcher()
    events = await ActionSellerAnswerStatus(api).run(dispatcher, tracker, DOMAIN)
    return dispatcher, events


async def test_anonymous_buyers_are_asked_to_sign_in(threads):
    api, _ = threads
    dispatcher, events = await run(api, ask(None, "tr"))
    assert responses(dispatcher) == ["utter_sign_in_needed"]
    assert slots(events) == {"order_number": None, NEXT_SLOT: None}


async def test_several_threads_become_buttons_most_recent_first(threads):
    api, scenario = threads
    case = scenario["tr_several"]
    dispatcher, events = await run(api, ask(case["buyer"], "tr"))
    assert responses(dispatcher) == ["utter_seller_answer_choose_order"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        f'/ask_seller_answer{{"order_number":"{case["waiting"]}"}}',
        f'/ask_seller_answer{{"order_number":"{case["answered"]}"}}',
    ]
    assert all(b["title"].startswith(n) for b, n in zip(buttons, (case["waiting"], case["answered"]), strict=True))
    assert slots(events) == {"order_number": None, NEXT_SLOT: PICK_ORDER}


async def test_the_answer_who_when_and_the_words_then_the_case_update(threads):
    api, scenario = threads
    case = scenario["tr_several"]
    dispatcher, events = await run(api, ask(case["buyer"], "tr", case["answered"].lower()))
    assert responses(dispatcher) == ["utter_seller_answered", "utter_seller_update_shipped"]
    answered, shipped = dispatcher.messages
    assert answered["answer"] == "Merhaba, evet hediye paketi yapıyoruz, notunuzu da ekledik."
    assert answered["author"] == "Ayşe" and answered["order_number"] == case["answered"] and answered["seller"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", answered["at"])
    assert (shipped["carrier"], shipped["tracking_number"]) == ("Yurtiçi Kargo", "YK123456789")
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", shipped["expected_date"])
    text = "\n".join(rendered(dispatcher, "tr"))
    assert "hediye paketi yapıyoruz" in text and "YK123456789" in text and not ENGLISH.search(text)
    assert slots(events) == {"order_number": None, NEXT_SLOT: None}


@pytest.mark.parametrize(("case_name", "language", "market"), [("tr_several", "tr", "TR"), ("pl_waiting", "pl", "PL")])
async def test_a_waiting_question_says_until_when_in_the_markets_time(threads, case_name, language, market):
    api, scenario = threads
    case = scenario[case_name]
    order = case.get("waiting") or case["order"]
    due = case.get("waiting_due") or case["due"]
    dispatcher, _ = await run(api, ask(case["buyer"], language, order))
    assert responses(dispatcher) == ["utter_seller_answer_pending"]
    # The deadline as the market's clock shows it (Istanbul / Warsaw), not UTC.
    assert dispatcher.messages[0]["due"] == format_datetime(due, market)
    text = rendered(dispatcher, language)[0]
    assert format_datetime(due, market) in text and not ENGLISH.search(text)
    assert ("Türkiye saatiyle" if language == "tr" else "czasu polskiego") in text


async def test_a_single_thread_is_told_without_asking_which_order(threads):
    api, scenario = threads
    dispatcher, _ = await run(api, ask(scenario["pl_answered"]["buyer"], "pl"))
    assert responses(dispatcher) == ["utter_seller_answered"]
    assert dispatcher.messages[0]["answer"] == "Dzień dobry, tak, zapakujemy na prezent bez dopłaty."
    assert dispatcher.messages[0]["author"] == "Marta"
    assert not ENGLISH.search(rendered(dispatcher, "pl")[0])


async def test_after_the_deadline_support_took_it_over_with_the_ticket(threads):
    api, scenario = threads
    case = scenario["tr_escalated"]
    dispatcher, _ = await run(api, ask(case["buyer"], "tr"))
    assert responses(dispatcher) == ["utter_seller_answer_escalated"]
    assert dispatcher.messages[0]["ticket"] == case["ticket"] and case["ticket"].startswith("TR-")
    assert case["ticket"] in rendered(dispatcher, "tr")[0]


async def test_after_the_deadline_before_the_escalation_ran(threads):
    api, scenario = threads
    case = scenario["tr_overdue"]
    dispatcher, _ = await run(api, ask(case["buyer"], "tr", case["order"]))
    assert responses(dispatcher) == ["utter_seller_answer_overdue"]
    assert dispatcher.messages[0]["due"] == format_datetime(case["due"], "TR")


@pytest.mark.parametrize("language", ["tr", "pl"])
async def test_no_question_offers_to_write_to_the_seller(threads, language):
    api, scenario = threads
    buyer = scenario[f"{language}_none"]["buyer"]
    dispatcher, events = await run(api, ask(buyer, language))
    assert responses(dispatcher) == ["utter_seller_no_question"]
    yes, no = dispatcher.messages[0]["buttons"]
    assert (yes["payload"], no["payload"]) == ("/contact_seller", "/deny")
    assert slots(events) == {"order_number": None, NEXT_SLOT: OFFER_CONTACT}
    assert not any(ENGLISH.search(t) for t in rendered(dispatcher, language))
    order = (await api.candidates(buyer, "seller"))["orders"][0]["number"]
    dispatcher, _ = await run(api, ask(buyer, language, order))
    assert responses(dispatcher) == ["utter_seller_no_question_for_order"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == f'/contact_seller{{"order_number":"{order}"}}'


async def test_another_buyers_order_is_not_found_and_shows_nothing_of_theirs(threads):
    api, scenario = threads
    theirs = scenario["tr_several"]["answered"]
    other = scenario["tr_none"]["buyer"]
    dispatcher, events = await run(api, ask(other, "tr", theirs))
    assert responses(dispatcher) == ["utter_order_not_found"]
    assert "hediye paketi" not in json.dumps(dispatcher.messages, ensure_ascii=False)
    assert slots(events)[NEXT_SLOT] is None
    dispatcher, _ = await run(api, ask(other, "tr", "TR12"))
    assert responses(dispatcher) == ["utter_invalid_order_number"]


async def test_api_down_says_so(dead_api):
    dispatcher, events = await run(dead_api, ask("tr-0002", "tr"))
    assert responses(dispatcher) == ["utter_service_unavailable"]
    assert slots(events) == {"order_number": None, NEXT_SLOT: None}


def test_every_response_it_uses_speaks_turkish_and_polish():
    used = {
        "utter_seller_answer_choose_order",
        "utter_seller_answered",
        "utter_seller_answered_elsewhere",
        "utter_seller_earlier_answer",
        "utter_seller_answer_pending",
        "utter_seller_answer_escalated",
        "utter_seller_answer_overdue",
        "utter_seller_question_closed",
        "utter_seller_no_question",
        "utter_seller_no_question_for_order",
        "utter_seller_update_return_received",
        "utter_seller_update_repair_started",
        "utter_seller_update_repair_finished",
        "utter_seller_update_shipped",
        "utter_seller_update_replacement_sent",
        "utter_seller_update_note",
    }
    for name in used:
        languages = sorted(v["condition"][0]["value"] for v in DOMAIN["responses"][name])
        assert languages == ["pl", "tr"], name
        words = [re.sub(r"{\w+}", "", v["text"]) for v in DOMAIN["responses"][name]]  # placeholders aside
        assert not any(ENGLISH.search(text) for text in words), name
    assert format_date(None, Words(DOMAIN, "pl")) == "jeszcze nieznana"
