#!/usr/bin/env bash
# Starts or stops authgent-server (pinned in Interop/requirements-authgent.txt) on loopback for
# `baton run --iut oauth:<URL>`.
#
#   bash scripts/authgent.sh start   # prints the base URL (http://127.0.0.1:PORT) once /ready answers
#   bash scripts/authgent.sh stop    # stops it and removes its temporary directory
#
# The server runs from a throw-away directory with its own SQLite DB; configuration is only
# AUTHGENT_* environment variables: a fresh secret key (so no ./.env is written), the server URL
# (= the `iss` of its tokens, checked on exchange), and a rate limit high enough for a whole suite
# (the default of 100 requests/minute/IP would turn most scenarios into 429s).
# BATON_AUTHGENT_VENV overrides the venv (default .venv-authgent, created on first use);
# BATON_AUTHGENT_STATE the file that remembers the running server.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${BATON_AUTHGENT_VENV:-.venv-authgent}"
STATE="${BATON_AUTHGENT_STATE:-${TMPDIR:-/tmp}/baton-authgent.state}"

start() {
  if [ ! -x "$VENV/bin/authgent-server" ] || [ Interop/requirements-authgent.txt -nt "$VENV/.installed" ]; then
    echo "authgent: installing into $VENV" >&2
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r Interop/requirements-authgent.txt >&2
    touch "$VENV/.installed"
  fi
  local venv work port base pid
  venv="$(cd "$VENV" && pwd)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/baton-authgent.XXXXXX")"
  port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  (
    cd "$work"
    export AUTHGENT_SECRET_KEY="$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
    export AUTHGENT_DATABASE_URL="sqlite+aiosqlite:///$work/authgent.db"
    export AUTHGENT_SERVER_URL="$base"
    export AUTHGENT_TOKEN_RATE_LIMIT=1000000
    export AUTHGENT_REGISTRATION_POLICY=open
    exec "$venv/bin/authgent-server" run --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1
  ) &
  pid=$!
  printf '%s\n%s\n%s\n' "$pid" "$work" "$base" > "$STATE"
  for _ in $(seq 1 300); do
    if "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/ready", timeout=2)' "$base" >/dev/null 2>&1; then
      echo "$base"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "authgent: the server exited; its log:" >&2; cat "$work/server.log" >&2; stop; return 1
    fi
    sleep 0.1
  done
  echo "authgent: not ready after 30 s; its log:" >&2; cat "$work/server.log" >&2; stop; return 1
}

stop() {
  [ -f "$STATE" ] || return 0
  local pid work
  pid="$(sed -n 1p "$STATE")"; work="$(sed -n 2p "$STATE")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  case "$work" in "${TMPDIR:-/tmp}"/baton-authgent.*) rm -rf "$work" ;; esac
  rm -f "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
