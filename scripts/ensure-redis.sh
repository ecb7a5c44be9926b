#!/usr/bin/env bash
# Make Debian's redis-server available for the multi-server tests and `make bench` (each
# starts its own private instance on a free port; a Redis already running is never used).
# Installs it with apt-get when we can; otherwise explains. Under CI=true a missing server
# is an error, never a silent skip.
set -euo pipefail
REDIS=${REDIS_SERVER:-/usr/bin/redis-server}

if [ -x "$REDIS" ]; then
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's redis-server for the multi-server tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq redis-server >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing Debian's redis-server for the multi-server tests..."
  sudo -n apt-get update -qq >/dev/null
  sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

if [ -x "$REDIS" ]; then
  exit 0
fi

msg="redis-server was not found at $REDIS and could not be installed. Install it (Debian/Ubuntu: 'sudo apt-get install redis-server') or set REDIS_SERVER."
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: $msg" >&2
  exit 1
fi
echo "WARNING: $msg The multi-server tests will be skipped." >&2
exit 0
