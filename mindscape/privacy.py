"""Keep patient data out of logs and error reports.

Two layers, because either alone has holes:

* ``PersonalDataFilter`` sits on every log handler.  It renders each record's message and
  traceback, scrubs anything shaped like personal data (emails, phone numbers, dates,
  long digit strings, query strings, tokens, PostgreSQL ``DETAIL`` lines that quote the
  refused values) and drops the request object so no handler can format its body.
* ``PrivateExceptionReporterFilter`` hides every POST/GET value and every frame variable
  in exception reports, whether or not the view was decorated.

Views that take personal data are still decorated with ``sensitive_post_parameters``
(belt and braces: a third-party reporter honours it too).
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

FILTERED = "[filtered]"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
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
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = scrub(formatter.formatException(record.exc_info))
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
