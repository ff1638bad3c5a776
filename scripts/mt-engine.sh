#!/bin/sh
# Machine translation for `make run`: Apertium's APY server with the EU language pairs
# Debian ships, on a loopback port.
#
#   sh scripts/mt-engine.sh start   install what is missing (as root on Debian; otherwise
#                                   name it), start APY unless it already runs, wait for
#                                   it, and print the settings for the app on stdout:
#                                   "MT_PROVIDER=apertium APERTIUM_URL=http://127.0.0.1:PORT",
#                                   or "MT_PROVIDER=none" when it cannot run
#   sh scripts/mt-engine.sh stop    stop the APY server `start` started
#
# Messages go to stderr. It never fails: without an engine the app runs without machine
# translation. A second `start` finds the server still running and takes a moment.
# Settings: MT_PROVIDER (set to anything else, it is kept and nothing starts),
# APERTIUM_PORT (2737, APY's own; a free port when something else holds it),
# APERTIUM_MODES (/usr/share/apertium/modes), OPENIMI_MT_DIR (instance/: pid and log),
# OPENIMI_MT_INSTALL=no (never install), APERTIUM_PYTHON (/usr/bin/python3).
PAIRS="apertium-eng-spa apertium-fr-es apertium-es-pt apertium-es-ro apertium-spa-ita apertium-swe-dan apertium-hbs-eng apertium-hbs-slv apertium-dan-nor apertium-swe-nor apertium-isl-eng apertium-isl-swe"
PACKAGES="apertium-apy $PAIRS"
PORT="${APERTIUM_PORT:-2737}"
MODES="${APERTIUM_MODES:-/usr/share/apertium/modes}"
DIR="${OPENIMI_MT_DIR:-instance}"
PY="${APERTIUM_PYTHON:-/usr/bin/python3}"
HERE="$(cd "$(dirname "$0")" && pwd)"
RUN="$DIR/apertium-apy.run"  # "PID PORT" of the server this script started

say() { echo "$*" >&2; }
off() {
  say "Machine translation is off: $*"
  say "  (the app runs without it; readers can still write their own translation)"
  echo "MT_PROVIDER=none"
  exit 0
}
# Does an APY server answer on this port?
answers() {
  "$PY" - "$1" <<'PYEOF' 2>/dev/null
import json, sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/listPairs", timeout=2) as r:
        sys.exit(0 if "responseData" in json.load(r) else 1)
except Exception:
    sys.exit(1)
PYEOF
}
busy() {
  "$PY" - "$1" <<'PYEOF' 2>/dev/null
import socket, sys
with socket.socket() as s:
    sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PYEOF
}
free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

stop() {
  [ -f "$RUN" ] || return 0
  read -r pid _ <"$RUN"
  kill "$pid" 2>/dev/null && say "Stopped Apertium APY (process $pid)"
  rm -f "$RUN"
}

start() {
  if [ -n "$MT_PROVIDER" ] && [ "$MT_PROVIDER" != "apertium" ]; then
    echo "MT_PROVIDER=$MT_PROVIDER"
    exit 0
  fi
  if [ -n "$MT_PROVIDER" ] && [ -n "$APERTIUM_URL" ]; then
    say "Machine translation: your own Apertium at $APERTIUM_URL"
    echo "MT_PROVIDER=apertium APERTIUM_URL=$APERTIUM_URL"
    exit 0
  fi
  missing=""
  if command -v dpkg-query >/dev/null 2>&1; then
    for package in $PACKAGES; do installed "$package" || missing="$missing $package"; done
  fi
  if [ -n "$missing" ]; then
    if [ "${OPENIMI_MT_INSTALL:-yes}" != "no" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      say "Installing Apertium (machine translation) and its EU language pairs:$missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq $missing >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $missing >/dev/null 2>&1; } \
        || say "apt-get could not install:$missing"
    else
      say "For machine translation out of the box, install Apertium and the EU pairs Debian ships:"
      say "  sudo apt-get install$missing"
    fi
  fi
  "$PY" -c 'import apertium_apy' 2>/dev/null || off "apertium-apy is not installed"
  ls "$MODES"/*.mode >/dev/null 2>&1 || off "no Apertium language pairs in $MODES"
  mkdir -p "$DIR"
  if [ -f "$RUN" ]; then
    read -r pid port <"$RUN"
    if kill -0 "$pid" 2>/dev/null && answers "$port"; then
      say "Machine translation: Apertium APY already running on http://127.0.0.1:$port (process $pid)"
      echo "MT_PROVIDER=apertium APERTIUM_URL=http://127.0.0.1:$port"
      exit 0
    fi
    rm -f "$RUN"
  fi
  if busy "$PORT"; then
    taken="$PORT"
    PORT="$(free_port)"
    say "Port $taken is in use by another program: Apertium APY takes port $PORT"
  fi
  # Its own session, so that it outlives `make run` (a second run finds it at once);
  # `make mt-stop` ends it.
  setsid "$PY" "$HERE/apertium_loopback.py" -p "$PORT" "$MODES" >"$DIR/apertium-apy.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid $PORT" >"$RUN"
  tries=0
  until answers "$PORT"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 150 ] || ! kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      rm -f "$RUN"
      off "Apertium APY did not start (see $DIR/apertium-apy.log)"
    fi
    sleep 0.2
  done
  say "Machine translation: Apertium APY on http://127.0.0.1:$PORT (process $pid, log $DIR/apertium-apy.log)"
  echo "MT_PROVIDER=apertium APERTIUM_URL=http://127.0.0.1:$PORT"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) say "usage: $0 start|stop"; exit 2 ;;
esac
