"""Fixes to Rasa 3.6's per-message hot path, applied before Rasa starts (bot/serve.py).

Rasa checks every action server response with ``jsonschema.validate(result, schema)``. That
call first validates the *schema* against the JSON Schema meta-schema (draft 2020-12, whose
``$dynamicRef`` resolution is slow), builds a new validator, and only then checks the
response: about 30 ms of CPU per custom action call on these 2 cores, and a message runs one
to three of them (the action, a form's validation action, a session start). Profiled with
py-spy under `make bench`, it was 44 % of the Rasa process's CPU, the largest single cost of a
message (docs/performance.md).

The fix keeps the check and its errors exactly as they are: the same schema, the same
validator class jsonschema would choose for it, the same ``ValidationError`` with Rasa's
message appended. Only the meta-schema check and the validator construction move from every
call to start-up. Nothing about what is accepted changes.

Second, the SQL tracker store on SQLite (the single-machine profile) commits every turn in
SQLite's default rollback-journal mode: a journal file written, synced and deleted per commit,
6 % of Rasa's CPU in the same profile. Its connections now use write-ahead logging with
``synchronous=NORMAL``, SQLite's recommended pairing: commits append to the log, a crash of any
process loses nothing, and only a power cut can lose the last turns of Rasa's dialogue state.
The transcript of record is the api's own database, which keeps full syncs. PostgreSQL (the
scaled profile) is untouched.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import Any

from jsonschema import ValidationError, validators


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, at start-up, instead of per response
    return validator_class(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from rasa.core.actions.action import DOCS_BASE_URL

    try:
        _response_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # stays set in the file; a no-op after the first time
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def apply() -> None:
    """Install the fixes (idempotent). Called by bot/serve.py before Rasa's CLI runs."""
    from rasa.core.actions.action import RemoteAction
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    _response_validator()
    RemoteAction._validate_action_result = _validate_action_result
    if not event.contains(Engine, "connect", _sqlite_write_ahead_log):
        event.listen(Engine, "connect", _sqlite_write_ahead_log)
