"""Builders for the retention and erasure tests: conversations with messages and image files at
chosen times, and a Rasa-shaped SQLite tracker store (the ``events`` table as Rasa 3.6's
SQLTrackerStore creates it: id, sender_id, type_name, timestamp, intent_name, action_name, data).
The fixtures (a private migrated database, settings pointing at temporary paths) are in
tests/api/security/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, func, select
from sqlalchemy.orm import Session

from api.commerce.models import Buyer
from api.gateway.models import Attachment, Conversation, Message
from api.settings import Settings

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def add_buyer(session: Session, buyer_id: str, market: str = "TR") -> Buyer:
    buyer = Buyer(id=buyer_id, market=market, name="Test Buyer", city="İstanbul", language=market.lower())
    session.add(buyer)
    session.commit()
    return buyer


def add_conversation(
    session: Session,
    settings: Settings,
    *,
    buyer_id: str | None,
    started: dt.datetime,
    last_message: dt.datetime | None = None,
    with_image: bool = True,
) -> Conversation:
    """A conversation started at ``started`` with a buyer message and a bot reply, the last at
    ``last_message`` (default: a minute after the start), and optionally an image on disk."""
    last_message = last_message or started + dt.timedelta(minutes=1)
    conversation = Conversation(
        id=uuid.uuid4().hex,
        token="t",
        buyer_id=buyer_id,
        language="tr",
        market="TR",
        created_at=started,
        updated_at=started,
    )
    session.add(conversation)
    session.flush()
    question = Message(conversation_id=conversation.id, sender="buyer", text="siparişim nerede", created_at=started)
    session.add(question)
    session.flush()
    answer = Message(conversation_id=conversation.id, sender="bot", text="yolda", reply_to_id=question.id)
    answer.created_at = last_message
    session.add(answer)
    if with_image:
        folder = Path(settings.attachments_dir) / conversation.id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.png"
        path.write_bytes(PNG)
        photo = Message(conversation_id=conversation.id, sender="buyer", text="kutu.png", created_at=started)
        session.add(photo)
        session.flush()
        session.add(
            Attachment(
                id=path.stem,
                conversation_id=conversation.id,
                message_id=photo.id,
                filename="kutu.png",
                content_type="image/png",
                size=len(PNG),
                sha256="0" * 64,
                storage_path=str(path),
                created_at=started,
            )
        )
    session.commit()
    return conversation


def files_of(session: Session, conversation_id: str) -> list[Path]:
    paths = session.scalars(select(Attachment.storage_path).where(Attachment.conversation_id == conversation_id))
    return [Path(p) for p in paths]


def rows(session: Session, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.scalar(query)


# ---- Rasa's tracker store ------------------------------------------------------------------
def make_tracker_store(path: Path, events_by_sender: dict[str, int]) -> None:
    """An SQLite file with Rasa's ``events`` table and some events per sender (conversation id)."""
    metadata = MetaData()
    events = Table(
        "events",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255), nullable=False, index=True),
        Column("type_name", String(255), nullable=False),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.begin() as connection:
        for sender, count in events_by_sender.items():
            for i in range(count):
                event = {"event": "user", "text": "siparişim nerede", "timestamp": 1_700_000_000.0 + i}
                connection.execute(
                    events.insert().values(
                        sender_id=sender,
                        type_name="user",
                        timestamp=event["timestamp"],
                        intent_name="track_order",
                        action_name=None,
                        data=json.dumps(event),
                    )
                )
    engine.dispose()


def tracker_events(path: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        counts = dict(connection.exec_driver_sql("SELECT sender_id, count(*) FROM events GROUP BY sender_id").all())
    engine.dispose()
    return counts
