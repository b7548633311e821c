"""Proactive notices in a real browser, with the real api, action server and Rasa.

A Turkish buyer with the widget open hears a delay notice live (from the commerce webhook) and a
"shipped" notice from the demo change feed (``api.cli demo-events``, read by the api's poll); a
Polish buyer who left finds a notice with the unread count on the launcher when the page loads
again, and turns notices off for the conversation.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import urllib.request
import uuid

from playwright.sync_api import expect

from ops.servers import API_PY, ROOT, SERVICE_TOKEN
from tests.support.screenshots import screenshot_path
from tests.support.stack import stack_database_url
from tests.support.widget import TIMEOUT, Widget, open_demo


def preparing_order(stack, buyer: str) -> str:
    orders = stack.internal(f"/buyers/{buyer}/trackable-orders")["orders"]
    return next(o["number"] for o in orders if o["status"] == "preparing")


def commerce_event(stack, order: str, kind: str, **payload) -> dict:
    body = {
        "event_id": f"e2e-{uuid.uuid4().hex}",
        "order_number": order,
        "kind": kind,
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
        "payload": payload,
    }
    request = urllib.request.Request(
        f"{stack.api_url}/api/v1/internal/commerce-events",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {SERVICE_TOKEN}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        return json.loads(response.read())


def test_a_buyer_with_the_widget_open_sees_notices_live(stack, page, tmp_path_factory):
    order = preparing_order(stack, "tr-0011")
    widget = open_demo(page, stack.api_url, "tr-0011", "tr").open()
    widget.send("merhaba")
    expect(page.get_by_test_id("notices-toggle")).to_be_checked(timeout=TIMEOUT)

    # The marketplace's webhook: a delay, with what the buyer can do, in Turkish.
    assert commerce_event(stack, order, "delayed", estimated_delivery="2026-12-24")["outcome"] == "notified"
    notice = page.get_by_test_id("notice")
    expect(notice).to_have_count(1, timeout=TIMEOUT)
    expect(notice.first).to_contain_text("Yeni tahmini teslim tarihi: 24.12.2026")
    expect(notice.first).to_contain_text("müşteri temsilcisiyle görüşmek")
    quick = page.locator(".item--notice").get_by_test_id("quick-reply")
    expect(quick).to_have_text(["Siparişi iptal et", "Müşteri temsilcisi"])
    expect(page.get_by_test_id("launcher-unread")).to_be_hidden()  # the panel is open: nothing unread

    # The demo change feed: the order is shipped; the api's poll delivers it.
    env = {**os.environ, "MD_DATABASE_URL": stack_database_url(tmp_path_factory)}
    command = [str(API_PY), "-m", "api.cli", "demo-events", "--order", order, "--action", "ship"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    expect(notice).to_have_count(2, timeout=TIMEOUT)
    expect(notice.last).to_contain_text(f"{order} numaralı siparişiniz kargoya verildi")
    page.screenshot(path=screenshot_path("widget-notice-tr.png"))


def test_a_buyer_who_left_finds_the_notice_counted_on_the_launcher(stack, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="pl-PL")
    try:
        order = preparing_order(stack, "pl-0008")
        first = context.new_page()
        open_demo(first, stack.api_url, "pl-0008", "pl").open().send("dzień dobry")
        first.close()  # the buyer leaves

        assert commerce_event(stack, order, "delayed", estimated_delivery="2026-12-28")["outcome"] == "notified"

        back = context.new_page()  # same browser storage: the conversation resumes
        open_demo(back, stack.api_url, "pl-0008", "pl")
        badge = back.get_by_test_id("launcher-unread")
        expect(badge).to_be_visible(timeout=TIMEOUT)
        expect(badge).to_have_attribute("data-count", "1")
        Widget(back).open()
        notice = back.get_by_test_id("notice")
        expect(notice).to_have_count(1, timeout=TIMEOUT)
        expect(notice).to_contain_text("Nowy przewidywany termin dostawy: 28.12.2026")
        expect(badge).to_be_hidden()

        # Notices off for this conversation: the next event is stored but not shown.
        toggle = back.get_by_test_id("notices-toggle")
        expect(toggle).to_be_checked(timeout=TIMEOUT)
        toggle.uncheck()
        expect(toggle).not_to_be_checked()
        expect(toggle).to_be_enabled(timeout=TIMEOUT)
        assert commerce_event(stack, order, "out_for_delivery")["outcome"] == "opted_out"
        back.reload()
        open_demo(back, stack.api_url, "pl-0008", "pl")
        expect(back.get_by_test_id("notices-toggle")).not_to_be_checked(timeout=TIMEOUT)
        expect(back.get_by_test_id("launcher-unread")).to_be_hidden()
    finally:
        context.close()
