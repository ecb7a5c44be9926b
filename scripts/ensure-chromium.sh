#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (Playwright cannot download one here).
# Installs it with apt-get where it can; otherwise explains.  Outside CI nothing here stops
# `make test` (the browser tests then skip, saying why); under CI=true a missing browser is
# an error, never a silent skip.
#
# Found as the tests find it (tests/conftest.py): $CHROMIUM_PATH, else /usr/bin/chromium.
set -uo pipefail # not -e: a failed apt-get must end in the message below, not a bare exit
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

chromium() {
  hash -r # forget earlier lookups: apt-get may just have installed it
  command -v "$CHROMIUM"
}

# apt_get: as root or with password-less sudo; reports a failure (no external commands:
# the tests run this with a PATH of fakes).
source "${BASH_SOURCE[0]%/*}/apt.sh"

if chromium >/dev/null; then
  exit 0
fi

if command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's Chromium for the browser tests (about 30 seconds)..."
  apt_get update -qq # a failed update may still leave an install that works
  apt_get install -y -qq chromium
fi

if chromium >/dev/null; then
  exit 0
fi

msg="Chromium was not found at $CHROMIUM and could not be installed. Install it (Debian/Ubuntu: 'sudo apt-get install chromium') or set CHROMIUM_PATH."
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: $msg" >&2
  exit 1
fi
echo "WARNING: $msg Browser tests will be skipped." >&2
exit 0
