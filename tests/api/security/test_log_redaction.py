"""Access logs keep the path and status of a request, never its query string (the FAQ panel's
question, the console's token)."""

from __future__ import annotations

import logging

from api.security.log_redaction import DropQueryStrings


def _access_record(path: str) -> logging.LogRecord:
    # The shape of uvicorn's access-log call: '%s - "%s %s HTTP/%s" %d', client, method, path, version, status.
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200), None,
    )  # fmt: skip


def test_query_strings_are_cut_from_access_lines():
    record = _access_record("/api/v1/faq?q=kart%20numaram%204539148803436467&lang=tr")
    assert DropQueryStrings().filter(record)
    line = record.getMessage()
    assert "4539" not in line and "/api/v1/faq?[redacted]" in line and line.endswith(" 200")
    plain = _access_record("/api/v1/conversations")
    DropQueryStrings().filter(plain)
    assert "/api/v1/conversations HTTP/1.1" in plain.getMessage()


def test_the_app_installs_the_filter_once(app):
    from api.main import create_app

    create_app()
    for name in ("uvicorn.access", "uvicorn.error"):
        filters = [f for f in logging.getLogger(name).filters if isinstance(f, DropQueryStrings)]
        assert len(filters) == 1
