"""Database engine, session factory and the declarative base shared by all models."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from functools import lru_cache

from sqlalchemy import DateTime, Engine, TypeDecorator, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import QueuePool

from api.settings import get_settings

# SQLite connections kept open between requests (more are opened, and closed after, in a burst).
SQLITE_KEPT_CONNECTIONS = 8


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and foreign keys so it behaves like a server DB.

    SQLite keeps a few connections open for reuse (opening one runs three pragmas: a visible
    part of each message's work in a profile) and opens more without limit when a burst needs
    them (``max_overflow=-1``), so a request never waits for a capped pool. PostgreSQL keeps a
    pool sized by the settings."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=QueuePool,
            pool_size=SQLITE_KEPT_CONNECTIONS,
            max_overflow=-1,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")  # a no-op once the file is in WAL mode
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    settings = get_settings()
    return create_engine(
        url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
    )


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


async def get_session() -> AsyncIterator[Session]:
    """FastAPI dependency: one session per request, closed afterwards.

    Async on purpose: closing then needs no worker thread. Under a burst (100 buyers at once, found
    by make bench) every worker thread was busy waiting for a pooled connection that only pending
    closes and responses would return: 30 s stalls, then 500s. Creating a session takes no
    connection and close() only hands it back, so the event loop can do both."""
    session = get_sessionmaker()()
    try:
        yield session
    finally:
        session.close()


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone, PostgreSQL keeps it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use an aware UTC datetime")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
