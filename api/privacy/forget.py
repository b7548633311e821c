"""Removing whole conversations: the one deletion both retention and erasure need.

Why one place: a conversation is spread over messages, attachment rows, image files on
disk and links from tickets, returns and seller messages; forgetting it in two slightly
different ways would leave something behind in one of them. Rows are deleted in the
caller's transaction; files are unlinked only after the caller committed (a rollback must
not leave rows pointing at deleted evidence), and a crash in between leaves orphan files
that :func:`sweep_orphan_files` removes on a later run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api.gateway.models import Attachment, Conversation, Message
from api.helpdesk.models import Ticket
from api.notices.models import CommerceEvent
from api.support.models import ReturnRequest, SellerMessage

BATCH = 500


@dataclass
class Removed:
    conversations: int = 0
    messages: int = 0
    attachments: int = 0
    files: list[Path] = field(default_factory=list)  # to unlink once the transaction committed


def remove_conversations(session: Session, conversation_ids: Sequence[str]) -> Removed:
    """Delete the conversations, their messages and attachment rows; keep tickets, returns and seller
    messages (support and commerce records) but drop their link to the deleted conversation."""
    removed = Removed()
    for i in range(0, len(conversation_ids), BATCH):
        chunk = list(conversation_ids[i : i + BATCH])
        paths = session.scalars(select(Attachment.storage_path).where(Attachment.conversation_id.in_(chunk)))
        removed.files += [Path(p) for p in paths]
        for model in (Ticket, ReturnRequest, SellerMessage):
            session.execute(
                update(model).where(model.conversation_id.in_(chunk)).values(conversation_id=None),
                execution_options={"synchronize_session": False},
            )
        session.execute(  # the order event stays (it was received); its notice goes with the conversation
            update(CommerceEvent)
            .where(CommerceEvent.conversation_id.in_(chunk))
            .values(conversation_id=None, message_id=None),
            execution_options={"synchronize_session": False},
        )
        removed.attachments += _delete(session, Attachment, Attachment.conversation_id.in_(chunk))
        session.execute(
            update(Message).where(Message.conversation_id.in_(chunk)).values(reply_to_id=None),
            execution_options={"synchronize_session": False},
        )
        removed.messages += _delete(session, Message, Message.conversation_id.in_(chunk))
        removed.conversations += _delete(session, Conversation, Conversation.id.in_(chunk))
    return removed


def _delete(session: Session, model, condition) -> int:
    return session.execute(delete(model).where(condition), execution_options={"synchronize_session": False}).rowcount


def unlink_files(paths: Sequence[Path]) -> int:
    """Delete the stored images (after commit) and their conversation folder once empty."""
    count = 0
    for path in paths:
        if path.is_file():
            path.unlink(missing_ok=True)
            count += 1
        with contextlib.suppress(OSError):  # not empty (another upload) or already gone
            path.parent.rmdir()
    return count


def sweep_orphan_files(session: Session, attachments_dir: str, now: dt.datetime, min_age: dt.timedelta) -> int:
    """Folders under the attachments dir whose conversation no longer exists (a crash between commit
    and unlink); ``min_age`` keeps clear of uploads in flight."""
    root = Path(attachments_dir)
    if not root.is_dir():
        return 0
    folders = [p for p in root.iterdir() if p.is_dir()]
    if not folders:
        return 0
    existing: set[str] = set()
    for i in range(0, len(folders), BATCH):
        names = [p.name for p in folders[i : i + BATCH]]
        existing.update(session.scalars(select(Conversation.id).where(Conversation.id.in_(names))))
    count = 0
    for folder in folders:
        modified = dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)
        if folder.name not in existing and now - modified >= min_age:
            count += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder, ignore_errors=True)
    return count
