"""Buyer identity from a signed token (JWT, HS256) that the marketplace issues to its signed-in buyers.

The widget passes it as ``data-buyer-token``; the demo page gets one from a dev
issuer. The token's ``sub`` is the buyer id; nothing a client merely claims is trusted.
"""

from __future__ import annotations

import datetime as dt

import jwt

ISSUER_DEMO = "marketdesk-demo"
ALGORITHM = "HS256"


class InvalidBuyerToken(Exception):
    pass


def issue(buyer_id: str, secret: str, hours: int = 12, issuer: str = ISSUER_DEMO) -> str:
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": buyer_id, "iss": issuer, "iat": now, "exp": now + dt.timedelta(hours=hours)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def buyer_id_from(token: str, secret: str) -> str:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError as exc:
        raise InvalidBuyerToken(str(exc)) from exc
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise InvalidBuyerToken("no subject")
    return claims["sub"]
