"""The human side of support: calendars and SLA clocks (the queue and console grow here)."""
