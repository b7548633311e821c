"""The whole seller loop in real browsers, with the real api, action server and Rasa.

A Turkish and a Polish buyer write to a seller in the widget (through the bot's contact-seller
flow); the seller signs in at /seller, answers and posts a "shipped" update; the buyer, connected,
sees both live and replies (urgent); an agent who takes the conversation sees the buyer-seller
thread read-only in the console. Another Polish buyer, offline meanwhile, sees the answer (and the
unread badge) when the page opens again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import uuid

import pytest
from playwright.sync_api import Page, expect

from ops.servers import API_PY, ROOT
from tests.support.screenshots import screenshot_path
from tests.support.stack import stack_database_url
from tests.support.widget import TIMEOUT, Widget, open_demo, stored_session

SAY = {
    "ask": {"tr": "satıcıya soru sormak istiyorum", "pl": "chcę napisać do sprzedawcy"},
    "question": {
        "tr": "Merhaba, ürünü hediye paketiyle gönderebilir misiniz?",
        "pl": "Dzień dobry, czy możecie zapakować produkt na prezent?",
    },
    "answer": {
        "tr": "Elbette, hediye paketi ücretsiz, yarın kargoda.",
        "pl": "Oczywiście, pakowanie na prezent jest bezpłatne, wysyłka jutro.",
    },
    "person": {"tr": "müşteri temsilcisiyle görüşmek istiyorum", "pl": "chcę rozmawiać z konsultantem"},
}
CARRIER = {"tr": "Aras Kargo", "pl": "InPost"}


def ask_the_seller(widget: Widget, language: str) -> None:
    """The bot's contact-seller flow: pick the first offered order, write the question."""
    widget.send(SAY["ask"][language])
    buttons = widget.page.get_by_test_id("quick-reply")
    expect(buttons.first).to_be_visible(timeout=TIMEOUT)
    before = widget.bubbles("bot").count()
    buttons.first.click()
    widget.wait_for_reply(before)
    widget.send(SAY["question"][language])
    expect(widget.bubbles("bot").last).to_contain_text("72" if language == "tr" else "24", timeout=TIMEOUT)


def question_of(database_url: str, conversation_id: str) -> tuple[int, str, str]:
    """(question id, order number, seller id) of the question the conversation sent."""
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT id, order_number, seller_id FROM seller_messages WHERE conversation_id = ? ORDER BY id DESC",
            (conversation_id,),
        ).fetchone()
    assert row is not None, "the question was not stored"
    return row


def conversation_id(page: Page) -> str | None:
    session = stored_session(page)
    return session["conversation_id"] if session else None


def seller_user(database_url: str, seller_id: str, language: str) -> tuple[str, str]:
    """A seller staff account made with the operator CLI, as a marketplace would."""
    username, password = f"seller-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}"
    env = {**os.environ, "MD_DATABASE_URL": database_url, "MD_SELLER_PASSWORD": password}
    name = "Selin" if language == "tr" else "Piotr"
    command = [str(API_PY), "-m", "api.cli", "create-seller-user", username, "--seller", seller_id]
    command += ["--name", name, "--language", language]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return username, password


def answer_and_ship(page: Page, base: str, credentials: tuple[str, str], order: str, language: str) -> None:
    page.goto(f"{base}/seller")
    page.get_by_test_id("login-username").fill(credentials[0])
    page.get_by_test_id("login-password").fill(credentials[1])
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("inbox-list")).to_be_visible(timeout=TIMEOUT)
    page.locator(f'[data-testid^="seller-thread-"][data-order="{order}"]').first.click()
    page.get_by_test_id("answer-input").fill(SAY["answer"][language])
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("thread-answer").last).to_contain_text(SAY["answer"][language], timeout=TIMEOUT)
    form = page.get_by_test_id("status-form")
    form.get_by_test_id("status-select").select_option("shipped")
    form.get_by_test_id("status-carrier").select_option(CARRIER[language])
    form.get_by_test_id("status-tracking").fill("TRK" + order[-6:])
    form.get_by_test_id("status-date").fill((dt.date.today() + dt.timedelta(days=3)).isoformat())
    form.get_by_test_id("status-submit").click()
    expect(page.get_by_test_id("thread-status").last).to_contain_text("TRK" + order[-6:], timeout=TIMEOUT)


@pytest.fixture
def contexts(browser):
    opened = []

    def new(locale: str):
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale=locale)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


LIVE = {
    "tr": {
        "buyer": "tr-0001",
        "locale": "tr-TR",
        "seller": "Selin",
        "reply": "Teşekkürler, kutuya not da ekler misiniz?",
        "urgent": "Acil",
    },
    "pl": {
        "buyer": "pl-0001",
        "locale": "pl-PL",
        "seller": "Piotr",
        "reply": "Dziękuję, czy możecie dołożyć liścik?",
        "urgent": "Pilne",
    },
}


@pytest.mark.parametrize("language", ["tr", "pl"])
def test_a_connected_buyer_hears_the_seller_live_and_an_agent_sees_the_thread(
    stack, contexts, tmp_path_factory, language
):
    case = LIVE[language]
    database_url = stack_database_url(tmp_path_factory)
    buyer_page = contexts(case["locale"]).new_page()
    widget = open_demo(buyer_page, stack.api_url, case["buyer"], language).open()
    ask_the_seller(widget, language)
    cid = conversation_id(buyer_page)
    _, order, seller_id = question_of(database_url, cid)

    seller_page = contexts(case["locale"]).new_page()
    answer_and_ship(seller_page, stack.api_url, seller_user(database_url, seller_id, language), order, language)

    bubbles = buyer_page.get_by_test_id("seller-message")
    expect(bubbles).to_have_count(2, timeout=TIMEOUT)  # live, without reloading
    expect(bubbles.first).to_contain_text(SAY["answer"][language])
    expect(bubbles.first).to_have_attribute("data-seller-name", re.compile(rf"^{case['seller']} \("))
    expect(buyer_page.get_by_test_id("panel")).to_contain_text(case["seller"])  # the name above the bubble
    expect(bubbles.last).to_contain_text("TRK" + order[-6:])
    expect(bubbles.last).to_contain_text(CARRIER[language])

    # The buyer answers the seller from the widget, marked urgent ("Acil" / "Pilne").
    buyer_page.get_by_test_id("seller-reply-button").first.click()  # under the answer's bubble
    buyer_page.get_by_test_id("seller-reply-input").fill(case["reply"])
    buyer_page.get_by_test_id("seller-reply-urgent").check()
    buyer_page.get_by_test_id("seller-reply-send").click()
    expect(widget.bubbles("buyer").last).to_contain_text(case["reply"], timeout=TIMEOUT)
    seller_page.reload()
    follow_up = seller_page.locator(f'[data-testid^="seller-thread-"][data-order="{order}"]').first
    expect(follow_up.get_by_test_id("thread-urgent")).to_have_text(case["urgent"], timeout=TIMEOUT)
    buyer_page.screenshot(path=screenshot_path(f"widget-seller-{language}.png"))

    # The buyer asks for a person; the agent sees the buyer-seller thread of the order, read-only.
    agent_page = contexts("tr-TR").new_page()
    agent_page.goto(f"{stack.api_url}/console")
    agent_page.get_by_test_id("login-username").fill("demo")
    agent_page.get_by_test_id("login-password").fill("demo-agent-2026")
    agent_page.get_by_test_id("login-submit").click()
    agent_page.get_by_test_id("presence-select").select_option("online")
    widget.send(SAY["person"][language])
    item = agent_page.locator(f'[data-testid="queue-item"][data-conversation-id="{cid}"]')
    expect(item).to_be_visible(timeout=TIMEOUT)
    item.get_by_test_id("claim-button").click()
    thread = agent_page.get_by_test_id("seller-threads")
    expect(thread).to_contain_text(order, timeout=TIMEOUT)
    expect(thread).to_contain_text(SAY["answer"][language])
    expect(thread).to_contain_text(case["reply"])
    expect(thread.locator("textarea, input")).to_have_count(0)  # read-only
    agent_page.get_by_test_id("resolve-button").click()
    agent_page.get_by_test_id("presence-select").select_option("offline")


def test_an_offline_polish_buyer_finds_the_answer_when_the_widget_opens_again(stack, contexts, tmp_path_factory):
    database_url = stack_database_url(tmp_path_factory)
    buyer_context = contexts("pl-PL")
    buyer_page = buyer_context.new_page()
    widget = open_demo(buyer_page, stack.api_url, "pl-0002", "pl").open()
    ask_the_seller(widget, "pl")
    cid = conversation_id(buyer_page)
    _, order, seller_id = question_of(database_url, cid)
    buyer_page.close()  # the buyer leaves

    seller_page = contexts("pl-PL").new_page()
    answer_and_ship(seller_page, stack.api_url, seller_user(database_url, seller_id, "pl"), order, "pl")

    back = buyer_context.new_page()  # same browser storage: the conversation resumes
    open_demo(back, stack.api_url, "pl-0002", "pl")
    badge = back.get_by_test_id("launcher-unread")
    expect(badge).to_be_visible(timeout=TIMEOUT)
    expect(badge).to_have_attribute("data-count", "2")
    Widget(back).open()
    bubbles = back.get_by_test_id("seller-message")
    expect(bubbles).to_have_count(2, timeout=TIMEOUT)
    expect(bubbles.first).to_contain_text(SAY["answer"]["pl"])
    expect(bubbles.last).to_contain_text("TRK" + order[-6:])
    expect(badge).to_be_hidden()
    assert conversation_id(back) == cid
    back.screenshot(path=screenshot_path("widget-seller-pl-offline.png"))
