"""Answers: moderation worded in the seller's language, one answer per question (races included),
closed threads, odd payloads, masking, and delivery into the buyer's conversation (stored and live)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.support.sellers import SELLER, answer, case, login, other_seller

pytestmark = pytest.mark.usefixtures("database_url")


def session():
    from api.db import get_sessionmaker

    return get_sessionmaker()()


def replies_to(question_id: int) -> int:
    from api.sellers.models import SellerReply

    with session() as s:
        return s.scalar(select(func.count()).select_from(SellerReply).where(SellerReply.question_id == question_id))


def history(client, conversation: dict) -> list[dict]:
    response = client.get(
        f"/api/v1/conversations/{conversation['conversation_id']}/messages",
        headers={"X-Conversation-Token": conversation["token"]},
    )
    assert response.status_code == 200
    return response.json()["messages"]


@pytest.mark.parametrize(
    ("buyer", "seller_language", "text", "reasons", "words"),
    [
        ("tr-0002", "tr", "Bizi arayın: 0532 123 45 67", ["phone_number"], "telefon numarası"),
        ("tr-0002", "pl", "Bizi arayın: 0532 123 45 67", ["phone_number"], "numeru telefonu"),
        ("tr-0002", "tr", "Detaylar için satis.magaza@gmail.com adresine yazın", ["email"], "e-posta"),
        ("tr-0002", "tr", "Fotoğraflar için www.magazam-outlet.com sitesine bakın", ["link"], "bağlantı"),
        ("tr-0002", "tr", "İNDİRİM KODU: YENI20, mağazamızı ziyaret edin!", ["marketing"], "reklam"),
        ("tr-0002", "tr", "WhatsApp'tan yazın, 200 liraya bırakırım", ["social_handle", "bargaining"], "WhatsApp"),
        ("pl-0002", "pl", "Proszę dzwonić: 601 234 567", ["phone_number"], "numeru telefonu"),
        ("pl-0002", "pl", "Proszę pisać na jan.kowalski@wp.pl", ["email"], "adresu e-mail"),
        ("pl-0002", "pl", "Więcej zdjęć na www.sklep-okazje.pl", ["link"], "linków"),
        (
            "pl-0002",
            "pl",
            "Mamy dla Pana kod rabatowy na kolejne zakupy, zapraszamy do naszego sklepu!",
            ["marketing"],
            "reklam",
        ),
        ("pl-0002", "tr", "Mamy dla Pana kod rabatowy na kolejne zakupy!", ["marketing"], "reklam"),
    ],
)
def test_refused_answers_say_why_in_the_sellers_language_and_store_nothing(
    client, buyer, seller_language, text, reasons, words
):
    c = case(client, buyer, 0)
    who = login(client, c.seller_id, seller_language)
    before = len(history(client, c.conversation))
    refused = answer(client, who, c.question_id, text)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail["code"] == "answer_blocked" and detail["reasons"] == reasons
    assert words in detail["message"] and len(detail["reason_messages"]) == len(reasons)
    assert detail["message"].startswith("Yanıtınız gönderilmedi" if seller_language == "tr" else "Odpowiedź nie")
    assert replies_to(c.question_id) == 0
    assert len(history(client, c.conversation)) == before
    thread = client.get(f"{SELLER}/threads/{c.order_number}", headers=who.headers).json()
    assert next(i for i in thread["items"] if i.get("id") == c.question_id)["state"] == "open"


@pytest.mark.parametrize(
    ("buyer", "text"),
    [
        ("tr-0002", "Siparişiniz yarın Aras Kargo ile gönderilecek; takip numarası sipariş sayfanızda olacak."),
        ("tr-0002", "Maalesef indirim yapamıyoruz, fiyat platformdaki gibidir."),
        ("pl-0002", "Niestety nie możemy obniżyć ceny. Paczka wyjdzie jutro przez InPost."),
    ],
)
def test_plain_answers_about_carriers_and_prices_pass(client, buyer, text):
    c = case(client, buyer, 1)
    who = login(client, c.seller_id, buyer[:2])
    sent = answer(client, who, c.question_id, text)
    assert sent.status_code == 201, sent.text


def test_an_answer_reaches_the_buyers_conversation_with_the_sellers_name(client):
    from api.commerce.models import Seller
    from api.support.models import SellerMessage

    c = case(client, "tr-0003", 0)
    who = login(client, c.seller_id)
    with session() as s:
        shop = f"Selin ({s.get(Seller, c.seller_id).name})"  # the staff member and their shop
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json(
            {"type": "start", "conversation_id": c.conversation["conversation_id"], "token": c.conversation["token"]}
        )
        assert ws.receive_json()["type"] == "session"
        sent = answer(client, who, c.question_id, "Merhaba, ürününüz bugün kargoya verildi.")
        assert sent.status_code == 201 and sent.json()["delivered"] is True
        frame = ws.receive_json()
        while frame["type"] != "seller_message":
            frame = ws.receive_json()
    assert frame["order_number"] == c.order_number and frame["kind"] == "answer"
    assert frame["question_id"] == c.question_id
    assert frame["message"]["sender"] == "seller" and frame["message"]["agent_name"] == shop
    assert frame["message"]["text"] == "Merhaba, ürününüz bugün kargoya verildi."
    last = history(client, c.conversation)[-1]
    assert last["sender"] == "seller" and last["agent_name"] == shop and last["id"] == frame["message"]["id"]
    with session() as s:
        assert s.get(SellerMessage, c.question_id).answered_at is not None
    thread = client.get(f"{SELLER}/threads/{c.order_number}", headers=who.headers).json()
    answered = [i for i in thread["items"] if i["type"] == "answer" and i["question_id"] == c.question_id]
    assert len(answered) == 1 and answered[0]["author"] == "Selin" and answered[0]["delivered"]


def test_one_answer_per_question(client):
    from api.security.audit import entries

    c = case(client, "tr-0004", 0)
    who = login(client, c.seller_id)
    assert answer(client, who, c.question_id, "İlk yanıt.").status_code == 201
    again = answer(client, who, c.question_id, "İkinci yanıt.")
    assert again.status_code == 409
    assert again.json()["detail"] == {
        "code": "already_answered",
        "message": "Bu soru zaten yanıtlandı; yanıt bir kez gönderilir.",
    }
    assert replies_to(c.question_id) == 1
    assert [m["text"] for m in history(client, c.conversation) if m["sender"] == "seller"] == ["İlk yanıt."]
    with session() as s:
        rows = entries(s, target=f"seller_question:{c.question_id}", action="seller.answer")
        assert [r.actor for r in rows] == [f"seller:{who.username}"]
        assert "İlk" not in str(rows[0].details)  # ids, never the words


def test_concurrent_answers_over_http_store_one(client):
    c = case(client, "pl-0004", 0)
    first, second = login(client, c.seller_id, "pl"), login(client, c.seller_id, "pl")

    def send(who):
        return answer(client, who, c.question_id, f"Odpowiedź od {who.username}").status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(send, [first, second]))
    assert codes == [201, 409]
    assert replies_to(c.question_id) == 1
    assert len([m for m in history(client, c.conversation) if m["sender"] == "seller"]) == 1


def test_concurrent_answers_past_every_check_the_unique_constraint_decides(client, monkeypatch):
    """Both answers are held until each has passed the checks (open, not answered): the database picks one."""
    from api.clock import utcnow
    from api.errors import DomainError
    from api.sellers import answers
    from api.sellers.models import SellerUser

    c = case(client, "tr-0005", 0)
    first, second = login(client, c.seller_id), login(client, c.seller_id)
    barrier = threading.Barrier(2, timeout=20)
    checked = answers.checked_text

    def held(*args, **kwargs):
        text = checked(*args, **kwargs)
        barrier.wait()
        return text

    monkeypatch.setattr(answers, "checked_text", held)

    def send(username: str) -> str:
        with session() as s:
            user = s.scalars(select(SellerUser).where(SellerUser.username == username)).one()
            try:
                answers.answer(s, user, c.question_id, f"yanıt {username}", utcnow())
            except DomainError as exc:
                return exc.code
            return "stored"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(send, [first.username, second.username]))
    assert outcomes == ["already_answered", "stored"]
    assert replies_to(c.question_id) == 1
    assert len([m for m in history(client, c.conversation) if m["sender"] == "seller"]) == 1


def test_a_closed_question_takes_no_answer(client):
    from api.clock import utcnow
    from api.support.models import SellerMessage

    c = case(client, "tr-0006", 0)
    who = login(client, c.seller_id, "pl")
    with session() as s:
        s.get(SellerMessage, c.question_id).closed_at = utcnow()
        s.commit()
    refused = answer(client, who, c.question_id, "Geç kalmış yanıt.")
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "thread_closed"
    assert refused.json()["detail"]["message"].startswith("To pytanie zostało zamknięte")
    assert replies_to(c.question_id) == 0
    thread = client.get(f"{SELLER}/threads/{c.order_number}", headers=who.headers).json()
    assert any(i["type"] == "notice" and i["code"] == "closed" for i in thread["items"])


def test_empty_huge_and_html_answers(client):
    from api.sellers.models import SellerReply

    c = case(client, "pl-0005", 0)
    who = login(client, c.seller_id, "pl")
    for empty in ("", "   \n\t ", "\x00\x01"):
        refused = answer(client, who, c.question_id, empty)
        assert refused.status_code == 422 and refused.json()["detail"]["code"] == "empty_answer"
    missing = client.post(f"{SELLER}/questions/{c.question_id}/answer", json={}, headers=who.headers)
    assert missing.status_code == 422 and missing.json()["detail"]["code"] == "empty_answer"
    long = answer(client, who, c.question_id, "a" * 2001)
    assert long.status_code == 422
    assert long.json()["detail"] == {
        "code": "answer_too_long",
        "message": "Odpowiedź jest za długa (maksymalnie 2000 znaków).",
        "limit": 2000,
    }
    huge = answer(client, who, c.question_id, "a" * (2 * 1024 * 1024))
    assert huge.status_code == 413 and huge.json()["detail"]["code"] == "request_too_large"
    assert replies_to(c.question_id) == 0
    markup = '<script>alert("x")</script><b>Dzień dobry</b>, paczka wyjdzie jutro.'
    sent = answer(client, who, c.question_id, markup)
    assert sent.status_code == 201 and sent.json()["reply"]["text"] == markup  # kept as text, shown as text
    assert sent.headers["content-type"].startswith("application/json")
    assert history(client, c.conversation)[-1]["text"] == markup
    with session() as s:
        stored = s.scalars(select(SellerReply).where(SellerReply.question_id == c.question_id)).one()
        assert stored.text == markup


def test_personal_data_in_an_answer_is_stored_masked(client):
    from api.sellers.models import SellerReply

    c = case(client, "tr-0007", 0)
    who = login(client, c.seller_id)
    # A national id is no contact detail, so moderation lets it through; masking keeps it out of storage.
    sent = answer(client, who, c.question_id, "Faturadaki kimlik numarası 10000000146 olarak görünüyor.")
    assert sent.status_code == 201, sent.text
    with session() as s:
        stored = s.scalars(select(SellerReply).where(SellerReply.question_id == c.question_id)).one()
    assert "10000000146" not in stored.text and "[TCKN]" in stored.text
    assert "10000000146" not in history(client, c.conversation)[-1]["text"]


def test_unknown_and_foreign_question_ids_are_the_same_404(client):
    c = case(client, "tr-0008", 0)
    theirs = login(client, other_seller("TR", c.seller_id), "tr")
    responses = [
        answer(client, theirs, c.question_id, "Başkasının sorusu."),
        answer(client, theirs, 999_999_999, "Olmayan soru."),
        client.post(f"{SELLER}/questions/abc/answer", json={"text": "x"}, headers=theirs.headers),
        client.post(f"{SELLER}/questions/-1/answer", json={"text": "x"}, headers=theirs.headers),
        client.post(f"{SELLER}/questions/{'9' * 40}/answer", json={"text": "x"}, headers=theirs.headers),
    ]
    assert {r.status_code for r in responses} == {404}
    assert len({str(r.json()) for r in responses}) == 1
    assert responses[0].json()["detail"]["code"] == "unknown_question"
    assert replies_to(c.question_id) == 0
