"""Business calendars per market: when SLA and seller-answer clocks run.

Two kinds of clock, both skipping weekends and the market's public holidays (the
`holidays` package, so Ramadan/Kurban Bayramı and Easter move correctly every year):
  - business hours: only the market's opening hours count (agent SLAs);
  - hours on business days: whole business days count (the seller's 24 h in PL).
Times are aware datetimes; arithmetic happens in the market's own time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from api.markets import market_config


@dataclass(frozen=True)
class BusinessCalendar:
    market: str
    zone: ZoneInfo
    opens: dt.time
    closes: dt.time
    weekdays: frozenset[int]
    public_holidays: holidays.HolidayBase = field(compare=False, repr=False)

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.public_holidays

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("aware datetimes only")
        return moment.astimezone(self.zone)

    def _next_business_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.zone)

    def add_business_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment when ``hours`` of opening time have passed since ``start``."""
        remaining = dt.timedelta(hours=hours)
        moment = self._local(start)
        day = moment.date()
        if not self.is_business_day(day) or moment.time() >= self.closes:
            day = self._next_business_day(day)
            moment = self._at(day, self.opens)
        elif moment.time() < self.opens:
            moment = self._at(day, self.opens)
        while True:
            left_today = self._at(day, self.closes) - moment
            if remaining <= left_today:
                return moment + remaining
            remaining -= left_today
            day = self._next_business_day(day)
            moment = self._at(day, self.opens)

    def add_hours_on_business_days(self, start: dt.datetime, hours: float) -> dt.datetime:
        """Like a wall clock that stops on weekends and public holidays."""
        remaining = dt.timedelta(hours=hours)
        moment = self._local(start)
        day = moment.date()
        if not self.is_business_day(day):
            day = self._next_business_day(day)
            moment = self._at(day, dt.time())
        while True:
            midnight = self._at(day + dt.timedelta(days=1), dt.time())
            left_today = midnight - moment
            if remaining <= left_today:
                return moment + remaining
            remaining -= left_today
            day = self._next_business_day(day)
            moment = self._at(day, dt.time())

    def add_business_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The end of the ``days``-th business day after ``start``'s day (closing time), for promised dates."""
        day = self._local(start).date()
        for _ in range(days):
            day = self._next_business_day(day)
        return self._at(day, self.closes)

    def business_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Opening hours elapsed from ``start`` to ``end`` (0 if end is earlier)."""
        start, end = self._local(start), self._local(end)
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            if self.is_business_day(day):
                lo = max(start, self._at(day, self.opens))
                hi = min(end, self._at(day, self.closes))
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@cache
def calendar_for(market: str) -> BusinessCalendar:
    config = market_config(market)
    hours = config["business_hours"]
    return BusinessCalendar(
        market=market.upper(),
        zone=ZoneInfo(config["time_zone"]),
        opens=_time(hours["opens"]),
        closes=_time(hours["closes"]),
        weekdays=frozenset(hours["weekdays"]),
        public_holidays=holidays.country_holidays(market.upper(), years=range(2020, 2041)),
    )
