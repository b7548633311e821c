"""Retention: conversations past MD_RETENTION_DAYS (by last activity) are deleted everywhere they
are kept, one audit row per run, from the background loop and from the CLI."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from api.clock import utcnow
from api.gateway.models import Attachment, Conversation, Message
from api.helpdesk.models import Ticket
from api.helpdesk.tickets import open_ticket
from api.privacy.retention import purge
from api.security.audit import entries
from tests.support.privacy import add_conversation, files_of, make_tracker_store, rows, tracker_events

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def test_purge_deletes_what_went_quiet_and_keeps_the_rest(privacy_db, privacy_settings):
    session, settings = privacy_db, privacy_settings
    old = add_conversation(session, settings, buyer_id=None, started=NOW - 400 * DAY)
    recent = add_conversation(session, settings, buyer_id=None, started=NOW - 10 * DAY)
    revived = add_conversation(session, settings, buyer_id=None, started=NOW - 400 * DAY, last_message=NOW - 5 * DAY)
    ticket = open_ticket(session, market="TR", topic="complaint", now=NOW - 390 * DAY, conversation_id=old.id)
    old_files = files_of(session, old.id)
    make_tracker_store(Path(settings.tracker_db), {old.id: 5, recent.id: 3, revived.id: 2})

    report = purge(session, now=NOW, settings=settings)

    assert (report.conversations, report.messages, report.attachments, report.files) == (1, 3, 1, 1)
    assert report.tracker_events == 5 and report.tracker_note is None
    assert rows(session, Conversation, id=old.id) == 0
    assert rows(session, Message, conversation_id=old.id) == 0
    assert rows(session, Attachment, conversation_id=old.id) == 0
    assert not any(p.exists() for p in old_files) and not old_files[0].parent.exists()
    assert tracker_events(Path(settings.tracker_db)) == {recent.id: 3, revived.id: 2}
    for kept in (recent, revived):
        assert rows(session, Conversation, id=kept.id) == 1
        assert all(p.exists() for p in files_of(session, kept.id))
    session.expire_all()
    assert session.get(Ticket, ticket.id).conversation_id is None  # the ticket stays, without the link
    (audit,) = entries(session, action="retention.purge")
    assert audit.actor == "system:retention" and audit.target == "conversations"
    assert audit.details["conversations"] == 1 and audit.details["tracker_events"] == 5
    assert audit.details["retention_days"] == 365


def test_every_run_is_audited_and_a_missing_tracker_store_is_a_note(privacy_db, privacy_settings):
    session, settings = privacy_db, privacy_settings
    add_conversation(session, settings, buyer_id=None, started=NOW - 400 * DAY)
    first = purge(session, now=NOW, settings=settings)
    second = purge(session, now=NOW, settings=settings)
    assert first.conversations == 1 and second.conversations == 0
    assert "no tracker store file" in first.tracker_note
    assert not Path(settings.tracker_db).exists()  # skipped, not created
    assert len(entries(session, action="retention.purge")) == 2


def test_days_override_and_orphan_files_are_swept(privacy_db, privacy_settings):
    session, settings = privacy_db, privacy_settings
    month_old = add_conversation(session, settings, buyer_id=None, started=NOW - 40 * DAY)
    orphan = Path(settings.attachments_dir) / "deadbeef"  # a folder whose conversation is gone
    orphan.mkdir(parents=True)
    (orphan / "left.png").write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    report = purge(session, now=utcnow(), days=30, settings=settings)
    assert report.conversations == 1 and report.orphan_files == 1
    assert not orphan.exists() and rows(session, Conversation, id=month_old.id) == 0


def test_cli_purge(database_url, monkeypatch, tmp_path, capsys):
    """``python -m api.cli purge`` on the app database of the settings (here the test session's)."""
    import json

    from api.cli import main
    from api.db import get_sessionmaker
    from api.settings import get_settings

    settings = get_settings()
    monkeypatch.setattr(settings, "tracker_db", str(tmp_path / "rasa_tracker.db"))
    with get_sessionmaker()() as session:
        old = add_conversation(session, settings, buyer_id=None, started=utcnow() - 500 * DAY)
    make_tracker_store(tmp_path / "rasa_tracker.db", {old.id: 4, "someone-else": 1})
    assert main(["purge"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conversations"] >= 1 and report["tracker_events"] == 4
    with get_sessionmaker()() as session:
        assert session.get(Conversation, old.id) is None
        audit = entries(session, action="retention.purge", limit=1)[0]
    assert audit.actor == "operator:cli"
    assert tracker_events(tmp_path / "rasa_tracker.db") == {"someone-else": 1}


def test_the_api_runs_the_purge_in_the_background(database_url, monkeypatch, tmp_path):
    from fastapi.testclient import TestClient

    from api.db import get_sessionmaker
    from api.main import create_app
    from api.settings import get_settings

    settings = get_settings()
    monkeypatch.setattr(settings, "tracker_db", str(tmp_path / "absent.db"))
    with get_sessionmaker()() as session:
        old = add_conversation(session, settings, buyer_id=None, started=utcnow() - 500 * DAY)
    app = create_app(settings.model_copy(update={"retention_interval_seconds": 0.05}))
    with TestClient(app):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with get_sessionmaker()() as session:
                if session.get(Conversation, old.id) is None:
                    break
            time.sleep(0.05)
    with get_sessionmaker()() as session:
        assert session.get(Conversation, old.id) is None
        assert any(e.actor == "system:retention" for e in entries(session, action="retention.purge", limit=50))
