"""The seller portal (/seller) in a real browser (Debian's chromium via Playwright).

Only the api is needed (no Rasa): it runs as deployed (``python -m api.serve``) on a seeded
database of its own, whose demo seed gives the seller users ``satici`` (TR) and ``sprzedawca``
(PL) an inbox with an urgent, a plain and an answered question.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from ops.servers import api_server
from tests.support.screenshots import screenshot_path

TIMEOUT = 30_000
PASSWORD = "demo-seller-2026"  # the demo default (MD_DEMO_SELLER_PASSWORD)


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> str:
    with api_server(tmp_path_factory.mktemp("seller-portal")) as url:
        yield url


def sign_in(page: Page, portal: str, username: str, language: str | None = None) -> None:
    page.goto(f"{portal}/seller")
    if language:
        page.get_by_test_id("login-language").select_option(language)
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("inbox-list")).to_be_visible(timeout=TIMEOUT)


def rows(page: Page):
    return page.locator('[data-testid^="seller-thread-"]')


def test_a_turkish_seller_answers_and_informs_the_buyer(page: Page, portal: str):
    errors: list[str] = []
    # The refused login (401) and the refused answer (422) are expected; anything else is a bug.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{portal}/seller")
    expect(page.get_by_test_id("login-submit")).to_have_text("Giriş yap")
    page.get_by_test_id("login-username").fill("satici")
    page.get_by_test_id("login-password").fill("wrong-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("error-text")).to_have_text("Kullanıcı adı veya şifre hatalı.", timeout=TIMEOUT)
    sign_in(page, portal, "satici")
    expect(page.get_by_test_id("seller-user")).to_contain_text("Selin")
    expect(rows(page)).to_have_count(3, timeout=TIMEOUT)
    first = rows(page).first
    expect(first.get_by_test_id("thread-urgent")).to_have_text("Acil")
    expect(first.get_by_test_id("thread-due")).to_contain_text("İstanbul saati")
    expect(first.get_by_test_id("thread-left")).to_have_text(re.compile(r"kaldı$"))
    expect(first.get_by_test_id("thread-business-hours")).to_contain_text("iş saati kaldı")
    expect(rows(page).last.get_by_test_id("thread-answered")).to_be_visible()
    order = first.get_attribute("data-order")

    first.click()
    expect(page.get_by_test_id("thread-title")).to_have_text(f"Sipariş {order}", timeout=TIMEOUT)
    expect(page.get_by_test_id("thread-question").first).to_contain_text("Acil")
    box = page.get_by_test_id("answer-input")
    box.fill("Bizi 0532 123 45 67 numarasından arayın.")
    page.get_by_test_id("answer-send").click()
    refusal = page.get_by_test_id("answer-refusal")
    expect(refusal).to_be_visible(timeout=TIMEOUT)
    expect(refusal.get_by_test_id("refusal-reason")).to_have_text(
        "telefon numarası paylaşılamaz, tüm iletişim platform üzerinden yürür"
    )
    markup = "<img src=x onerror=alert(1)> Siparişiniz yarın kargoya verilecek."
    box.fill(markup)
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("notice")).to_have_text("Yanıtınız alıcıya iletildi.", timeout=TIMEOUT)
    expect(page.get_by_test_id("thread-answer").last).to_contain_text(markup)  # shown as text, not markup
    expect(page.get_by_test_id("no-open-question")).to_be_visible()
    expect(page.get_by_test_id("answer-refusal")).to_be_hidden()

    form = page.get_by_test_id("status-form")
    form.get_by_test_id("status-select").select_option("shipped")
    expect(page.get_by_test_id("shipping-fields")).to_be_visible()
    form.get_by_test_id("status-carrier").select_option("Aras Kargo")
    form.get_by_test_id("status-tracking").fill("AR12345678")
    form.get_by_test_id("status-date").fill((dt.date.today() + dt.timedelta(days=2)).isoformat())
    form.get_by_test_id("status-submit").click()
    expect(page.get_by_test_id("notice")).to_have_text("Durum güncellemesi alıcıya iletildi.", timeout=TIMEOUT)
    expect(page.get_by_test_id("thread-status").last).to_contain_text("Kargoya verildi")
    expect(page.get_by_test_id("thread-status").last).to_contain_text("AR12345678")

    page.get_by_test_id("filter-state").select_option("unanswered")
    expect(rows(page)).to_have_count(1, timeout=TIMEOUT)
    page.get_by_test_id("filter-state").select_option("all")
    expect(rows(page)).to_have_count(3, timeout=TIMEOUT)
    metrics = page.get_by_test_id("metrics-panel")
    expect(metrics.get_by_test_id("metric-share")).to_have_text("%100", timeout=TIMEOUT)
    expect(metrics.get_by_test_id("metric-overdue")).to_have_text("0")
    page.screenshot(path=screenshot_path("seller-portal-tr.png"), full_page=True)

    page.get_by_test_id("logout-button").click()
    expect(page.get_by_test_id("login-form")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("notice")).to_have_text("Çıkış yaptınız.")
    assert page.evaluate("sessionStorage.length") == 0
    assert not errors, errors


def test_a_polish_seller_works_in_polish(page: Page, portal: str):
    sign_in(page, portal, "sprzedawca", language="pl")
    expect(page.get_by_test_id("login-form")).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    first = rows(page).first
    expect(first.get_by_test_id("thread-urgent")).to_have_text("Pilne", timeout=TIMEOUT)
    expect(first.get_by_test_id("thread-due")).to_contain_text("czas warszawski")
    first.click()
    page.get_by_test_id("answer-input").fill("Mamy dla Pana kod rabatowy na kolejne zakupy!")
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("refusal-reason")).to_have_text(
        "nie wolno wysyłać kupującemu reklam, promocji, kodów rabatowych ani zachęt do zakupów", timeout=TIMEOUT
    )
    expect(page.get_by_test_id("status-select")).to_contain_text("Otrzymano zwrot")
    page.get_by_test_id("status-select").select_option("shipped")
    page.get_by_test_id("status-submit").click()
    expect(page.get_by_test_id("status-refusal")).to_contain_text("przewoźnik", timeout=TIMEOUT)
    expect(page.get_by_test_id("metrics-panel")).to_contain_text("Odpowiedzi w terminie")
    page.screenshot(path=screenshot_path("seller-portal-pl.png"), full_page=True)
