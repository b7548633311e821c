"""Drives the buyer's widget in a real browser (Playwright) through its test ids. Shared by the e2e
browser tests (widget, notices, seller helpdesk), so none imports another."""

from __future__ import annotations

from playwright.sync_api import Page, expect

TIMEOUT = 60_000


class Widget:
    """Drives the widget through its test ids (Playwright's locators pierce the open shadow root)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> Widget:
        self.page.get_by_test_id("launcher").click()
        expect(self.page.get_by_test_id("input")).to_be_focused()
        return self

    def bubbles(self, sender: str | None = None):
        selector = '[data-testid="message"]' + (f'[data-sender="{sender}"]' if sender else "")
        return self.page.locator(selector)

    def send(self, text: str) -> None:
        before = self.bubbles("bot").count() + self.bubbles("system").count()
        self.page.get_by_test_id("input").fill(text)
        self.page.get_by_test_id("send").click()
        self.wait_for_reply(before)

    def wait_for_reply(self, before: int) -> None:
        self.page.wait_for_function(
            """(before) => {
                const root = document.querySelector('marketdesk-widget').shadowRoot;
                return root.querySelectorAll('[data-testid="message"][data-sender="bot"],'
                    + '[data-testid="message"][data-sender="system"]').length > before;
            }""",
            arg=before,
            timeout=TIMEOUT,
        )
        expect(self.page.get_by_test_id("typing")).to_be_hidden(timeout=TIMEOUT)

    def last_bot_text(self) -> str:
        return self.bubbles("bot").last.inner_text()

    def pick_shipped_order(self, orders: list[dict]) -> tuple[int, str]:
        """Click the order button (one per order, in the api's order) of the first shipped order."""
        buttons = self.page.get_by_test_id("quick-reply")
        expect(buttons).to_have_count(len(orders), timeout=TIMEOUT)
        shipped = next(i for i, o in enumerate(orders) if o["shipment"])
        before = self.bubbles("bot").count()
        buttons.nth(shipped).click()
        self.wait_for_reply(before)
        return shipped, self.last_bot_text()


# The widget's saved session (other keys under the same prefix hold per-conversation marks).
SESSION_JS = """() => Object.entries(localStorage)
    .filter(([k]) => k.startsWith('marketdesk:v1:'))
    .map(([, v]) => { try { return JSON.parse(v); } catch (_) { return null; } })
    .find((v) => v && typeof v === 'object' && typeof v.conversation_id === 'string') || null"""


def stored_session(page: Page) -> dict | None:
    return page.evaluate(SESSION_JS)


def open_demo(page: Page, base: str, buyer: str | None, language: str) -> Widget:
    query = f"?lang={language}&buyer={buyer or 'anon'}"
    page.goto(f"{base}/{query}")
    page.wait_for_function("() => !!document.querySelector('marketdesk-widget')", timeout=TIMEOUT)
    return Widget(page)
