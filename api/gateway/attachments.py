"""Buyer attachments: images only, size-limited, checked by decoding them, stored outside the web root.

The declared content type and file name are never trusted: Pillow must recognise
and verify the bytes as one of the allowed formats, and the stored name is ours.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.gateway.models import Attachment, Message, Sender
from api.gateway.service import ChatError, clean_client_id, serialise
from api.gateway.texts import megabytes
from api.security.pii import mask

ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
MAX_PIXELS = 40_000_000


def inspect_image(data: bytes) -> tuple[str, str]:
    """(content type, extension) of a real image in an allowed format, else ``attachment_not_image``."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            if image.width * image.height > MAX_PIXELS:
                raise ChatError("attachment_not_image")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ChatError("attachment_not_image") from exc
    if image_format not in ALLOWED_FORMATS:
        raise ChatError("attachment_not_image")
    return ALLOWED_FORMATS[image_format]


def display_name(raw: str | None, extension: str) -> str:
    """A file name safe to show: no path, no control characters, bounded length."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:120]
    return name or f"image.{extension}"


@dataclass(frozen=True)
class StoredFile:
    path: Path
    content_type: str
    filename: str


class AttachmentService:
    def __init__(self, sessions: sessionmaker[Session], directory: str, max_bytes: int) -> None:
        self._sessions = sessions
        self._directory = Path(directory)
        self.max_bytes = max_bytes

    def store(
        self, conversation_id: str, filename: str | None, data: bytes, raw_client_id: object
    ) -> tuple[dict[str, Any], bool]:
        """Store an upload as a buyer message; returns (message, duplicate)."""
        client_id = clean_client_id(raw_client_id)
        if not data:
            raise ChatError("attachment_missing")
        if len(data) > self.max_bytes:
            raise ChatError("attachment_too_large", limit_mb=megabytes(self.max_bytes))
        content_type, extension = inspect_image(data)
        with self._sessions() as session:
            if client_id is not None:
                existing = session.scalars(
                    select(Message).where(
                        Message.conversation_id == conversation_id, Message.client_message_id == client_id
                    )
                ).first()
                if existing is not None:
                    return serialise(existing), True
            attachment_id = uuid.uuid4().hex
            folder = self._directory / conversation_id
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{attachment_id}.{extension}"
            path.write_bytes(data)
            path.chmod(0o600)
            # A file name is buyer text too ("kimlik_12345678950.jpg"): masked like a message.
            name = mask(display_name(filename, extension)).text
            try:
                message = Message(
                    conversation_id=conversation_id, sender=Sender.BUYER, text=name, client_message_id=client_id
                )
                session.add(message)
                session.flush()
                session.add(
                    Attachment(
                        id=attachment_id,
                        conversation_id=conversation_id,
                        message_id=message.id,
                        filename=name,
                        content_type=content_type,
                        size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(),
                        storage_path=str(path),
                    )
                )
                session.commit()
            except Exception:
                session.rollback()
                path.unlink(missing_ok=True)
                raise
            session.refresh(message)
            return serialise(message), False

    def open(self, conversation_id: str | None, attachment_id: str) -> StoredFile:
        """The stored file; ``conversation_id`` None is staff access (any conversation)."""
        with self._sessions() as session:
            row = session.get(Attachment, attachment_id)
            if row is None or not Path(row.storage_path).is_file():
                raise ChatError("unknown_attachment")
            if conversation_id is not None and row.conversation_id != conversation_id:
                raise ChatError("unknown_attachment")
            return StoredFile(Path(row.storage_path), row.content_type, row.filename)
