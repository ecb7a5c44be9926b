#!/usr/bin/env bash
# Make Debian's redis-server available for the multi-server tests and `make bench` (each
# starts its own private instance on a free port; a Redis already running is never used).
# Installs it with apt-get where it can; otherwise explains.  Outside CI nothing here stops
# `make test` (the multi-server tests then skip, saying why); under CI=true a missing server
# is an error, never a silent skip.
#
# Found as the tests find it (tests/deploy/servers.py): $REDIS_SERVER, else redis-server on
# the PATH.
set -uo pipefail # not -e: a failed apt-get must end in the message below, not a bare exit

redis_server() {
  if [ -n "${REDIS_SERVER:-}" ]; then
    [ -x "$REDIS_SERVER" ] && echo "$REDIS_SERVER"
  else
    hash -r # forget earlier lookups: apt-get may just have installed it
    command -v redis-server
  fi
}

# apt_get: as root or with password-less sudo; reports a failure (no external commands:
# the tests run this with a PATH of fakes).
source "${BASH_SOURCE[0]%/*}/apt.sh"

if redis_server >/dev/null; then
  exit 0
fi

if command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's redis-server for the multi-server tests..."
  apt_get update -qq # a failed update may still leave an install that works
  apt_get install -y -qq redis-server
fi

if redis_server >/dev/null; then
  exit 0
fi

msg="redis-server was not found (${REDIS_SERVER:-on the PATH}) and could not be installed. Install it (Debian/Ubuntu: 'sudo apt-get install redis-server') or set REDIS_SERVER."
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: $msg" >&2
  exit 1
fi
echo "WARNING: $msg The multi-server tests will be skipped." >&2
exit 0
