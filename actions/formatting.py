"""Buyer-facing formatting of order data: dates, money, scan and status labels, per language.

Dates are shown in the market's own time zone (a parcel scanned at 23:30 in
Istanbul happened "today" for the buyer, not yesterday in UTC).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

TIME_ZONES = {"TR": ZoneInfo("Europe/Istanbul"), "PL": ZoneInfo("Europe/Warsaw")}
LOCALES = {"tr": "tr_TR", "pl": "pl_PL"}
CURRENCY_SIGNS = {"TRY": "TL", "PLN": "zł"}

SCAN_LABELS = {
    "accepted": {"tr": "kargo firmasına teslim edildi", "pl": "przyjęta przez przewoźnika"},
    "at_hub": {"tr": "transfer merkezinde", "pl": "w sortowni"},
    "in_transit": {"tr": "yolda", "pl": "w drodze"},
    "out_for_delivery": {"tr": "dağıtıma çıktı", "pl": "wydana do doręczenia"},
    "at_pickup_point": {"tr": "teslimat noktasında", "pl": "w punkcie odbioru"},
    "delivered": {"tr": "teslim edildi", "pl": "doręczona"},
    "returned_to_sender": {"tr": "göndericiye iade edildi", "pl": "zwrócona do nadawcy"},
}

STATUS_LABELS = {
    "shipped": {"tr": "kargoya verildi", "pl": "wysłane"},
    "in_transit": {"tr": "yolda", "pl": "w drodze"},
    "out_for_delivery": {"tr": "bugün dağıtımda", "pl": "wydane do doręczenia"},
}

MORE_ITEMS = {"tr": "ve {n} ürün daha", "pl": "i jeszcze {n}"}
NOT_KNOWN = {"tr": "henüz belli değil", "pl": "jeszcze nieznana"}


def language_of(value: Any) -> str:
    return value if value in LOCALES else "tr"


def market_of(tracker: Any) -> str:
    """The buyer's market from the session; without one, the market of the conversation's language."""
    return tracker.get_slot("market") or ("PL" if language_of(tracker.get_slot("language")) == "pl" else "TR")


def format_date(value: str | None, language: str) -> str:
    if not value:
        return NOT_KNOWN[language]
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y")


def format_datetime(value: str, market: str) -> str:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(TIME_ZONES.get(market, TIME_ZONES["TR"])).strftime("%d.%m.%Y %H:%M")


def format_money(amount: str | float | Decimal, currency: str, language: str) -> str:
    number = format_decimal(Decimal(str(amount)), format="#,##0.00", locale=LOCALES[language])
    return f"{number} {CURRENCY_SIGNS.get(currency, currency)}"


def format_items(items: list[str], language: str, shown: int = 2) -> str:
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + MORE_ITEMS[language].format(n=len(items) - shown)
    return text


def format_scan(scan: dict[str, Any] | None, market: str, language: str) -> str:
    if not scan:
        return NOT_KNOWN[language]
    label = SCAN_LABELS.get(scan["code"], {}).get(language, scan["code"])
    return f"{format_datetime(scan['occurred_at'], market)}, {scan['location']} ({label})"


def order_status_response(order: dict[str, Any], language: str) -> dict[str, Any]:
    """Pick the response for the order's state and fill its variables (names match bot/domain/tracking.yml)."""
    shipment = order.get("shipment") or {}
    last_scan = shipment.get("last_scan")
    values = {
        "order_number": order["number"],
        "items": format_items(order.get("items", []), language),
        "eta": format_date(order.get("estimated_delivery"), language),
        "placed_at": format_datetime(order["placed_at"], order["market"])[:10],
        "total": format_money(order["total"], order["currency"], language),
        "carrier": shipment.get("carrier", ""),
        "tracking_code": shipment.get("tracking_code", ""),
        "pickup_point": shipment.get("pickup_point") or "",
        "delivered_to": shipment.get("delivered_to") or NOT_KNOWN[language],
        "last_scan": format_scan(last_scan, order["market"], language),
    }
    status = order["status"]
    if status in ("shipped", "in_transit"):
        key = "out_for_delivery" if last_scan and last_scan["code"] == "out_for_delivery" else status
        values["status"] = STATUS_LABELS[key][language]
        return {"response": "utter_order_on_the_way", **values}
    if status == "delivered" and order.get("is_digital") and not shipment:
        return {"response": "utter_order_delivered_digital", **values}
    response = {
        "preparing": "utter_order_preparing",
        "at_pickup_point": "utter_order_at_pickup_point",
        "delivered": "utter_order_delivered",
        "cancelled": "utter_order_cancelled",
        "returned": "utter_order_returned",
    }[status]
    return {"response": response, **values}
