"""The one clock of the api: timezone-aware UTC, so no layer compares naive and aware times."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
