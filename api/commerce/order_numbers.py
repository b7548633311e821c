"""The order number format, shared by validation, demo data and the NLU regex.

Format: the market code (``TR`` or ``PL``) followed by exactly eight digits, e.g.
``TR48213907``. Buyers type it lower-case, with a space or a hyphen after the
prefix (``tr 48213907``, ``PL-30571246``); :func:`normalise` accepts all of those.
"""

from __future__ import annotations

import re

ORDER_NUMBER_RE = re.compile(r"^\s*(TR|PL)[\s\-_/.]?(\d{8})\s*$", re.IGNORECASE)


def normalise(raw: str) -> str | None:
    """Return the canonical form (``TR48213907``) or None when the text is not an order number."""
    match = ORDER_NUMBER_RE.match(raw or "")
    if not match:
        return None
    return f"{match.group(1).upper()}{match.group(2)}"


def market_of(number: str) -> str:
    return number[:2]
