"""The buyer's side of the seller Helpdesk: writing to the seller from the widget, seller replies
reaching the chat (live and in the history), and the agent's read-only view of the thread.

SellerReply rows are written directly here (the seller portal's answer service is separate).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from api.clock import utcnow
from ops.servers import SERVICE_TOKEN
from tests.support.console import hand_over, login
from tests.support.conversations import buyer_token, history, start

pytestmark = pytest.mark.usefixtures("agents_go_home")

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


def orders(client, buyer: str) -> list[str]:
    response = client.get(f"/api/v1/internal/buyers/{buyer}/orders", params={"purpose": "seller"}, headers=SERVICE)
    assert response.status_code == 200, response.text
    return [o["number"] for o in response.json()["orders"]]


def ask(client, conv: dict, order_number: str, text: str, **extra):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/seller-questions",
        json={"order_number": order_number, "text": text, **extra},
        headers={"X-Conversation-Token": conv["token"]},
    )


def mark_urgent(client, conv: dict, question_id: int):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/seller-questions/{question_id}/urgent",
        headers={"X-Conversation-Token": conv["token"]},
    )


def question_row(question_id: int):
    from api.db import get_sessionmaker
    from api.support.models import SellerMessage

    with get_sessionmaker()() as session:
        return session.get(SellerMessage, question_id)


def seller_reply(buyer: str, order_number: str, *, question_id: int | None = None, **values):
    """A seller's answer (or case update) as the seller portal stores it."""
    from api.commerce.models import Order
    from api.db import get_sessionmaker
    from api.sellers.models import SellerReply

    with get_sessionmaker()() as session:
        order = session.scalars(select(Order).where(Order.number == order_number)).one()
        reply = SellerReply(
            seller_id=order.seller_id,
            buyer_id=buyer,
            order_number=order_number,
            kind=values.pop("kind", "answer"),
            question_id=question_id,
            text=values.pop("text", "Merhaba, ürününüz yarın kargoda."),
            author_name=values.pop("author_name", "Elif (Mağaza)"),
            **values,
        )
        session.add(reply)
        session.commit()
        return reply


def deliver(client, app, reply) -> tuple[str, dict, int]:
    """What the seller portal does after storing a reply: record it in the chat, then publish it live."""
    from api.db import get_sessionmaker
    from api.sellers.delivery import publish_to_buyer, record_for_buyer
    from api.sellers.models import SellerReply

    with get_sessionmaker()() as session:
        row = session.get(SellerReply, reply.id)
        recorded = record_for_buyer(session, row)
        assert recorded is not None
        session.commit()
        conversation_id, message = recorded
        delivered = client.portal.call(publish_to_buyer, app.state.hub, row, conversation_id, message)
    return conversation_id, message, delivered


# -- writing to the seller ----------------------------------------------------------------


@pytest.mark.parametrize(("language", "buyer"), [("tr", "tr-0001"), ("pl", "pl-0001")])
def test_a_signed_in_buyer_writes_to_the_seller_of_their_order(client, language, buyer):
    conv = start(client, language, buyer)
    number = orders(client, buyer)[0]
    text = f"Merhaba, {number} hediye paketi yapılabilir mi?" if language == "tr" else "Czy można zapakować na prezent?"
    response = ask(client, conv, number.lower(), text, client_message_id="q-1")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["duplicate"] is False
    assert body["message"]["sender"] == "buyer" and body["message"]["text"] == text
    assert body["message"]["client_message_id"] == "q-1"
    question = body["question"]
    assert question["order_number"] == number and question["urgent"] is False
    due = dt.datetime.fromisoformat(question["answer_due"])
    assert due - utcnow() >= dt.timedelta(hours=23)
    # The history shows it as the buyer's message; the seller's inbox has it, with the deadline.
    assert [m["text"] for m in history(client, conv)][-1] == text
    row = question_row(question["id"])
    assert row.conversation_id == conv["conversation_id"] and row.buyer_id == buyer and row.text == text
    assert row.answer_due == due and row.urgent is False and row.reply_to_id is None


@pytest.mark.parametrize(("language", "fragment"), [("tr", "giriş yapmanız gerekiyor"), ("pl", "musisz się zalogować")])
def test_anonymous_visitors_are_asked_to_sign_in(client, language, fragment):
    conv = start(client, language, None)
    number = orders(client, f"{language}-0001")[0]
    response = ask(client, conv, number, "Merhaba")
    assert response.status_code == 403
    assert response.json()["detail"]["code"] == "sign_in_required"
    assert fragment in response.json()["detail"]["message"]
    assert mark_urgent(client, conv, 1).json()["detail"]["code"] == "sign_in_required"
    assert history(client, conv) == []


def test_unknown_and_foreign_orders_get_the_same_404(client):
    conv = start(client, "tr", "tr-0001")
    foreign = orders(client, "tr-0002")[0]
    answers = [ask(client, conv, number, "Merhaba, bir sorum var") for number in (foreign, "TR00000001", "xyz")]
    assert {a.status_code for a in answers} == {404}
    details = [a.json()["detail"] for a in answers]
    assert details[0] == details[1] == details[2]
    assert details[0]["code"] == "order_not_found" and "sipariş bulunamadı" in details[0]["message"]
    pl = ask(client, start(client, "pl", "pl-0001"), orders(client, "pl-0002")[0], "Dzień dobry")
    assert pl.status_code == 404 and "Na Twoim koncie nie ma zamówienia" in pl.json()["detail"]["message"]
    assert history(client, conv) == []


@pytest.mark.parametrize(
    ("language", "text", "reasons", "fragment"),
    [
        ("tr", "Merhaba, beni 0532 123 45 67'den arayın", ["phone_number"], "telefon numarası"),
        ("tr", "son fiyat ne olur, indirim yapar mısınız", ["bargaining"], "fiyat pazarlığı"),
        ("tr", "whatsapp'tan yazın, aras kargo ile gönderin", ["social_handle", "carrier_request"], "kargo firması"),
        ("pl", "napisz na jan.kowalski@gmail.com", ["email"], "adres e-mail"),
        ("pl", "jesteś oszustem", ["insult"], "obraźliwe słowa"),
        ("pl", "wyślij przez DPD a nie InPost", ["carrier_request"], "innym przewoźnikiem"),
    ],
)
def test_moderation_refusals_say_why_in_the_buyers_language(client, language, text, reasons, fragment):
    buyer = f"{language}-0001"
    conv = start(client, language, buyer)
    response = ask(client, conv, orders(client, buyer)[0], text)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["code"] == "message_blocked" and detail["reasons"] == reasons
    assert fragment in detail["message"]
    assert ("gönderilmedi" if language == "tr" else "nie została wysłana") in detail["message"]
    assert history(client, conv) == []  # nothing stored, nothing relayed


def test_markup_is_stored_as_text(client):
    conv = start(client, "tr", "tr-0001")
    text = '<script>alert("x")</script><img src=x onerror=alert(1)> Kutu <b>ezik</b> geldi'
    response = ask(client, conv, orders(client, "tr-0001")[0], text)
    assert response.status_code == 201, response.text
    assert response.json()["message"]["text"] == text
    assert question_row(response.json()["question"]["id"]).text == text
    assert history(client, conv)[-1]["text"] == text


@pytest.mark.parametrize(
    ("language", "text", "status", "code", "fragment"),
    [
        ("tr", "   ", 422, "empty_message", "Boş mesaj"),
        ("pl", "", 422, "empty_message", "pustej wiadomości"),
        ("tr", "a" * 1001, 422, "message_too_long", "en fazla 1000 karakter"),
        ("pl", "ą" * 1001, 422, "message_too_long", "maksymalnie 1000 znaków"),
    ],
)
def test_empty_and_too_long_messages_are_refused(client, language, text, status, code, fragment):
    buyer = f"{language}-0001"
    conv = start(client, language, buyer)
    response = ask(client, conv, orders(client, buyer)[0], text)
    assert response.status_code == status
    assert response.json()["detail"]["code"] == code and fragment in response.json()["detail"]["message"]
    assert history(client, conv) == []


def test_a_huge_body_is_refused_before_the_handler(client):
    conv = start(client, "pl", "pl-0001")
    response = ask(client, conv, orders(client, "pl-0001")[0], "x" * 2_000_000)
    assert response.status_code == 413 and response.json()["detail"]["code"] == "request_too_large"


def test_a_wrong_conversation_token_is_404(client):
    conv = start(client, "tr", "tr-0001")
    response = ask(client, {**conv, "token": "guess"}, orders(client, "tr-0001")[0], "Merhaba")
    assert response.status_code == 404 and response.json()["detail"]["code"] == "unknown_conversation"


# -- answering the seller -----------------------------------------------------------------


def test_the_buyer_answers_the_sellers_reply_and_only_their_own(client):
    buyer, other = "tr-0001", "tr-0002"
    number, second = orders(client, buyer)[:2]
    conv = start(client, "tr", buyer)
    first = ask(client, conv, number, "Kargo ne zaman çıkar?").json()["question"]
    reply = seller_reply(buyer, number, question_id=first["id"])

    follow_up = ask(client, conv, number, "Teşekkürler, yarın evde olacağım.", reply_to_id=reply.id, urgent=True)
    assert follow_up.status_code == 201, follow_up.text
    row = question_row(follow_up.json()["question"]["id"])
    assert row.reply_to_id == reply.id and row.urgent is True
    assert follow_up.json()["question"]["urgent"] is True

    # The reply of one order can't be answered under another order, nor by another buyer.
    wrong_order = ask(client, conv, second, "Bu da olur mu?", reply_to_id=reply.id)
    assert wrong_order.status_code == 404 and wrong_order.json()["detail"]["code"] == "reply_not_found"
    conv_b = start(client, "tr", other)
    stolen = ask(client, conv_b, orders(client, other)[0], "Merhaba", reply_to_id=reply.id)
    assert stolen.status_code == 404 and stolen.json()["detail"]["code"] == "reply_not_found"
    assert "satıcı mesajı bulunamadı" in stolen.json()["detail"]["message"]
    unknown = ask(client, conv, number, "Merhaba", reply_to_id=2_000_000_000)
    assert unknown.status_code == 404 and unknown.json()["detail"]["code"] == "reply_not_found"


def test_marking_a_question_urgent_only_the_buyers_own(client):
    conv = start(client, "pl", "pl-0001")
    question = ask(client, conv, orders(client, "pl-0001")[0], "Kiedy wyślecie paczkę?").json()["question"]
    assert question["urgent"] is False
    marked = mark_urgent(client, conv, question["id"])
    assert marked.status_code == 200 and marked.json()["question"] == {**question, "urgent": True}
    assert question_row(question["id"]).urgent is True
    assert mark_urgent(client, conv, question["id"]).json()["question"]["urgent"] is True  # again: no change

    # Another of the same buyer's conversations may; another buyer's may not (same 404 as unknown).
    assert mark_urgent(client, start(client, "pl", "pl-0001"), question["id"]).status_code == 200
    foreign = mark_urgent(client, start(client, "pl", "pl-0002"), question["id"])
    unknown = mark_urgent(client, conv, 2_000_000_000)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json()["detail"] == unknown.json()["detail"]
    assert foreign.json()["detail"]["code"] == "question_not_found"
    assert "Nie znaleziono" in foreign.json()["detail"]["message"]


# -- one question per click -----------------------------------------------------------------


def questions_in(conversation_id: str) -> int:
    from sqlalchemy import func

    from api.db import get_sessionmaker
    from api.support.models import SellerMessage

    with get_sessionmaker()() as session:
        return session.scalar(select(func.count()).where(SellerMessage.conversation_id == conversation_id))


def test_a_resend_with_the_same_client_id_is_stored_once(client):
    conv = start(client, "tr", "tr-0001")
    number = orders(client, "tr-0001")[0]
    first = ask(client, conv, number, "Fatura eklenebilir mi?", client_message_id="dbl-1")
    again = ask(client, conv, number, "Fatura eklenebilir mi?", client_message_id="dbl-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["duplicate"] is True
    assert again.json()["message"] == first.json()["message"]
    assert again.json()["question"] == first.json()["question"]
    assert questions_in(conv["conversation_id"]) == 1
    assert len(history(client, conv)) == 1


def test_a_concurrent_double_click_stores_one_question(client):
    conv = start(client, "pl", "pl-0001")
    number = orders(client, "pl-0001")[0]

    def click(_):
        return ask(client, conv, number, "Czy mogę dostać fakturę?", client_message_id="double-click")

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(click, range(4)))
    assert {a.status_code for a in answers} == {201}
    assert sorted(a.json()["duplicate"] for a in answers) == [False, True, True, True]
    assert len({a.json()["question"]["id"] for a in answers}) == 1
    assert len({a.json()["message"]["id"] for a in answers}) == 1
    assert questions_in(conv["conversation_id"]) == 1
    assert len(history(client, conv)) == 1


# -- seller replies reach the buyer -----------------------------------------------------------


def test_a_seller_reply_reaches_the_open_widget_and_the_history(client, app):
    buyer = "tr-0003"
    number = orders(client, buyer)[0]
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "language": "tr", "buyer_token": buyer_token(client, buyer)})
        session = ws.receive_json()
        conv = session["conversation"]
        question = ask(client, conv, number, "Renk seçeneği var mı?").json()["question"]
        reply = seller_reply(buyer, number, question_id=question["id"], text="Evet, <b>siyah</b> da var.")
        conversation_id, message, delivered = deliver(client, app, reply)
        assert conversation_id == conv["conversation_id"] and delivered == 1
        frame = ws.receive_json()
    assert frame["type"] == "seller_message"
    assert frame["order_number"] == number and frame["kind"] == "answer" and frame["question_id"] == question["id"]
    assert frame["message"]["sender"] == "seller" and frame["message"]["agent_name"] == "Elif (Mağaza)"
    assert frame["message"]["text"] == "Evet, <b>siyah</b> da var."

    # The widget learns what the message is about, so the buyer can answer it.
    context = client.get(
        f"/api/v1/conversations/{conv['conversation_id']}/seller-questions",
        headers={"X-Conversation-Token": conv["token"]},
    ).json()
    assert {
        "message_id": message["id"],
        "reply_id": reply.id,
        "order_number": number,
        "kind": "answer",
        "status": None,
        "question_id": question["id"],
    } in context["seller_messages"]
    assert [q["id"] for q in context["questions"]] == [question["id"]]
    assert context["questions"][0]["answered"] is True

    # Re-opened later: the history has the seller's message with the seller's name.
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "conversation_id": conv["conversation_id"], "token": conv["token"]})
        resumed = ws.receive_json()
    seller = [m for m in resumed["history"] if m["sender"] == "seller"]
    assert [(m["id"], m["agent_name"]) for m in seller] == [(message["id"], "Elif (Mağaza)")]


def test_an_offline_buyer_finds_the_status_update_in_the_history(client, app):
    buyer = "pl-0003"
    number = orders(client, buyer)[0]
    conv = start(client, "pl", buyer)
    ask(client, conv, number, "Czy paczka już wyszła?")
    reply = seller_reply(
        buyer,
        number,
        kind="status",
        status="shipped",
        carrier="InPost",
        tracking_number="620000111222333",
        expected_date=dt.date(2026, 12, 10),
        text="",
        author_name="Marek",
    )
    conversation_id, message, delivered = deliver(client, app, reply)
    assert conversation_id == conv["conversation_id"] and delivered == 0  # nobody listening
    shown = history(client, conv)[-1]
    assert shown["id"] == message["id"] and shown["sender"] == "seller" and shown["agent_name"] == "Marek"
    assert "InPost" in shown["text"] and "10.12.2026" in shown["text"] and number in shown["text"]


def test_the_context_of_another_conversation_is_not_shown(client):
    conv = start(client, "tr", "tr-0001")
    other = start(client, "tr", None)
    url = f"/api/v1/conversations/{conv['conversation_id']}/seller-questions"
    assert client.get(url, headers={"X-Conversation-Token": other["token"]}).status_code == 404
    anonymous = client.get(
        f"/api/v1/conversations/{other['conversation_id']}/seller-questions",
        headers={"X-Conversation-Token": other["token"]},
    ).json()
    assert anonymous == {"seller_messages": [], "questions": []}


# -- the agent's read-only view ---------------------------------------------------------------


def test_the_console_shows_the_order_thread_of_a_handed_over_conversation(client, staffed):
    buyer = "tr-0004"
    number = orders(client, buyer)[0]
    conv = start(client, "tr", buyer)
    asked = ask(client, conv, number, "Ürün ne zaman kargoya verilir?", urgent=True).json()["question"]
    answer = seller_reply(buyer, number, question_id=asked["id"], text="Yarın veriyoruz.", author_name="Ayşe")
    update = seller_reply(buyer, number, kind="status", status="repair_started", text="", author_name="Ayşe")
    follow_up = ask(client, conv, number, "Teşekkürler.", reply_to_id=answer.id).json()["question"]

    agent = login(client, languages=("tr",))
    # A different conversation of the buyer, handed over about the order: the thread is found by the order.
    handed = start(client, "tr", buyer)
    hand_over(client, handed["conversation_id"], order_number=number.lower())
    claimed = client.post(f"/api/v1/console/conversations/{handed['conversation_id']}/claim", headers=agent)
    assert claimed.status_code == 200, claimed.text
    threads = claimed.json()["seller_threads"]
    assert [t["order_number"] for t in threads] == [number]
    thread = threads[0]
    assert thread["read_only"] is True and thread["seller"]["name"]
    assert thread["urgent"] is False  # the urgent question was answered
    assert thread["open_questions"] == 1 and thread["overdue"] is False
    kinds = [(e["kind"], e["id"]) for e in thread["entries"]]
    expected = [("question", asked["id"]), ("answer", answer.id), ("status", update.id), ("question", follow_up["id"])]
    assert kinds == expected
    first, said, status, last = thread["entries"]
    assert first["author"] == "buyer" and first["urgent"] is True and first["answered"] is True
    assert first["from_this_conversation"] is False
    assert said["author_name"] == "Ayşe" and said["text"] == "Yarın veriyoruz." and said["question_id"] == asked["id"]
    assert status["status"] == "repair_started"
    assert last["reply_to_id"] == answer.id and last["answered"] is False


def test_an_overdue_question_is_escalated_with_a_ticket_that_leads_to_the_thread(client):
    from sqlalchemy import update

    from api.commerce.sql_adapter import SqlCommerce
    from api.db import get_sessionmaker
    from api.helpdesk.models import Ticket
    from api.support.models import SellerMessage
    from api.support.seller_contact import escalate_overdue

    buyer = "pl-0004"
    number = orders(client, buyer)[0]
    conv = start(client, "pl", buyer)
    asked = ask(client, conv, number, "Kiedy dostanę odpowiedź?").json()["question"]
    now = utcnow()
    with get_sessionmaker()() as session:
        session.execute(
            update(SellerMessage)
            .where(SellerMessage.id == asked["id"])
            .values(answer_due=now - dt.timedelta(minutes=5))
        )
        session.commit()
        references = escalate_overdue(session, SqlCommerce(session), now)
        ticket = session.scalars(select(Ticket).where(Ticket.conversation_id == conv["conversation_id"])).one()
    assert ticket.reference in references
    assert ticket.order_number == number
    assert f"#{asked['id']}" in ticket.summary and number in ticket.summary

    agent = login(client, languages=("pl",), online=False)
    detail = client.get(f"/api/v1/console/conversations/{conv['conversation_id']}", headers=agent)
    assert detail.status_code == 200, detail.text
    assert [t["reference"] for t in detail.json()["tickets"]] == [ticket.reference]
    (thread,) = detail.json()["seller_threads"]
    assert thread["order_number"] == number and thread["overdue"] is True and thread["escalated"] is True
    question, escalation = thread["entries"]
    assert question["overdue"] is True and question["ticket_reference"] == ticket.reference
    assert question["from_this_conversation"] is True
    assert escalation == {
        "kind": "escalation",
        "id": asked["id"],
        "at": escalation["at"],
        "author": "platform",
        "author_name": None,
        "question_id": asked["id"],
        "ticket_reference": ticket.reference,
    }


def test_the_console_shows_only_the_buyers_own_orders(client, staffed):
    buyer, other = "tr-0005", "tr-0006"
    foreign = orders(client, other)[0]
    conv = start(client, "tr", buyer)
    agent = login(client, languages=("tr",))
    hand_over(client, conv["conversation_id"], order_number=foreign)
    claimed = client.post(f"/api/v1/console/conversations/{conv['conversation_id']}/claim", headers=agent)
    assert claimed.status_code == 200 and claimed.json()["seller_threads"] == []
