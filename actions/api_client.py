"""HTTP client for the api's internal endpoints. Actions hold no SQL and no rules: they ask here.

One way to call: :meth:`CommerceApi.request` returns the body of a 2xx answer and raises
:class:`ApiError` otherwise, carrying the api's own ``code`` (``order_not_found``,
``resubmission_used``...) or ``unavailable`` when the api did not answer usefully (network,
timeout, 5xx, not JSON). The few answers every flow shares (an order, the orders that fit a
flow, the trackable ones) have typed helpers on top of it.

One client serves the whole action server process (:func:`shared_api`); it keeps one
connection pool per event loop, so concurrent actions reuse connections instead of opening
a session per call, and a loop never touches another loop's pool.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from typing import Any, TypedDict
from urllib.parse import quote

import aiohttp

from ops.secrets_policy import refuse_in_production

API_URL = os.environ.get("MD_API_URL", "http://127.0.0.1:8000")
SERVICE_TOKEN = os.environ.get("MD_SERVICE_TOKEN", "dev-service-token")
# MD_ENVIRONMENT=production: the action server does not start with a published or short token.
refuse_in_production({"MD_SERVICE_TOKEN": SERVICE_TOKEN})
TIMEOUT_SECONDS = float(os.environ.get("MD_API_TIMEOUT_SECONDS", "5"))
UNAVAILABLE = "unavailable"


class ApiError(Exception):
    """The api said no (``code`` from its body, e.g. ``order_not_found``) or did not answer (``unavailable``).

    ``detail`` is the rest of the api's ``detail`` object (moderation reasons, a return code...).
    """

    def __init__(self, code: str, status: int | None = None, detail: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.detail = detail or {}

    @property
    def unavailable(self) -> bool:
        return self.code == UNAVAILABLE

    @property
    def not_found(self) -> bool:
        """Unknown, another buyer's, or an unknown buyer: the api answers all three with 404."""
        return self.status == 404


class Scan(TypedDict):
    code: str
    location: str
    occurred_at: str


class Shipment(TypedDict, total=False):
    carrier: str
    tracking_code: str
    pickup_point: str | None
    delivered_to: str | None
    last_scan: Scan | None
    scans: list[Scan]


class Order(TypedDict):
    """An order as the api shows it (api/commerce/port.py OrderView, in JSON)."""

    number: str
    market: str
    buyer_id: str
    status: str
    placed_at: str
    estimated_delivery: str | None
    currency: str
    total: str
    items: list[str]
    is_digital: bool
    shipment: Shipment | None


class Candidates(TypedDict):
    """The orders that fit a flow, best first (at most five), how many fit and how many others there are."""

    count: int
    others: int
    orders: list[Order]


class TrackableOrders(TypedDict):
    open_count: int
    orders: list[Order]


def order_path(number: str) -> str:
    return f"/orders/{quote(number.strip(), safe='')}"


def _error_from(status: int, payload: Any) -> ApiError:
    detail = payload.get("detail") if isinstance(payload, dict) else None
    detail = detail if isinstance(detail, dict) else {}
    return ApiError(str(detail.get("code") or f"http_{status}"), status, detail)


class CommerceApi:
    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self.base_url = (base_url or API_URL).rstrip("/")
        self.token = token or SERVICE_TOKEN
        self._sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def _session(self) -> aiohttp.ClientSession:
        """This event loop's pool (created on first use; a closed one is replaced)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            session = self._sessions.get(loop)
            if session is None or session.closed:
                session = aiohttp.ClientSession(
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
                    headers={"Authorization": f"Bearer {self.token}"},
                )
                self._sessions[loop] = session
            return session

    async def close(self) -> None:
        """Close this loop's pool (tests; the action server keeps its pool for its lifetime)."""
        with self._lock:
            session = self._sessions.pop(asyncio.get_running_loop(), None)
        if session is not None:
            await session.close()

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, buyer: str | None = None
    ) -> Any:
        """The one call: the JSON body of a 2xx answer, else :class:`ApiError`.

        ``buyer`` puts the path under that buyer's internal resources (``/buyers/{id}{path}``).
        """
        if buyer is not None:
            path = f"/api/v1/internal/buyers/{quote(buyer, safe='')}{path}"
        try:
            async with self._session().request(method, f"{self.base_url}{path}", json=body) as response:
                payload = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ApiError(UNAVAILABLE) from exc
        if status >= 500:
            raise ApiError(UNAVAILABLE, status)
        if status >= 400:
            raise _error_from(status, payload)
        return payload

    async def candidates(self, buyer_id: str, purpose: str) -> Candidates:
        """Orders that fit a flow, best first; purposes in api/support/order_fit.py (cancel, return, digital,
        delivered, damaged, wrong_or_missing, seller...). An unknown buyer simply has none."""
        try:
            return await self.request("GET", f"/orders?purpose={quote(purpose)}", buyer=buyer_id)
        except ApiError as error:
            if error.unavailable:
                raise
            return {"count": 0, "others": 0, "orders": []}

    async def trackable_orders(self, buyer_id: str) -> TrackableOrders:
        """Orders on their way (``open_count``) and recent ones; an unknown buyer has none."""
        try:
            return await self.request("GET", "/trackable-orders", buyer=buyer_id)
        except ApiError as error:
            if error.not_found:
                return {"open_count": 0, "orders": []}
            raise

    async def order(self, buyer_id: str, order_number: str) -> Order:
        """The buyer's order; ``invalid_order_number`` (not a number) or a 404 (not theirs) otherwise."""
        return await self.request("GET", order_path(order_number), buyer=buyer_id)


_shared: list[CommerceApi] = []
_shared_lock = threading.Lock()


def shared_api() -> CommerceApi:
    """The action server's one client (its settings come from the environment), made on first use."""
    with _shared_lock:
        if not _shared:
            _shared.append(CommerceApi())
        return _shared[0]
