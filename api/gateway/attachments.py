"""Buyer attachments: images only, size-limited, checked by decoding them, stored outside the web root.

The declared content type and file name are never trusted: Pillow must recognise
and verify the bytes as one of the allowed formats, and the stored name is ours.

What is stored is not what was sent: every accepted image is decoded and encoded again
(``clean_image``), so a phone photo's EXIF (GPS position, camera serial, time), XMP, text
chunks and comments, and any bytes hidden after the image's end, never reach the disk.
The EXIF orientation is applied to the pixels first, so the photo still stands the right
way up. The ICC colour profile is kept: it describes colours, not the person, and evidence
photos should look as taken. Animated GIF and WebP keep their first frame only: evidence is
a still (a photo, a screenshot), and one frame bounds the work of decoding an upload.
JPEG keeps the sender's quantisation tables, so quality and size stay close to the upload.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.errors import DomainError
from api.gateway.models import Attachment, Conversation, Message, Sender
from api.gateway.service import chat_error, clean_client_id, serialise
from api.gateway.texts import megabytes
from api.security.pii import mask_field

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
                raise chat_error("attachment_not_image")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise chat_error("attachment_not_image") from exc
    if image_format not in ALLOWED_FORMATS:
        raise chat_error("attachment_not_image")
    return ALLOWED_FORMATS[image_format]


def _encode_options(original: Image.Image, image_format: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if original.info.get("icc_profile"):
        options["icc_profile"] = original.info["icc_profile"]
    if image_format == "JPEG":
        tables, sampling = getattr(original, "quantization", None), JpegImagePlugin.get_sampling(original)
        if tables:
            options["qtables"] = tables
        else:
            options["quality"] = 90
        if sampling >= 0:
            options["subsampling"] = sampling
    elif image_format == "WEBP":
        options["quality"] = 90
    elif image_format in ("GIF", "PNG") and "transparency" in original.info:
        options["transparency"] = original.info["transparency"]
    return options


def clean_image(data: bytes) -> tuple[bytes, str, str]:
    """(bytes to store, content type, extension): the upload's pixels, upright, and nothing else."""
    content_type, extension = inspect_image(data)
    try:
        with Image.open(io.BytesIO(data)) as original:
            image_format = original.format
            original.seek(0)  # an animation keeps its first frame
            upright = ImageOps.exif_transpose(original)
            pixels = upright.copy() if upright is original else upright
            pixels.info = {}  # EXIF, XMP, comments, text chunks: none of it is written again
            options = _encode_options(original, image_format)
            out = io.BytesIO()
            pixels.save(out, format=image_format, **options)
    except Exception as exc:  # verified, yet it can't be decoded or written again: not an image we keep
        raise chat_error("attachment_not_image") from exc
    return out.getvalue(), content_type, extension


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
    def __init__(
        self, sessions: sessionmaker[Session], directory: str, max_bytes: int, client_id_key: str | None = None
    ) -> None:
        self._sessions = sessions
        self._directory = Path(directory)
        self.max_bytes = max_bytes
        self._client_id_key = client_id_key

    def _key(self) -> str:
        """The key of masked client message ids: the chat service's (the buyer-token secret)."""
        if self._client_id_key is None:
            from api.settings import get_settings

            self._client_id_key = get_settings().buyer_token_secret
        return self._client_id_key

    def store(
        self, conversation_id: str, filename: str | None, data: bytes, raw_client_id: object
    ) -> tuple[dict[str, Any], bool]:
        """Store an upload as a buyer message; returns (message, duplicate)."""
        client_id = clean_client_id(raw_client_id, self._key())
        if not data:
            raise chat_error("attachment_missing")
        if len(data) > self.max_bytes:
            raise chat_error("attachment_too_large", 413, limit_mb=megabytes(self.max_bytes))
        data, content_type, extension = clean_image(data)
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
            conversation = session.get(Conversation, conversation_id)
            language = conversation.language if conversation is not None else None
            name = mask_field(display_name(filename, extension), language)
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
            stored = row is not None and Path(row.storage_path).is_file()
            if not stored or (conversation_id is not None and row.conversation_id != conversation_id):
                # 404 either way: a buyer reads why in their language, staff tools get the code alone.
                if conversation_id is None:
                    raise DomainError("unknown_attachment", 404)
                raise chat_error("unknown_attachment", 404)
            return StoredFile(Path(row.storage_path), row.content_type, row.filename)
