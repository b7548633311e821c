"""What a proactive notice says, in Turkish and Polish (never English to buyers)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from api.notices.models import EventKind

TEXTS: dict[str, dict[str, str]] = {
    EventKind.SHIPPED: {
        "tr": "{order} numaralı siparişiniz kargoya verildi: {carrier}, takip numarası {tracking}.",
        "pl": "Zamówienie {order} zostało wysłane: {carrier}, numer przesyłki {tracking}.",
    },
    EventKind.OUT_FOR_DELIVERY: {
        "tr": "{order} numaralı siparişiniz dağıtıma çıktı; bugün teslim edilmesi bekleniyor.",
        "pl": "Zamówienie {order} jest w doręczeniu; kurier powinien dostarczyć je dzisiaj.",
    },
    EventKind.DELIVERED: {
        "tr": "{order} numaralı siparişiniz teslim edildi.",
        "pl": "Zamówienie {order} zostało dostarczone.",
    },
    EventKind.DELAYED: {
        "tr": "{order} numaralı siparişiniz gecikiyor. Yeni tahmini teslim tarihi: {date}. "
        "Ne yapabilirsiniz: beklemek (bir şey yapmanız gerekmez){cancel} ya da bir müşteri temsilcisiyle görüşmek.",
        "pl": "Zamówienie {order} się opóźnia. Nowy przewidywany termin dostawy: {date}. "
        "Co możesz zrobić: poczekać (nie musisz nic robić){cancel} albo porozmawiać z konsultantem.",
    },
    EventKind.RETURN_RECEIVED: {
        "tr": "{order} numaralı siparişinizin iadesi satıcıya ulaştı; kontrol edildikten sonra ücret iadeniz "
        "yapılacak.",
        "pl": "Sprzedawca otrzymał zwrot z zamówienia {order}; po sprawdzeniu zwrócimy pieniądze.",
    },
    EventKind.REFUNDED: {
        "tr": "{order} numaralı siparişinizin ücret iadesi yapıldı{amount}.",
        "pl": "Zwrot pieniędzy za zamówienie {order} został zrealizowany{amount}.",
    },
    EventKind.TICKET_ANSWERED: {
        "tr": "{ticket} numaralı destek talebiniz ({order} numaralı sipariş) yanıtlandı.",
        "pl": "Twoje zgłoszenie {ticket} (zamówienie {order}) otrzymało odpowiedź.",
    },
}
ESTIMATE = {"tr": " Tahmini teslim: {date}.", "pl": " Przewidywana dostawa: {date}."}
CANCEL_OPTION = {
    "tr": ", henüz kargoya verilmediği için siparişi iptal etmek",
    "pl": ", anulować zamówienie, bo nie zostało jeszcze wysłane,",
}
AMOUNT = {"tr": ": {amount}", "pl": ": {amount}"}
BUTTONS = {
    "cancel": {"tr": "Siparişi iptal et", "pl": "Anuluj zamówienie"},
    "person": {"tr": "Müşteri temsilcisi", "pl": "Porozmawiaj z konsultantem"},
}


def _lang(language: str) -> str:
    return language if language in ("tr", "pl") else "tr"


def _date(raw: Any) -> str:
    try:
        return dt.date.fromisoformat(str(raw)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return ""


def money(raw: Any, currency: str) -> str:
    """``1.299,90 TL`` (TR) / ``1 299,90 zł`` (PL); "" when not a number."""
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    whole, frac = f"{value:,.2f}".split(".")
    if currency == "PLN":
        return f"{whole.replace(',', ' ')},{frac} zł"
    return f"{whole.replace(',', '.')},{frac} TL"


def notice_text(kind: str, language: str, order: str, payload: dict[str, Any], currency: str, can_cancel: bool) -> str:
    lang = _lang(language)
    line = TEXTS[kind][lang]
    values = {
        "order": order,
        "carrier": str(payload.get("carrier") or "").strip()[:40],
        "tracking": str(payload.get("tracking_number") or "").strip()[:40],
        "date": _date(payload.get("estimated_delivery")),
        "ticket": str(payload.get("ticket") or "").strip()[:32],
        "cancel": CANCEL_OPTION[lang] if can_cancel else "",
        "amount": "",
    }
    if kind == EventKind.REFUNDED and (amount := money(payload.get("amount"), currency)):
        values["amount"] = AMOUNT[lang].format(amount=amount)
    text = line.format(**values)
    if kind == EventKind.SHIPPED and values["date"]:
        text += ESTIMATE[lang].format(date=values["date"])
    return text


def notice_buttons(kind: str, language: str, order: str, can_cancel: bool) -> list[dict[str, str]] | None:
    """The delay notice's options as quick replies (waiting needs no button)."""
    if kind != EventKind.DELAYED:
        return None
    lang = _lang(language)
    buttons = []
    if can_cancel:
        entities = json.dumps({"order_number": order}, separators=(",", ":"))
        buttons.append({"title": BUTTONS["cancel"][lang], "payload": f"/cancel_order{entities}"})
    buttons.append({"title": BUTTONS["person"][lang], "payload": "/human_agent"})
    return buttons
