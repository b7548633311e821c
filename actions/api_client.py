"""HTTP client for the api's internal endpoints. Actions hold no SQL and no rules: they ask here."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import aiohttp

API_URL = os.environ.get("MD_API_URL", "http://127.0.0.1:8000")
SERVICE_TOKEN = os.environ.get("MD_SERVICE_TOKEN", "dev-service-token")
TIMEOUT_SECONDS = float(os.environ.get("MD_API_TIMEOUT_SECONDS", "5"))


class ApiUnavailable(Exception):
    """The api did not answer usefully; the action tells the buyer to try again later."""


class OrderNotFound(Exception):
    """No such order in this buyer's account (unknown and foreign numbers look the same)."""


class InvalidOrderNumber(Exception):
    """The text is not an order number at all."""


class CommerceApi:
    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self.base_url = (base_url or API_URL).rstrip("/")
        self.token = token or SERVICE_TOKEN

    async def _get(self, path: str) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        try:
            async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
                async with session.get(f"{self.base_url}{path}") as response:
                    body = await response.json(content_type=None)
                    return response.status, body
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ApiUnavailable(str(exc)) from exc

    async def trackable_orders(self, buyer_id: str) -> dict[str, Any]:
        status, body = await self._get(f"/api/v1/internal/buyers/{quote(buyer_id, safe='')}/trackable-orders")
        if status == 404:
            return {"open_count": 0, "orders": []}
        if status != 200:
            raise ApiUnavailable(f"HTTP {status}")
        return body

    async def order(self, buyer_id: str, order_number: str) -> dict[str, Any]:
        path = f"/api/v1/internal/buyers/{quote(buyer_id, safe='')}/orders/{quote(order_number.strip(), safe='')}"
        status, body = await self._get(path)
        if status == 200:
            return body
        code = (body or {}).get("detail", {}).get("code") if isinstance(body, dict) else None
        if status == 422 and code == "invalid_order_number":
            raise InvalidOrderNumber(order_number)
        if status == 404:
            raise OrderNotFound(order_number)
        raise ApiUnavailable(f"HTTP {status}")
