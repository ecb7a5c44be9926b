#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (Playwright cannot download one here).
# Installs it with apt-get when we can; otherwise explains. Under CI=true a missing browser
# is an error, never a silent skip.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's Chromium for the browser tests (about 30 seconds)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing Debian's Chromium for the browser tests (about 30 seconds)..."
  sudo -n apt-get update -qq >/dev/null
  sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

msg="Chromium was not found at $CHROMIUM and could not be installed. Install it (Debian/Ubuntu: 'sudo apt-get install chromium') or set CHROMIUM_PATH."
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: $msg" >&2
  exit 1
fi
echo "WARNING: $msg Browser tests will be skipped." >&2
exit 0
