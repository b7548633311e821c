"""Keep buyer text and tokens out of access logs.

Why: the api itself never logs what a buyer wrote, but uvicorn's access log prints every
request line with its query string, and some requests carry text or secrets there: the
FAQ panel's ``?q=`` is the buyer's own question, the console's WebSocket has ``?token=``.
Logs are copied, shipped and kept longer than the database, so the query string is cut
from access-log lines (the path and the status, which operations need, stay).
"""

from __future__ import annotations

import logging

ACCESS_LOGGERS = ("uvicorn.access", "uvicorn.error")  # uvicorn logs WebSocket handshakes on "uvicorn.error"


def _strip_query(value: object) -> object:
    if isinstance(value, str) and value.startswith("/") and "?" in value:
        return value.split("?", 1)[0] + "?[redacted]"
    return value


class DropQueryStrings(logging.Filter):
    """Rewrites a log record's path arguments ("/api/v1/faq?q=...") to end in ``?[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_strip_query(arg) for arg in record.args)
        return True


def install() -> None:
    """Idempotent: one filter per access logger, however many apps a process creates."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropQueryStrings) for f in logger.filters):
            logger.addFilter(DropQueryStrings())
