"""Buyer-facing formatting of order data: dates, money, scan and status labels, per language.

Dates are shown in the market's own time zone (a parcel scanned at 23:30 in
Istanbul happened "today" for the buyer, not yesterday in UTC); zones and currency
signs come from data/markets/*.yml, labels from the domain's ``utter_label_*`` responses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from actions.markets import currency_sign, number_locale, time_zone
from actions.wording import Words

NOT_KNOWN = "utter_label_not_known"
ON_THE_WAY = ("shipped", "in_transit")


def format_date(value: str | None, words: Words) -> str:
    if not value:
        return words.text(NOT_KNOWN)
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y")


def format_datetime(value: str, market: str) -> str:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(time_zone(market)).strftime("%d.%m.%Y %H:%M")


def format_money(amount: str | float | Decimal, currency: str, language: str) -> str:
    number = format_decimal(Decimal(str(amount)), format="#,##0.00", locale=number_locale(language))
    return f"{number} {currency_sign(currency)}"


def format_items(items: list[str], words: Words, shown: int = 2) -> str:
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + words.text("utter_label_more_items", n=len(items) - shown)
    return text


def format_scan(scan: dict[str, Any] | None, market: str, words: Words) -> str:
    if not scan:
        return words.text(NOT_KNOWN)
    response = f"utter_label_scan_{scan['code']}"
    label = words.text(response) if words.has(response) else scan["code"]
    return f"{format_datetime(scan['occurred_at'], market)}, {scan['location']} ({label})"


def status_label(status: str | None, words: Words) -> str:
    """A parcel on its way in words (shipped, in transit, out for delivery); anything else reads as in transit."""
    response = f"utter_label_order_{status}"
    return words.text(response if words.has(response) else "utter_label_order_in_transit")


def order_status_response(order: dict[str, Any], words: Words) -> dict[str, Any]:
    """Pick the response for the order's state and fill its variables (names match bot/domain/tracking.yml)."""
    language = words.language
    shipment = order.get("shipment") or {}
    last_scan = shipment.get("last_scan")
    values = {
        "order_number": order["number"],
        "items": format_items(order.get("items", []), words),
        "eta": format_date(order.get("estimated_delivery"), words),
        "placed_at": format_datetime(order["placed_at"], order["market"])[:10],
        "total": format_money(order["total"], order["currency"], language),
        "carrier": shipment.get("carrier", ""),
        "tracking_code": shipment.get("tracking_code", ""),
        "pickup_point": shipment.get("pickup_point") or "",
        "delivered_to": shipment.get("delivered_to") or words.text(NOT_KNOWN),
        "last_scan": format_scan(last_scan, order["market"], words),
    }
    status = order["status"]
    if status in ON_THE_WAY:
        key = "out_for_delivery" if last_scan and last_scan["code"] == "out_for_delivery" else status
        values["status"] = status_label(key, words)
        return {"response": "utter_order_on_the_way", **values}
    if status == "delivered" and order.get("is_digital") and not shipment:
        return {"response": "utter_order_delivered_digital", **values}
    return {"response": f"utter_order_{status}", **values}  # preparing, at_pickup_point, delivered, cancelled...
