"""The buyer's widget in a real browser (Debian's chromium driven by Playwright) against the real stack."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from ops.servers import SERVICE_TOKEN, api_server, http_json, reserved_port
from tests.support.screenshots import screenshot_path
from tests.support.widget import TIMEOUT, Widget, open_demo, stored_session


def test_turkish_conversation_with_buttons(stack, page):
    orders = stack.internal("/buyers/tr-0002/trackable-orders")["orders"]
    widget = open_demo(page, stack.api_url, "tr-0002", "tr").open()
    widget.send("merhaba, kargom ne zaman gelir?")
    shipped, answer = widget.pick_shipped_order(orders)
    assert orders[shipped]["shipment"]["tracking_code"] in answer and "Kargo firması" in answer
    page.screenshot(path=screenshot_path("widget-tr.png"))


def test_polish_conversation_with_buttons(stack, page):
    orders = stack.internal("/buyers/pl-0002/trackable-orders")["orders"]
    widget = open_demo(page, stack.api_url, "pl-0002", "pl").open()
    widget.send("dzień dobry")
    widget.send("gdzie jest moja paczka?")
    shipped, answer = widget.pick_shipped_order(orders)
    assert orders[shipped]["shipment"]["tracking_code"] in answer and "Przewoźnik" in answer
    widget.send("dzięki, to wszystko")
    expect(page.get_by_test_id("panel")).to_contain_text("Czy mogę pomóc")
    page.screenshot(path=screenshot_path("widget-pl.png"))


def test_offer_of_a_person_is_a_button_in_polish(stack, page):
    widget = open_demo(page, stack.api_url, "pl-0002", "pl").open()
    widget.send("gdzie moja paczka")
    for typed in ("PL00000001", "PL00000002", "PL00000003"):
        widget.send(typed)
    person = page.get_by_test_id("quick-reply").filter(has_text="konsultantem")
    before = widget.bubbles("bot").count()
    person.click()
    widget.wait_for_reply(before)
    assert re.search(r"PL-\d{6}-\d{4}", widget.last_bot_text())  # a person: a ticket when none is online


def test_history_survives_a_reload(stack, page):
    widget = open_demo(page, stack.api_url, "tr-0001", "tr").open()
    widget.send("merhaba")
    widget.send("siparişim nerede")
    texts = widget.bubbles().all_inner_texts()
    page.reload()
    page.wait_for_function("() => !!document.querySelector('marketdesk-widget')")
    Widget(page).open()
    expect(Widget(page).bubbles()).to_have_count(len(texts), timeout=TIMEOUT)
    assert Widget(page).bubbles().all_inner_texts() == texts


def test_html_and_script_payloads_show_as_text(stack, page):
    payload = '<img src=x onerror="window.__pwned=1"><b>kalın</b><script>window.__pwned=2</script>'
    widget = open_demo(page, stack.api_url, "tr-0003", "tr").open()
    widget.send(payload)
    assert widget.bubbles("buyer").last.inner_text() == payload
    assert page.evaluate("() => window.__pwned") is None
    shadow_markup = page.evaluate("() => document.querySelector('marketdesk-widget').shadowRoot.innerHTML")
    assert "<b>kalın</b>" not in shadow_markup and '<img src="x"' not in shadow_markup


def test_keyboard_only(stack, page):
    open_demo(page, stack.api_url, "pl-0003", "pl")
    launcher = page.get_by_test_id("launcher")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("input")).to_be_focused()
    widget = Widget(page)
    before = widget.bubbles("bot").count()
    page.keyboard.type("cześć")
    page.keyboard.press("Enter")
    widget.wait_for_reply(before)
    expect(widget.bubbles("buyer").last).to_have_text("cześć")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def png(size: tuple[int, int], noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, (20, 120, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_attachments_accepted_and_refused(stack, page, tmp_path):
    widget = open_demo(page, stack.api_url, "tr-0001", "tr").open()
    widget.send("merhaba")
    good = tmp_path / "kod-hatasi.png"
    good.write_bytes(png((64, 48)))
    page.get_by_test_id("file-input").set_input_files(str(good))
    image = page.locator('[data-testid="message"][data-sender="buyer"] img').last
    expect(image).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 64

    fake = tmp_path / "fatura.png"
    fake.write_bytes(b"%PDF-1.7 this is not an image")
    page.get_by_test_id("file-input").set_input_files(str(fake))
    expect(page.get_by_test_id("panel")).to_contain_text("Yalnızca görsel", timeout=TIMEOUT)

    huge = tmp_path / "cok-buyuk.png"
    huge.write_bytes(png((1800, 1400), noise=True))
    assert huge.stat().st_size > 5 * 1024 * 1024
    page.get_by_test_id("file-input").set_input_files(str(huge))
    expect(page.get_by_test_id("panel")).to_contain_text(re.compile("çok büyük|en fazla 5 MB"), timeout=TIMEOUT)


@pytest.fixture
def own_api(stack, tmp_path_factory):
    """An api of the test's own (same Rasa and action server), so the test may restart it (same port,
    reserved for the whole test)."""
    workdir = tmp_path_factory.mktemp("own-api")
    with reserved_port() as port:

        def start():
            return api_server(workdir, port, stack.rasa_url, stack.action_url)

        yield start


def test_reconnect_after_api_restart_loses_and_doubles_nothing(stack, page, own_api):
    server = own_api()
    base = server.__enter__()
    try:
        widget = open_demo(page, base, "tr-0001", "tr").open()
        widget.send("merhaba")
        session = stored_session(page)
    finally:
        server.__exit__(None, None, None)
    expect(page.get_by_test_id("offline")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("input").fill("siparişim nerede")
    page.get_by_test_id("send").click()
    server = own_api()
    base = server.__enter__()
    try:
        expect(page.get_by_test_id("offline")).to_be_hidden(timeout=TIMEOUT)
        expect(widget.bubbles("bot").last).to_contain_text("Kargo firması", timeout=TIMEOUT)
        status, body = http_json(
            f"{base}/api/v1/conversations/{session['conversation_id']}/messages",
            headers={"X-Conversation-Token": session["token"]},
        )
        assert status == 200
        buyer_texts = [m["text"] for m in body["messages"] if m["sender"] == "buyer"]
        assert buyer_texts == ["merhaba", "siparişim nerede"]
        expect(widget.bubbles("buyer")).to_have_count(2)
    finally:
        server.__exit__(None, None, None)


def test_faq_panel_answers_without_starting_a_conversation(stack, page):
    open_demo(page, stack.api_url, "pl-0003", "pl").open()
    page.get_by_test_id("faq-open").click()
    page.get_by_test_id("faq-input").fill("jakie firmy kurierskie")
    first = page.get_by_test_id("faq-result").first
    expect(first).to_contain_text("InPost", timeout=TIMEOUT)
    stored = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('marketdesk:v1:'))")
    assert stored == []


def test_language_switch_in_the_widget(stack, page):
    widget = open_demo(page, stack.api_url, "tr-0001", "tr").open()
    widget.send("merhaba")
    expect(page.get_by_test_id("send")).to_have_text("Gönder")
    page.get_by_test_id("lang-select").select_option("pl")
    expect(page.get_by_test_id("send")).to_have_text("Wyślij")
    page.wait_for_function(
        "() => document.querySelector('marketdesk-widget').shadowRoot.querySelector('[data-testid=offline]')"
        " === null || getComputedStyle(document.querySelector('marketdesk-widget').shadowRoot"
        ".querySelector('[data-testid=offline]')).display === 'none'"
    )
    widget.send("gdzie jest moja paczka")
    assert "Przewoźnik" in widget.last_bot_text()


def test_fits_a_phone(stack, browser):
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        widget = open_demo(page, stack.api_url, "tr-0001", "tr").open()
        widget.send("kargom nerede")
        box = page.get_by_test_id("panel").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert page.get_by_test_id("log").get_attribute("role") == "log"
        assert page.get_by_test_id("log").get_attribute("aria-live") == "polite"
        page.screenshot(path=screenshot_path("widget-tr-phone.png"))
    finally:
        context.close()


def _typing_off(payload: str | bytes) -> bool:
    return json.loads(payload) == {"type": "typing", "on": False}


def human_side(stack, conversation_id: str, **body) -> None:
    """Posts a handoff event the way the agent queue does (internal api, service token)."""
    import urllib.request

    request = urllib.request.Request(
        f"{stack.api_url}/api/v1/internal/conversations/{conversation_id}/events",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


@pytest.mark.parametrize(
    ("language", "buyer", "queued", "joined", "back", "thanks"),
    [
        ("tr", "tr-0001", "Sıradaki yeriniz: 3", "Ayşe görüşmeye katıldı", "Asistan tekrar sizinle", "teşekkür"),
        ("pl", "pl-0001", "Twoje miejsce w kolejce: 3", "Ayşe dołączył", "Asystent znów jest z Tobą", "Dziękujemy"),
    ],
)
def test_handoff_states_agent_messages_and_csat(stack, page, language, buyer, queued, joined, back, thanks):
    sockets: list = []  # the widget's WebSockets as the browser sees them
    page.on("websocket", lambda socket: sockets.append(socket))  # a plain callable: Playwright tags it
    widget = open_demo(page, stack.api_url, buyer, language).open()
    widget.send("merhaba" if language == "tr" else "cześć")
    session = stored_session(page)
    cid = session["conversation_id"]
    panel = page.get_by_test_id("panel")

    human_side(stack, cid, type="state", state="queued", position=3, wait_seconds=120)
    expect(panel).to_contain_text(queued, timeout=TIMEOUT)
    human_side(stack, cid, type="state", state="with_agent", agent_name="Ayşe")
    expect(panel).to_contain_text(joined, timeout=TIMEOUT)
    human_side(stack, cid, type="agent_typing", on=True, agent_name="Ayşe")
    expect(page.get_by_test_id("typing")).to_be_visible(timeout=TIMEOUT)
    greeting = "<b>Merhaba</b>, nasıl yardımcı olabilirim?" if language == "tr" else "<b>Cześć</b>, w czym pomóc?"
    human_side(stack, cid, type="agent_message", agent_name="Ayşe", text=greeting)
    agent = widget.bubbles("agent").last
    expect(agent).to_contain_text(greeting, timeout=TIMEOUT)

    # With an agent, the buyer's message is stored for the agent; the bot stays silent. The server ends
    # every message's exchange with "typing off" (after any reply), so that frame, not a pause, says
    # that nothing more is coming for it.
    bots_before = widget.bubbles("bot").count()
    socket = sockets[-1]
    assert not socket.is_closed()
    frames: list[dict] = []
    socket.on("framereceived", lambda payload: frames.append(json.loads(payload)))
    with socket.expect_event("framereceived", predicate=_typing_off, timeout=TIMEOUT):
        page.get_by_test_id("input").fill("siparişim nerede" if language == "tr" else "gdzie paczka")
        page.get_by_test_id("send").click()
    expect(widget.bubbles("buyer").last).to_have_attribute("data-message-id", re.compile(r"\d+"), timeout=TIMEOUT)
    assert any(f["type"] == "ack" for f in frames), frames
    assert not [f for f in frames if f["type"] == "message" and f["message"].get("sender") == "bot"], frames
    assert widget.bubbles("bot").count() == bots_before

    human_side(stack, cid, type="state", state="bot")
    expect(panel).to_contain_text(back, timeout=TIMEOUT)
    human_side(stack, cid, type="csat_request")
    stars = page.get_by_test_id("csat-star")
    expect(stars).to_have_count(5, timeout=TIMEOUT)
    stars.nth(4).click()
    expect(panel).to_contain_text(thanks, timeout=TIMEOUT)
    # The thanks show on the click; the rating is stored when the socket's frame is processed.
    deadline = time.monotonic() + 10
    while True:
        status, body = http_json(
            f"{stack.api_url}/api/v1/conversations/{cid}/messages", headers={"X-Conversation-Token": session["token"]}
        )
        if body["conversation"]["csat_score"] is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 200 and body["conversation"]["csat_score"] == 5, body
    page.screenshot(path=screenshot_path(f"widget-handoff-{language}.png"))


@pytest.mark.parametrize(
    ("language", "buyer", "question"), [("tr", "tr-0002", "kargom nerede"), ("pl", "pl-0002", "gdzie paczka")]
)
def test_wcag_21_aa_by_axe(stack, page, language, buyer, question):
    """axe-core (the engine behind Lighthouse's accessibility audit) finds no WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    widget = open_demo(page, stack.api_url, buyer, language).open()
    widget.send(question)
    expect(page.get_by_test_id("quick-reply").first).to_be_visible(timeout=TIMEOUT)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(page, context="marketdesk-widget", options=options)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_test_id("faq-open").click()
    page.get_by_test_id("faq-input").fill("iade" if language == "tr" else "zwrot")
    expect(page.get_by_test_id("faq-result").first).to_be_visible(timeout=TIMEOUT)
    results = Axe().run(page, context="marketdesk-widget", options=options)
    assert results.violations_count == 0, results.generate_report()
