"""Keep patient data out of logs and error reports.

Two layers, because either alone has holes:

* ``PersonalDataFilter`` sits on every log handler.  It renders each record's message,
  scrubs anything shaped like personal data (emails, phone numbers, dates, long digit
  strings, query strings, tokens and the token segment of private links, PostgreSQL
  ``DETAIL`` lines that quote the refused values) and drops the request object so no
  handler can format its body.  Tracebacks keep their frames and exception types but
  never an exception's message, which may quote anything (a patient's name cannot be
  recognised by its shape); database errors keep their first line, with every quoted
  value filtered except constraint, table and column names.
* ``PrivateExceptionReporterFilter`` hides every POST/GET value and every frame variable
  in exception reports, whether or not the view was decorated.

Views that take personal data are still decorated with ``sensitive_post_parameters``
(belt and braces: a third-party reporter honours it too).
"""

from __future__ import annotations

import logging
import re
import traceback

from django.views.debug import SafeExceptionReporterFilter

FILTERED = "[filtered]"

# URL paths whose next segment is a secret, whatever its length: booking manage links,
# staff calendar feeds (booking/urls.py) and screening resume links (intake/urls.py).
# A test checks that every URL pattern with a ``token`` argument is listed here.
TOKEN_PATHS = ("consultation/manage", "consultation/staff-calendar", "intake/resume")

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"(/(?:" + "|".join(map(re.escape, TOKEN_PATHS)) + r")/)[^/\s\"'?#]+", re.I),
        r"\1[token]",
    ),
    # PostgreSQL quotes refused values: "DETAIL:  Key (email)=(a@b.c) already exists."
    (re.compile(r"DETAIL:.*", re.IGNORECASE), "DETAIL: " + FILTERED),
    (re.compile(r"Failing row contains .*", re.IGNORECASE), "Failing row contains " + FILTERED),
    (re.compile(r"\(([\w\s,]+)\)=\(.*?\)"), r"(\1)=(" + FILTERED + ")"),
    # Query strings can carry search terms, tokens or form values.
    (re.compile(r"\?[^\s\"']+"), "?" + FILTERED),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # Dates such as a date of birth: 1980-04-01, 04/01/1980, 4.1.80
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"), "[date]"),
    (re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"), "[date]"),
    # Phone numbers (+1 (555) 123-4567, 555.123.4567) and other long digit runs.
    (re.compile(r"\+?\d[\d\s().-]{7,}\d"), "[number]"),
    # Signed tokens and other long opaque strings (manage links, resume links).
    (re.compile(r"\b[A-Za-z0-9_\-:]{32,}\b"), "[token]"),
]


_QUOTED_VALUE = re.compile(
    r'(?<!constraint )(?<!relation )(?<!column )(?<!table )(?<!index )"[^"]*"'
)
WITHHELD = "[message withheld: it may contain personal data]"


def _exception_message(exc: BaseException) -> str:
    import psycopg2
    from django.db import Error as DatabaseError

    if isinstance(exc, DatabaseError | psycopg2.Error):
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return scrub(_QUOTED_VALUE.sub('"' + FILTERED + '"', first_line))
    return WITHHELD


def format_exception(exc: BaseException) -> str:
    """A traceback with every frame and exception type, and no exception message."""
    chain, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = []
    for position, item in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        kind = type(item)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {_exception_message(item)}")
    return scrub("".join(parts))


def scrub(text: str) -> str:
    """Replace anything shaped like personal data in ``text``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Scrub every record in place before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = format_exception(record.exc_info[1])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        # django.request attaches the request; a handler that formats it could print
        # its body or headers.  Nothing downstream needs it.
        if hasattr(record, "request"):
            record.request = None
        return True


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Exception reports that show no request value and no local variable."""

    def is_active(self, request) -> bool:
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        if not hasattr(request, "META"):
            return {}
        return dict.fromkeys(request.META, self.cleansed_substitute)
