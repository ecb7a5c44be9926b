"""Gunicorn's access and error logs without patient data (``logger_class`` in
gunicorn.conf.py).

An access line is built from a fixed set of fields, whatever ``access_log_format`` asks for:

* the path only, never the request line as sent or its query string (search words,
  ``?c=`` screening links), with the token segment of private links (booking manage links,
  staff calendar feeds, screening resume links) replaced by ``[token]`` and anything else
  shaped like personal data scrubbed (``mindscape.privacy.scrub``);
* the client's network, not its address (IPv4 /24, IPv6 /48): in a clinic's log an address
  next to "booked a consultation" identifies a patient;
* no referrer (it is the previous page's address: a private link, a search), no cookie or
  other request header, no environment variable, no HTTP basic-auth user; of the response
  headers only our ``X-Request-ID``.

``%(r)s``, ``%(U)s`` and ``%(q)s`` therefore all give the scrubbed path (or nothing), so a
format changed on a server cannot bring the raw URL back.  The error log (which quotes the
request line of a malformed or failed request) goes through the personal-data filter.
With ``LOG_FORMAT=json`` (the default, as in production) both logs are JSON lines shaped
like Django's, the access line carrying the request id.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import traceback

from gunicorn import glogging

from .logformat import JsonFormatter
from .privacy import PersonalDataFilter, scrub

# Atoms that hold nothing a visitor typed: kept as gunicorn computes them.
_PLAIN_ATOMS = ("t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")
_REQUEST_ID = re.compile(r"^[0-9A-Fa-f-]{16,64}$")
REQUEST_ID_ATOM = "{x-request-id}o"


def scrub_path(path: str) -> str:
    """The path as it may be logged: private-link tokens and personal data replaced."""
    return scrub(path.split("?", 1)[0]) or "/"


def client_network(address: str | None) -> str:
    """``203.0.113.7`` → ``203.0.113.0/24``; a unix socket or garbage → ``-``."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def safe_atoms(atoms: dict, environ: dict) -> dict:
    """Gunicorn's atoms reduced to what may be logged (see the module docstring)."""
    raw = environ.get("PATH_INFO") or environ.get("RAW_URI") or ""
    path = scrub_path(raw) if raw else "-"
    safe = {key: atoms[key] for key in _PLAIN_ATOMS if key in atoms}
    safe.update(
        h=client_network(atoms.get("h")),
        l="-",
        u="-",
        U=path,
        q="-",
        r=f"{atoms.get('m') or '-'} {path} {atoms.get('H') or '-'}",
        f="-",
        a=scrub(str(atoms.get("a") or "-")),
    )
    request_id = atoms.get(REQUEST_ID_ATOM)
    if isinstance(request_id, str) and _REQUEST_ID.match(request_id):
        safe[REQUEST_ID_ATOM] = request_id
    return safe


def _added(log: logging.Logger, before: list[logging.Handler]) -> list[logging.Handler]:
    # The handlers gunicorn's setup just made (it replaces its own on a reload), not
    # anyone else's: told apart by what was there before, not by gunicorn's private mark.
    return [handler for handler in log.handlers if handler not in before]


class PrivateLogger(glogging.Logger):
    """Gunicorn's logger with the access fields reduced and the error log filtered."""

    def setup(self, cfg) -> None:
        errors_before, access_before = list(self.error_log.handlers), list(self.access_log.handlers)
        super().setup(cfg)
        json_lines = os.environ.get("LOG_FORMAT", "json") == "json"
        for handler in _added(self.error_log, errors_before):
            handler.addFilter(PersonalDataFilter())
            if json_lines:
                handler.setFormatter(JsonFormatter())
        for handler in _added(self.access_log, access_before):
            handler.setFormatter(
                JsonFormatter() if json_lines else logging.Formatter("%(asctime)s %(message)s")
            )

    def atoms(self, resp, req, environ, request_time) -> dict:
        return safe_atoms(super().atoms(resp, req, environ, request_time), environ)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        try:
            self.access_log.info(
                self.cfg.access_log_format,
                self.atoms_wrapper_class(atoms),
                extra={"request_id": atoms.get(REQUEST_ID_ATOM)},
            )
        except Exception:  # noqa: BLE001 — a logging failure must not fail the request
            self.error(traceback.format_exc())
