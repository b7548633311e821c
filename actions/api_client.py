"""HTTP client for the api's internal endpoints. Actions hold no SQL and no rules: they ask here."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import aiohttp

from ops.secrets_policy import refuse_in_production

API_URL = os.environ.get("MD_API_URL", "http://127.0.0.1:8000")
SERVICE_TOKEN = os.environ.get("MD_SERVICE_TOKEN", "dev-service-token")
# MD_ENVIRONMENT=production: the action server does not start with a published or short token.
refuse_in_production({"MD_SERVICE_TOKEN": SERVICE_TOKEN})
TIMEOUT_SECONDS = float(os.environ.get("MD_API_TIMEOUT_SECONDS", "5"))


class ApiUnavailable(Exception):
    """The api did not answer usefully; the action tells the buyer to try again later."""


class OrderNotFound(Exception):
    """No such order in this buyer's account (unknown and foreign numbers look the same)."""


class InvalidOrderNumber(Exception):
    """The text is not an order number at all."""


class ApiRefused(Exception):
    """A rule said no (not returnable, already used, blocked message...): ``code`` says which."""

    def __init__(self, code: str, detail: dict[str, Any]) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def order_path(number: str) -> str:
    return f"/orders/{quote(number.strip(), safe='')}"


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

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """One internal call; 4xx come back for the caller to phrase, 5xx and network errors raise."""
        headers = {"Authorization": f"Bearer {self.token}"}
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        try:
            async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
                async with session.request(method, f"{self.base_url}{path}", json=body) as response:
                    payload = await response.json(content_type=None)
                    status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ApiUnavailable(str(exc)) from exc
        if status >= 500:
            raise ApiUnavailable(f"HTTP {status}")
        return status, payload

    async def buyer_call(self, method: str, buyer_id: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A call about one buyer; raises ``ApiRefused`` with the api's code when a rule says no."""
        status, payload = await self.call(method, f"/api/v1/internal/buyers/{quote(buyer_id, safe='')}{path}", body)
        if status >= 400:
            detail = payload.get("detail") if isinstance(payload, dict) else None
            detail = detail if isinstance(detail, dict) else {}
            raise ApiRefused(str(detail.get("code", status)), detail)
        return payload

    async def candidates(self, buyer_id: str, purpose: str) -> dict[str, Any]:
        """Orders that fit a flow, best first (``count``), and how many others it has (``others``); purposes
        in api/support/order_fit.py (cancel, return, digital, delivered, damaged, wrong_or_missing, seller...)."""
        try:
            return await self.buyer_call("GET", buyer_id, f"/orders?purpose={purpose}")
        except ApiRefused:
            return {"count": 0, "others": 0, "orders": []}

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
