"""Tickets: reference numbers per market and day, SLA due dates on business calendars, breaches."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import api.commerce.models
import api.gateway.models  # noqa: F401
from api.db import Base
from api.helpdesk.models import Priority
from api.helpdesk.tickets import open_ticket, record_first_response, resolve, sla_state

WAW, IST = ZoneInfo("Europe/Warsaw"), ZoneInfo("Europe/Istanbul")


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session


def test_references_count_per_market_and_local_day(session):
    late_evening = dt.datetime(2026, 11, 21, 23, 30, tzinfo=IST)  # the local day counts, not UTC
    refs = [open_ticket(session, market="TR", topic="track_order", now=late_evening).reference for _ in range(3)]
    assert refs == ["TR-261121-0001", "TR-261121-0002", "TR-261121-0003"]
    pl = open_ticket(session, market="PL", topic="complaint", now=late_evening)
    assert re.fullmatch(r"PL-261121-0001", pl.reference)  # 21:30 in Warsaw, same day, own counter


def test_due_dates_skip_a_polish_holiday_weekend(session):
    friday_evening = dt.datetime(2026, 4, 3, 18, 30, tzinfo=WAW)  # Easter Monday follows
    ticket = open_ticket(session, market="PL", topic="complaint", priority=Priority.NORMAL, now=friday_evening)
    assert ticket.first_response_due == dt.datetime(2026, 4, 7, 12, 0, tzinfo=WAW)  # 4 business hours
    assert ticket.resolution_due == dt.datetime(2026, 4, 9, 14, 0, tzinfo=WAW)  # 24 business hours (9 h/day)


def test_breaches_are_flagged_and_answered_clocks_stop(session):
    friday_evening = dt.datetime(2025, 3, 28, 19, 0, tzinfo=IST)  # Ramazan Bayramı Mon-Tue
    ticket = open_ticket(session, market="TR", topic="wallet_frozen", priority=Priority.URGENT, now=friday_evening)
    assert ticket.first_response_due == dt.datetime(2025, 4, 2, 10, 0, tzinfo=IST)
    monday = dt.datetime(2025, 3, 31, 12, 0, tzinfo=IST)
    state = sla_state(ticket, monday)
    assert not state.first_response.breached and state.first_response.business_hours_left == 1.0
    late = dt.datetime(2025, 4, 2, 11, 0, tzinfo=IST)
    assert sla_state(ticket, late).first_response.breached
    record_first_response(session, ticket, dt.datetime(2025, 4, 2, 9, 30, tzinfo=IST))
    after = sla_state(ticket, late)
    assert not after.first_response.breached and after.first_response.business_hours_left == 0.0
    resolve(session, ticket, dt.datetime(2025, 4, 2, 15, 0, tzinfo=IST))
    assert not sla_state(ticket, dt.datetime(2025, 5, 1, tzinfo=IST)).resolution.breached
