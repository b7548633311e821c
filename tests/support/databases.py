"""A seeded database of its own for a tests/api module that changes shared demo data.

The api tests share one seeded database per session (tests/api/conftest.py). A module that
cancels a demo buyer's order or moves it along would change what a later module reads (the
support buyers 0004 offer "one preparing order to cancel" only once), so which module ran first
would decide the result. Such a module takes ``own_database`` (tests/api/conftest.py) and builds
its app on it: its changes stay in its database and every module sees the seed as it was made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _clear_caches() -> None:
    from api.db import get_engine, get_sessionmaker
    from api.settings import get_settings

    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()


def use_seeded(url: str) -> None:
    """Point the api's settings, engine and sessions at ``url``, then migrate and seed it."""
    from api.cli import migrate, seed

    os.environ["MD_DATABASE_URL"] = url
    _clear_caches()
    migrate(url)
    seed()


@contextmanager
def seeded_database(folder: Path) -> Iterator[str]:
    """Inside the block the api's settings, engine and sessions use a freshly migrated and seeded
    SQLite database in ``folder``; afterwards the previous database is back."""
    from api.db import get_engine

    url = f"sqlite:///{folder / 'app.db'}"
    previous = os.environ.get("MD_DATABASE_URL")
    try:
        use_seeded(url)
        yield url
    finally:
        get_engine().dispose()
        if previous is None:
            os.environ.pop("MD_DATABASE_URL", None)
        else:
            os.environ["MD_DATABASE_URL"] = previous
        _clear_caches()
