"""A burst of simultaneous requests against a real uvicorn process (not TestClient, which runs one
request at a time): 100 buyers opening the widget at once must all be served.

make bench found it: with a pooled SQLite engine and a sync session dependency, 100 simultaneous
requests held every pooled connection while every worker thread waited for one; after the pool's
30 s timeout half of them got a 500.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from ops.servers import api_server

BURST = 100


async def _burst(url: str, path: str, params: dict[str, str] | None = None) -> list[int]:
    limits = httpx.Limits(max_connections=BURST + 10)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        responses = await asyncio.gather(*(client.get(path, params=params) for _ in range(BURST)))
    return [r.status_code for r in responses]


def test_a_hundred_simultaneous_requests_are_all_served(tmp_path: Path):
    with api_server(tmp_path) as url:
        # Twice each: the first burst opens connections, the second reuses whatever the first left.
        for _ in range(2):
            assert asyncio.run(_burst(url, "/api/v1/demo/buyers")) == [200] * BURST
            tokens = asyncio.run(_burst(url, "/api/v1/demo/buyer-token", {"buyer_id": "tr-0001"}))
            assert tokens == [200] * BURST
