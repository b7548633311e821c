"""SLA and seller-answer clocks on each market's business calendar, around public holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from api.helpdesk.business_calendar import calendar_for

IST, WAW = ZoneInfo("Europe/Istanbul"), ZoneInfo("Europe/Warsaw")


def at(zone, *parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone)


def test_pl_friday_evening_before_easter_monday():
    pl = calendar_for("PL")
    friday_evening = at(WAW, 2026, 4, 3, 18, 30)  # Easter Monday 2026-04-06 is a public holiday
    # Agent SLA: 4 business hours -> Tuesday 08:00 + 4 h.
    assert pl.add_business_hours(friday_evening, 4) == at(WAW, 2026, 4, 7, 12, 0)
    # Seller's 24 h on business days: 5.5 h left on Friday, then Tuesday from midnight.
    assert pl.add_hours_on_business_days(friday_evening, 24) == at(WAW, 2026, 4, 7, 18, 30)


def test_tr_friday_evening_before_ramazan_bayrami():
    tr = calendar_for("TR")
    friday_evening = at(IST, 2025, 3, 28, 19, 0)  # Ramazan Bayramı: Mon 31 March and Tue 1 April 2025
    assert not tr.is_business_day(dt.date(2025, 3, 31)) and not tr.is_business_day(dt.date(2025, 4, 1))
    assert tr.add_business_hours(friday_evening, 4) == at(IST, 2025, 4, 2, 13, 0)
    assert tr.add_hours_on_business_days(friday_evening, 72) == at(IST, 2025, 4, 4, 19, 0)


def test_within_one_day_and_across_days():
    pl = calendar_for("PL")
    tuesday = at(WAW, 2026, 11, 24, 10, 0)
    assert pl.add_business_hours(tuesday, 2) == at(WAW, 2026, 11, 24, 12, 0)
    assert pl.add_business_hours(tuesday, 9) == at(WAW, 2026, 11, 25, 10, 0)  # 7 h today, 2 tomorrow


def test_independence_day_and_weekend_are_skipped_in_poland():
    pl = calendar_for("PL")
    tuesday_evening = at(WAW, 2026, 11, 10, 16, 0)  # 11 November (Wednesday) is a holiday
    assert pl.add_business_hours(tuesday_evening, 2) == at(WAW, 2026, 11, 12, 9, 0)


def test_business_hours_between_counts_only_opening_time():
    tr = calendar_for("TR")
    assert tr.business_hours_between(at(IST, 2025, 3, 28, 17, 0), at(IST, 2025, 4, 2, 10, 0)) == pytest.approx(2.0)
    assert tr.business_hours_between(at(IST, 2025, 4, 2, 10, 0), at(IST, 2025, 3, 28, 17, 0)) == 0


def test_clock_accepts_any_time_zone_and_refuses_naive_times():
    tr = calendar_for("TR")
    utc_friday = dt.datetime(2025, 3, 28, 16, 0, tzinfo=dt.UTC)  # 19:00 in Istanbul
    assert tr.add_business_hours(utc_friday, 1) == at(IST, 2025, 4, 2, 10, 0)
    with pytest.raises(ValueError):
        tr.add_business_hours(dt.datetime(2025, 3, 28, 16, 0), 1)


@pytest.mark.parametrize(
    ("market", "zone", "start", "due"),
    [
        # A delivery investigation opened on Friday evening before Easter Monday: Tue, Wed, Thu.
        ("PL", WAW, (2026, 4, 3, 19, 0), (2026, 4, 9)),
        # ... and before Ramazan Bayramı 2025 (Mon 31 March - Tue 1 April): Wed, Thu, Fri.
        ("TR", IST, (2025, 3, 28, 19, 0), (2025, 4, 4)),
    ],
)
def test_investigation_due_in_three_business_days_skips_public_holidays(market, zone, start, due):
    calendar = calendar_for(market)
    promised = calendar.add_business_days(at(zone, *start), 3)
    assert promised.date() == dt.date(*due) and promised.tzinfo is not None
