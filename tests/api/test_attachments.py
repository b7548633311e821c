"""Uploads: real images accepted, anything else refused in the buyer's language, files only via the api."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.conversations import history, image_bytes, start, upload


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_images_are_stored_and_served_back(client, fmt):
    conv = start(client)
    data = image_bytes(fmt)
    response = upload(client, conv, data, name=f"../../etc/kod-hatasi.{fmt.lower()}")
    assert response.status_code == 201, response.text
    message = response.json()["message"]
    attachment = message["attachment"]
    assert message["sender"] == "buyer"
    assert attachment["filename"] == f"kod-hatasi.{fmt.lower()}"  # no path survives
    served = client.get(attachment["url"], params={"token": conv["token"]})
    assert served.status_code == 200
    # What is stored is the image encoded again (no metadata), in the same format and size.
    assert attachment["size"] == len(served.content)
    with Image.open(io.BytesIO(served.content)) as stored:
        assert (stored.format, stored.size) == (fmt, (40, 30))
    assert served.headers["content-type"] == f"image/{fmt.lower()}"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert history(client, conv)[0]["attachment"]["id"] == attachment["id"]


@pytest.mark.parametrize(
    ("data", "name", "mime", "language", "status", "code", "fragment"),
    [
        (b"%PDF-1.7 not an image", "fatura.png", "image/png", "tr", 422, "attachment_not_image", "Yalnızca görsel"),
        (b"<svg onload=alert(1)></svg>", "x.svg", "image/svg+xml", "pl", 422, "attachment_not_image", "tylko obrazy"),
        (b"\x89PNG\r\n\x1a\n broken", "broken.png", "image/png", "pl", 422, "attachment_not_image", "tylko obrazy"),
        (b"", "empty.png", "image/png", "tr", 422, "attachment_missing", "Dosya bulunamadı"),
        (None, "huge.png", "image/png", "tr", 413, "attachment_too_large", "çok büyük"),
        (None, "huge.png", "image/png", "pl", 413, "attachment_too_large", "za duży"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(client, data, name, mime, language, status, code, fragment):
    conv = start(client, language, None)
    if data is None:  # a real image just over the test limit (256 KiB)
        data = image_bytes("BMP", (400, 300))
        assert len(data) > 256 * 1024
    response = upload(client, conv, data, name=name, mime=mime)
    assert response.status_code == status
    assert response.json()["detail"]["code"] == code
    assert fragment in response.json()["detail"]["message"]
    assert history(client, conv) == []


def test_bmp_is_a_real_image_but_not_an_allowed_format(client):
    conv = start(client)
    response = upload(client, conv, image_bytes("BMP", (10, 10)), name="a.bmp", mime="image/bmp")
    assert response.status_code == 422


def test_resent_upload_is_stored_once(client):
    conv = start(client)
    first = upload(client, conv, image_bytes(), client_message_id="up-1").json()
    again = upload(client, conv, image_bytes(), client_message_id="up-1").json()
    assert again["duplicate"] is True and again["message"]["id"] == first["message"]["id"]
    assert len(history(client, conv)) == 1


def test_attachments_are_private_to_their_conversation(client):
    owner, other = start(client), start(client)
    url = upload(client, owner, image_bytes()).json()["message"]["attachment"]["url"]
    assert client.get(url).status_code == 404
    assert client.get(url, params={"token": other["token"]}).status_code == 404
    foreign_url = url.replace(owner["conversation_id"], other["conversation_id"])
    assert client.get(foreign_url, params={"token": other["token"]}).status_code == 404
    assert client.get("/static/../var/marketdesk.db").status_code == 404


def test_upload_needs_the_conversation_token(client):
    conv = start(client)
    response = client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        files={"file": ("a.png", image_bytes(), "image/png")},
    )
    assert response.status_code == 404


def test_staff_view_any_attachment_with_the_service_token(client, service_headers):
    conv = start(client)
    data = image_bytes()
    attachment_id = upload(client, conv, data).json()["message"]["attachment"]["id"]
    assert client.get(f"/api/v1/internal/attachments/{attachment_id}").status_code == 401
    served = client.get(f"/api/v1/internal/attachments/{attachment_id}", headers=service_headers)
    assert served.status_code == 200 and served.content == data
    assert client.get("/api/v1/internal/attachments/nope", headers=service_headers).status_code == 404


# ---- what is stored: the pixels, upright, and nothing else ------------------------------------
GPS = {1: "N", 2: (41.0, 2.0, 30.5), 3: "E", 4: (28.0, 58.0, 45.2)}  # a flat in Istanbul
TRAILER = b"PK\x03\x04 hidden zip, kimlik 10000000146"


def _marked(size: tuple[int, int] = (60, 40)) -> Image.Image:
    """Blue, with a red block at the top-left corner (to tell which way the pixels stand)."""
    image = Image.new("RGB", size, (20, 60, 200))
    image.paste((230, 20, 20), (0, 0, 12, 12))
    return image


def _stored(client, conv, response) -> tuple[bytes, dict]:
    attachment = response.json()["message"]["attachment"]
    served = client.get(attachment["url"], params={"token": conv["token"]})
    assert served.status_code == 200
    return served.content, attachment


def test_a_phone_photo_loses_its_gps_and_trailing_bytes_and_stands_upright(client):
    import hashlib

    from sqlalchemy import select

    from api.db import get_sessionmaker
    from api.gateway.models import Attachment

    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; rotate 90° clockwise to view
    exif[0x010F], exif[0x0110] = "PhoneMaker", "Model X"
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    _marked().save(buffer, format="JPEG", exif=exif, comment=b"ali 0532 123 45 67", quality=95)
    sent = buffer.getvalue() + TRAILER
    with Image.open(io.BytesIO(sent)) as check:  # the upload really carries what we strip
        assert check.getexif().get_ifd(0x8825) and check.getexif()[0x0112] == 6

    conv = start(client)
    response = upload(client, conv, sent, name="IMG_0042.jpg", mime="image/jpeg")
    assert response.status_code == 201, response.text
    data, attachment = _stored(client, conv, response)
    assert data.endswith(b"\xff\xd9") and TRAILER not in data and b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif() and "exif" not in stored.info and "comment" not in stored.info
        assert stored.size == (40, 60)  # orientation 6 applied: width and height swapped
        red, blue = stored.convert("RGB").getpixel((35, 3)), stored.convert("RGB").getpixel((3, 3))
        assert red[0] > 180 > red[2] and blue[2] > 150 > blue[0]  # the top-left block is now top-right
    with get_sessionmaker()() as session:
        row = session.scalars(select(Attachment).where(Attachment.id == attachment["id"])).one()
    assert row.size == len(data) == attachment["size"] and row.sha256 == hashlib.sha256(data).hexdigest()


def test_png_text_chunks_exif_and_trailing_bytes_are_dropped(client):
    from PIL import PngImagePlugin

    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Comment", "tel 0532 123 45 67")
    chunks.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><exif:GPSLatitude>41,2.5N</exif:GPSLatitude></x:xmpmeta>")
    exif = Image.Exif()
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    _marked().save(buffer, format="PNG", pnginfo=chunks, exif=exif)
    sent = buffer.getvalue() + TRAILER
    conv = start(client, "pl", None)
    data, _ = _stored(client, conv, upload(client, conv, sent, name="zrzut.png"))
    assert data.endswith(b"IEND\xaeB`\x82") and TRAILER not in data
    assert b"tEXt" not in data and b"iTXt" not in data and b"eXIf" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.size == (60, 40) and not stored.getexif() and not stored.info
        assert stored.convert("RGB").tobytes() == _marked().tobytes()  # lossless stays lossless


def test_webp_metadata_is_dropped_and_an_animation_keeps_its_first_frame(client):
    exif = Image.Exif()
    exif[0x8825] = GPS
    webp = io.BytesIO()
    _marked().save(webp, format="WEBP", exif=exif, xmp=b"<x:xmpmeta>GPS 41.04N</x:xmpmeta>")
    frames = [_marked(), Image.new("RGB", (60, 40), (0, 200, 0)), Image.new("RGB", (60, 40), (0, 0, 0))]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], comment=b"tel 601 234 567")
    conv = start(client)
    data, _ = _stored(client, conv, upload(client, conv, webp.getvalue(), name="a.webp", mime="image/webp"))
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "WEBP" and "exif" not in stored.info and "xmp" not in stored.info
    data, _ = _stored(client, conv, upload(client, conv, gif.getvalue() + TRAILER, name="a.gif", mime="image/gif"))
    assert TRAILER not in data and b"601 234 567" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "GIF" and getattr(stored, "n_frames", 1) == 1
        assert stored.convert("RGB").getpixel((3, 3))[0] > 180  # the first frame, red corner and all


def test_file_names_and_client_ids_with_glued_numbers_are_masked(client):
    conv = start(client, "pl", "pl-0001")
    response = upload(
        client, conv, image_bytes(), name="karta4111111111111111.png", client_message_id="zdj-44051401359"
    )
    message = response.json()["message"]
    assert message["attachment"]["filename"] == "karta[CARD].png" and message["text"] == "karta[CARD].png"
    assert "44051401359" not in message["client_message_id"]
    again = upload(client, conv, image_bytes(), name="karta4111111111111111.png", client_message_id="zdj-44051401359")
    assert again.json()["duplicate"] is True and again.json()["message"]["id"] == message["id"]
