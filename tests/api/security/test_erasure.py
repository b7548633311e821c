"""Erasure: a buyer's conversations go from the app DB, the disk and Rasa's tracker store, their words
in kept support records are anonymised, orders stay, and the request is audited; CLI and endpoint."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from api.commerce.models import Buyer, Order, OrderItem, Seller
from api.errors import DomainError
from api.gateway.models import Attachment, Conversation, Message
from api.helpdesk.models import Ticket, TicketNote
from api.helpdesk.tickets import open_ticket
from api.privacy.erasure import ERASED, erase_buyer
from api.security.audit import entries
from api.support.models import ReturnRequest, SellerMessage
from tests.support.privacy import (
    add_buyer,
    add_conversation,
    files_of,
    make_tracker_store,
    rows,
    tracker_events,
)

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def add_order_with_records(session, buyer_id: str, conversation_id: str) -> Order:
    """An order with a return (note), a seller message and a ticket with a note, all from the buyer's words."""
    if session.get(Seller, "s-1") is None:
        session.add(Seller(id="s-1", market="TR", name="Mağaza"))
    order = Order(
        number=f"TR{abs(hash(buyer_id)) % 10**8:08d}",
        market="TR",
        buyer_id=buyer_id,
        seller_id="s-1",
        status="delivered",
        currency="TRY",
        total=Decimal("249.90"),
        placed_at=NOW - dt.timedelta(days=20),
    )
    order.items.append(
        OrderItem(product_name="Kulaklık", category="electronics", quantity=1, unit_price=Decimal("249.90"))
    )
    session.add(order)
    session.flush()
    session.add(
        ReturnRequest(
            code=f"RET-TR-{order.id:06d}",
            market="TR",
            buyer_id=buyer_id,
            order_id=order.id,
            order_item_id=order.items[0].id,
            reason="damaged",
            note="kutu ezik geldi, annemin evine gönderilmişti",
            state="rejected",
            carrier="Aras",
            resubmission_text="tekrar bakın lütfen",
            conversation_id=conversation_id,
        )
    )
    session.add(
        SellerMessage(
            buyer_id=buyer_id,
            seller_id="s-1",
            order_number=order.number,
            text="Ürün hasarlı geldi, adresim Moda Cad. 5",
            created_at=NOW,
            answer_due=NOW + dt.timedelta(days=3),
            conversation_id=conversation_id,
        )
    )
    session.commit()
    ticket = open_ticket(
        session,
        market="TR",
        topic="complaint",
        now=NOW,
        buyer_id=buyer_id,
        order_number=order.number,
        conversation_id=conversation_id,
        summary="Müşteri kutunun annesinin evine bırakıldığını söylüyor",
    )
    session.add(TicketNote(ticket_id=ticket.id, author="Deniz", text="müşteri sinirli, akşam aranacak", created_at=NOW))
    session.commit()
    return order


def test_erasure_forgets_the_buyer_everywhere_and_keeps_orders(privacy_db, privacy_settings):
    session, settings = privacy_db, privacy_settings
    add_buyer(session, "tr-a")
    add_buyer(session, "tr-b")
    first = add_conversation(session, settings, buyer_id="tr-a", started=NOW - dt.timedelta(days=3))
    second = add_conversation(session, settings, buyer_id="tr-a", started=NOW - dt.timedelta(days=1))
    other = add_conversation(session, settings, buyer_id="tr-b", started=NOW - dt.timedelta(days=1))
    order = add_order_with_records(session, "tr-a", first.id)
    files = files_of(session, first.id) + files_of(session, second.id)
    make_tracker_store(Path(settings.tracker_db), {first.id: 7, second.id: 4, other.id: 3})

    report = erase_buyer(session, "tr-a", "operator:ayse", settings)

    assert (report.conversations, report.messages, report.attachments, report.files) == (2, 6, 2, 2)
    assert report.tracker_events == 11 and report.tracker_note is None
    assert rows(session, Conversation, buyer_id="tr-a") == 0
    for gone in (first, second):
        assert rows(session, Message, conversation_id=gone.id) == 0
        assert rows(session, Attachment, conversation_id=gone.id) == 0
    assert not any(p.exists() for p in files)
    assert tracker_events(Path(settings.tracker_db)) == {other.id: 3}
    # Kept: the other buyer, the buyer account, the order and its records, with the buyer's words gone.
    assert rows(session, Conversation, buyer_id="tr-b") == 1 and all(p.exists() for p in files_of(session, other.id))
    session.expire_all()
    assert session.get(Buyer, "tr-a") is not None and session.get(Order, order.id).total == Decimal("249.90")
    ticket = session.scalars(select(Ticket).where(Ticket.buyer_id == "tr-a")).one()
    assert ticket.summary == ERASED and ticket.conversation_id is None and rows(session, TicketNote) == 0
    assert session.scalars(select(SellerMessage.text)).one() == ERASED
    returned = session.scalars(select(ReturnRequest)).one()
    assert returned.note is None and returned.resubmission_text is None and returned.conversation_id is None
    (audit,) = entries(session, action="buyer.erase")
    assert audit.actor == "operator:ayse" and audit.target == "buyer:tr-a"
    assert audit.details["conversations"] == 2 and audit.details["tracker_events"] == 11
    assert "Moda" not in json.dumps(audit.details)  # counts, never the words


def test_missing_tracker_store_or_table_is_skipped_with_a_note(privacy_db, privacy_settings):
    session, settings = privacy_db, privacy_settings
    add_buyer(session, "tr-c")
    add_conversation(session, settings, buyer_id="tr-c", started=NOW, with_image=False)
    report = erase_buyer(session, "tr-c", "operator:ayse", settings)
    assert report.conversations == 1 and "no tracker store file" in report.tracker_note
    assert not Path(settings.tracker_db).exists()

    engine = create_engine(f"sqlite:///{settings.tracker_db}")  # a database Rasa never wrote to
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE other (id INTEGER)"))
    engine.dispose()
    add_conversation(session, settings, buyer_id="tr-c", started=NOW, with_image=False)
    assert "no events table" in erase_buyer(session, "tr-c", "operator:ayse", settings).tracker_note


def test_unknown_buyer_and_repeated_requests(privacy_db, privacy_settings):
    session, settings = privacy_db, privacy_settings
    with pytest.raises(DomainError):
        erase_buyer(session, "nobody", "operator:ayse", settings)
    add_buyer(session, "tr-d")
    assert erase_buyer(session, "tr-d", "operator:ayse", settings).conversations == 0
    assert erase_buyer(session, "tr-d", "service:privacy-desk", settings).conversations == 0
    assert [e.actor for e in entries(session, action="buyer.erase")] == ["service:privacy-desk", "operator:ayse"]


# ---- the endpoint and the CLI, on the test session's app (Rasa down, as in tests/api) ---------------
@pytest.fixture
def tracker_file(monkeypatch, tmp_path, database_url) -> Path:
    from api.settings import get_settings

    path = tmp_path / "rasa_tracker.db"
    monkeypatch.setattr(get_settings(), "tracker_db", str(path))
    return path


def _fresh_buyer(buyer_id: str) -> None:
    from api.db import get_sessionmaker

    with get_sessionmaker()() as session:
        if session.get(Buyer, buyer_id) is None:
            add_buyer(session, buyer_id)


def test_erasure_endpoint(client, service_headers, tracker_file):
    from api.db import get_sessionmaker
    from tests.support.conversations import post, start

    _fresh_buyer("tr-9901")
    conv = start(client, "tr", "tr-9901")
    assert post(client, conv, "siparişim nerede").status_code == 200
    make_tracker_store(tracker_file, {conv["conversation_id"]: 5, "another-conversation": 2})
    url = "/api/v1/internal/buyers/tr-9901/erasure"

    assert client.post(url, json={"requested_by": "dpo"}).status_code == 401
    assert client.post(url, json={"requested_by": ""}, headers=service_headers).status_code == 422
    response = client.post(url, json={"requested_by": "privacy-desk-42"}, headers=service_headers)
    assert response.status_code == 200, response.text
    assert response.json()["conversations"] == 1 and response.json()["tracker_events"] == 5
    assert tracker_events(tracker_file) == {"another-conversation": 2}
    with get_sessionmaker()() as session:
        assert session.get(Conversation, conv["conversation_id"]) is None
        assert entries(session, target="buyer:tr-9901")[0].actor == "service:privacy-desk-42"
    missing = client.post(url.replace("tr-9901", "nobody"), json={"requested_by": "dpo"}, headers=service_headers)
    assert missing.status_code == 404 and missing.json()["detail"]["code"] == "unknown_buyer"


def test_erasure_cli(client, tracker_file, capsys):
    from api.cli import main
    from tests.support.conversations import start

    _fresh_buyer("tr-9902")
    conv = start(client, "tr", "tr-9902")
    make_tracker_store(tracker_file, {conv["conversation_id"]: 2})
    assert main(["erase-buyer", "tr-9902", "--by", "ayse"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["buyer_id"] == "tr-9902" and report["conversations"] == 1 and report["tracker_events"] == 2
    assert main(["erase-buyer", "nobody", "--by", "ayse"]) == 1
    assert "unknown_buyer" in capsys.readouterr().err
