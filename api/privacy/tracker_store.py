"""Deleting conversations from Rasa's SQL tracker store.

Why: Rasa keeps every event of a conversation (``events`` table, ``sender_id`` = our
conversation id) in its own database, so forgetting a conversation in the app DB alone
would leave its dialogue behind. The store is configured for Rasa through the same
``MD_TRACKER_*`` variables (bot/endpoints.yml: a full URL, else dialect + db), read here
from the settings. A missing SQLite file or a store without an ``events`` table (Rasa
never ran) is skipped with a note rather than created, and an unreachable store is
reported, not raised, so the app-side deletion still happens and the note is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import column, create_engine, delete, inspect, table
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from api.settings import PROJECT_ROOT, Settings

BATCH = 500


@dataclass(frozen=True)
class TrackerCleanup:
    deleted: int  # events rows removed
    note: str | None = None  # why nothing could be removed, if so


def tracker_url(settings: Settings) -> URL:
    """The URL Rasa uses: ``MD_TRACKER_URL`` as is, else ``dialect:///db`` (SQLite paths from the project root,
    where ``make run`` starts Rasa)."""
    if settings.tracker_url:
        url = make_url(settings.tracker_url)
    elif settings.tracker_dialect.startswith("sqlite"):
        path = Path(settings.tracker_db)
        url = URL.create(settings.tracker_dialect, database=str(path if path.is_absolute() else PROJECT_ROOT / path))
    else:
        url = URL.create(settings.tracker_dialect, database=settings.tracker_db)
    if url.drivername == "postgresql":  # Rasa's env has psycopg2; ours has psycopg 3
        url = url.set(drivername="postgresql+psycopg")
    return url


def delete_conversations(conversation_ids: Sequence[str], settings: Settings) -> TrackerCleanup:
    """Delete every tracker event of these conversations (Rasa's ``sender_id``)."""
    if not conversation_ids:
        return TrackerCleanup(0)
    url = tracker_url(settings)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_file():
        return TrackerCleanup(0, f"no tracker store file at {url.database}: skipped")
    engine = create_engine(url, connect_args={"timeout": 30} if url.get_backend_name() == "sqlite" else {})
    try:
        if not inspect(engine).has_table("events"):
            return TrackerCleanup(0, "the tracker store has no events table: skipped")
        events = table("events", column("sender_id"))
        deleted = 0
        with engine.begin() as connection:
            for i in range(0, len(conversation_ids), BATCH):
                chunk = list(conversation_ids[i : i + BATCH])
                deleted += connection.execute(delete(events).where(events.c.sender_id.in_(chunk))).rowcount
        return TrackerCleanup(deleted)
    except SQLAlchemyError as exc:  # the class only: a message could carry the URL and its password
        return TrackerCleanup(0, f"tracker store not reachable ({type(exc).__name__}); its events were not deleted")
    finally:
        engine.dispose()
