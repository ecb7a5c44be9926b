"""Log lines for a log collector: one JSON object a line, tied together by a request id.

``LOG_FORMAT=json`` (production's default) formats every record as
``{"time", "level", "logger", "message"}`` plus ``request_id`` while a request is being
served and ``exception`` when there is one.  The personal-data filter
(``mindscape.privacy``) has already scrubbed the message and replaced the traceback by then:
this module only decides the shape, never what may be said.

The request id is ours (a random hex string) unless a trusted proxy of our own sent one
in ``X-Request-ID`` that looks like an id and nothing else; it is echoed in the response's
``X-Request-ID`` so gunicorn's access line can carry it too.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "mindscape_request_id", default=None
)
# Hex digits and dashes only (a UUID, a load balancer's trace id): nothing a person could
# type their name or email into.
_INCOMING_ID = re.compile(r"^[0-9A-Fa-f-]{16,64}$")
HEADER = "X-Request-ID"


def current_request_id() -> str | None:
    return _request_id.get()


def begin_request(incoming: str | None = None) -> str:
    """Start a request's id (the proxy's, when given and well-formed) and return it."""
    value = incoming if incoming and _INCOMING_ID.match(incoming) else uuid.uuid4().hex
    _request_id.set(value)
    return value


def end_request(**kwargs) -> None:
    """Forget the id once the response is closed (connected to ``request_finished``)."""
    _request_id.set(None)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        # ensure_ascii keeps a line a line whatever a message holds (no raw newlines).
        return json.dumps(entry, default=str)
