"""Gunicorn settings for production (and ``make serve``).

gunicorn reads this file by itself when started from the project folder; elsewhere pass
``-c /srv/mindscape/gunicorn.conf.py``.  Every value here can be overridden on the command
line.  Environment: ``WEB_CONCURRENCY`` (workers), ``GUNICORN_BIND`` (where to listen),
``GUNICORN_TIMEOUT``, ``LOG_FORMAT`` (json or text, as for Django).

Reload without dropping a request: ``kill -HUP <master pid>`` (``systemctl reload``) starts
new workers on the new code and stops the old ones once they finish what they are doing.
"""

import os


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects a container's or taskset's limit
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "mindscape.wsgi:application"
# Loopback unless told otherwise: the TLS-terminating proxy in front talks to us.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Sync workers, the usual 2 × cores + 1.  Each holds one PostgreSQL connection: keep
# (servers × workers + task workers) below the database's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cpu_count() + 1))
# A request taking longer than this is killed (its worker restarted); the proxy's own
# timeout should be a little longer so it, not the visitor, sees the 502.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # seconds a worker gets to finish its request on reload or stop
keepalive = 5  # behind a proxy that reuses connections

# Restart each worker after 10,000 to 12,000 requests: a slow leak in a library never grows
# into an outage.  Not sooner: a restart costs about 0.6 s of CPU (importing Django,
# compiling templates), and at 1,000 requests a busy worker (some 300 cached pages a second
# on two cores) restarted every 3 s, spending about a seventh of its time starting.  The
# jitter is wide because an even load brings every worker to its limit together; with a
# 10 % jitter all of them restarted within a second, and the site stalled meanwhile.
max_requests = 10000
max_requests_jitter = 2000

# Not preloaded: a HUP then loads the new code in the new workers.
preload_app = False


def post_worker_init(worker):
    """Compile the templates and connect before the first request (mindscape/warmup.py):
    the visitor who meets a restarted worker should not wait for its start-up."""
    from mindscape.warmup import warm

    warm()


# gunicorn >= 25.1 opens a control socket (in $XDG_RUNTIME_DIR or the home folder) for
# `gunicornc`; we manage the server with signals and systemd, so none is opened.
control_socket_disable = True

# Logs to stdout/stderr for journald or the container runtime.  The logger class keeps
# query strings, tokens, referrers, headers and full client addresses out.
accesslog = "-"
errorlog = "-"
loglevel = "info"
logger_class = "mindscape.accesslog.PrivateLogger"
# The time comes from the log formatter (a JSON field, or the start of a text line).
access_log_format = (
    '%(h)s "%(m)s %(U)s %(H)s" status=%(s)s bytes=%(b)s ms=%(M)s '
    'request_id=%({x-request-id}o)s agent="%(a)s"'
)
# Gunicorn's own process title, for `ps` and systemd.
proc_name = "mindscape"
