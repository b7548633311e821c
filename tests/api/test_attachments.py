"""Uploads: real images accepted, anything else refused in the buyer's language, files only via the api."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.api.test_chat_http import history, start


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(client, conv, data: bytes, name: str = "ekran.png", mime: str = "image/png", **form):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        files={"file": (name, data, mime)},
        data=form,
        headers={"X-Conversation-Token": conv["token"]},
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_images_are_stored_and_served_back(client, fmt):
    conv = start(client)
    data = image_bytes(fmt)
    response = upload(client, conv, data, name=f"../../etc/kod-hatasi.{fmt.lower()}")
    assert response.status_code == 201, response.text
    message = response.json()["message"]
    attachment = message["attachment"]
    assert message["sender"] == "buyer" and attachment["size"] == len(data)
    assert attachment["filename"] == f"kod-hatasi.{fmt.lower()}"  # no path survives
    served = client.get(attachment["url"], params={"token": conv["token"]})
    assert served.status_code == 200
    assert served.content == data
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
