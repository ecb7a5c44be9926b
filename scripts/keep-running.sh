#!/usr/bin/env bash
# Run a command, and run it again whenever it exits: `make run` keeps its task worker this
# way, so a worker that dies (killed, or lost its database) does not leave emails queued
# until someone notices.  Production's process manager (systemd, the platform) does the same.
#
#     scripts/keep-running.sh COMMAND [ARGUMENTS…]
#
# SIGTERM (or SIGINT, SIGHUP) stops it: the command is asked to stop (SIGTERM) and waited
# for, so a worker finishes its task and nothing is left running behind.
set -u
RESTART_DELAY=${RESTART_DELAY:-2}
child=""
pause=""

stop() {
  trap - TERM INT HUP
  [ -n "$pause" ] && kill "$pause" 2>/dev/null
  if [ -n "$child" ] && kill -TERM "$child" 2>/dev/null; then
    wait "$child"
  fi
  exit 0
}
trap stop TERM INT HUP

while :; do
  "$@" &
  child=$!
  wait "$child"
  status=$?
  echo "keep-running: '$*' exited ($status); starting it again in ${RESTART_DELAY} s" >&2
  sleep "$RESTART_DELAY" &
  pause=$!
  wait "$pause"
  pause=""
done
