"""Market facts and calendars, one YAML file per market under ``data/markets/``.

Read once per process: FAQ answers, business calendars and SLA targets all come
from the same file, so a phone number or an opening hour changes in one place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

MARKETS_DIR = Path(__file__).resolve().parent.parent / "data" / "markets"


@cache
def market_config(market: str) -> dict[str, Any]:
    """The market's configuration (``tr``/``TR`` -> data/markets/tr.yml)."""
    return yaml.safe_load((MARKETS_DIR / f"{market.lower()}.yml").read_text())
