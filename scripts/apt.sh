# Sourced by ensure-chromium.sh and ensure-redis.sh (not run on its own).
# apt_get "$@": apt-get as root, or with password-less sudo; a failure is reported, not fatal.
apt_get() {
  local output
  if [ "$(id -u 2>/dev/null)" = "0" ]; then
    output=$(DEBIAN_FRONTEND=noninteractive apt-get "$@" 2>&1 >/dev/null)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    output=$(sudo -n DEBIAN_FRONTEND=noninteractive apt-get "$@" 2>&1 >/dev/null)
  else
    echo "Not root and no password-less sudo: cannot run apt-get." >&2
    return 1
  fi || {
    echo "apt-get $* failed: $output" >&2
    return 1
  }
}
