"""Who the client is, behind a reverse proxy: X-Forwarded-For/-Proto only from configured proxies.

Per-IP rate limits, the per-IP socket cap and the audit log all read the peer address
(``scope["client"]``). A proxy in front (the scaled profile's nginx) makes every peer the proxy,
so the buyer's address must come from ``X-Forwarded-For``; but that header is whatever the sender
wrote, so it is believed only when the peer itself is one of ``MD_TRUSTED_PROXIES``. Uvicorn's own
handling trusts 127.0.0.1 by default (anyone on the loopback could then rotate the header past the
login and FAQ limits), so ``python -m api.serve`` switches it off and this middleware decides.

The client is the right-most address of the chain that is not a trusted proxy (each proxy appends
the address it saw; the left part is the client's to invent). ``X-Forwarded-Proto`` from a trusted
proxy sets the scheme, so HSTS and ``wss:`` work behind TLS termination.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> list[Network]:
    """``["127.0.0.1", "10.0.0.0/8"]`` as networks; a bad entry is a configuration error, raised at start."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def is_trusted(address: str | None, networks: list[Network]) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_from_chain(chain: str, networks: list[Network]) -> str | None:
    """The right-most address in ``X-Forwarded-For`` that is not one of our proxies (None if unusable)."""
    hops = [hop.strip() for hop in chain.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return None  # garbage in the part we would have to believe: keep the proxy's address
        if not is_trusted(hop, networks):
            return hop
    return hops[0] if hops else None


class TrustedProxyHeaders:
    """Pure ASGI middleware, outermost: rewrites ``client`` and ``scheme`` for trusted proxies only."""

    def __init__(self, app: ASGIApp, trusted_proxies: Iterable[str]) -> None:
        self.app = app
        self.networks = parse_networks(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            peer = scope.get("client")
            if peer and is_trusted(peer[0], self.networks):
                headers = Headers(scope=scope)
                scope = dict(scope)
                chain = headers.get("x-forwarded-for")
                if chain:
                    client = client_from_chain(chain, self.networks)
                    if client:
                        scope["client"] = (client, 0)
                proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
                if proto in ("http", "https"):
                    secure = proto == "https"
                    if scope["type"] == "websocket":
                        scope["scheme"] = "wss" if secure else "ws"
                    else:
                        scope["scheme"] = proto
        await self.app(scope, receive, send)
