#!/usr/bin/env bash
# Starts or stops the reference resource server of auth51-verifier (pinned in
# Interop/requirements-auth51.txt), `uvicorn auth51_verifier.main:app`, on loopback, for Baton's
# HTTP resource-server target. What it checks, route by route: docs/AUTH51-VERIFIER.md.
#
#   bash scripts/auth51.sh start --authority http://127.0.0.1:PORT --issuer ISS
#   bash scripts/auth51.sh start --jwks http://127.0.0.1:PORT/jwks.json --issuer ISS
#       # prints the base URL (http://127.0.0.1:PORT) once /health answers
#   bash scripts/auth51.sh stop    # stops it and removes its temporary directory
#
# start options (each also read from the environment variable named after it):
#   --authority URL   BATON_AUTH51_AUTHORITY  AUTHORITY_URL: where the JWKS lives (the JWKS URL is
#                                             this, trailing "/" removed, + the JWKS path)
#   --jwks-path PATH  BATON_AUTH51_JWKS_PATH  JWKS_PATH (default /.well-known/jwks.json here; the
#                                             package's own default is /oauth/.well-known/jwks.json)
#   --jwks URL        BATON_AUTH51_JWKS       the whole JWKS URL instead of the two above: split
#                                             into scheme://host[:port] and the path
#   --issuer ISS      BATON_AUTH51_ISSUER     EXPECTED_ISS (the app strips a trailing "/"); if
#                                             unset the app expects the authority URL
#   --require-pop B   BATON_AUTH51_REQUIRE_POP REQUIRE_POP (default true, the package's default)
#   --value-binding B BATON_AUTH51_VALUE_BINDING ENFORCE_VALUE_BINDING (default true)
#   --clock-skew S    BATON_AUTH51_CLOCK_SKEW  CLOCK_SKEW_SECONDS, leeway on exp/nbf/iat (default 60)
#   --pop-skew S      BATON_AUTH51_POP_SKEW    POP_TIMESTAMP_SKEW_SECONDS, DPoP iat window (default 300)
#   --rs-id ID        BATON_AUTH51_RS_ID       RS_ID (unused by the reference app's routes)
#   --jwks-ttl S      BATON_AUTH51_JWKS_TTL    JWKS_TTL, cache lifetime of the JWKS (default 600)
# The JWKS is fetched lazily, on the first request that carries a token, so it need not be served
# yet when the app starts; /health never touches it.
#
# The app reads its settings from the environment (names matched case-insensitively) and from
# ./.env and ./.env.$APP_ENV, so it runs from a throw-away directory under `env -i` with only the
# variables above set: nothing from the caller's environment (IDP_URL, ISSUER, JWT_ALGORITHMS,
# AUTH_EXEMPT_PATHS, APP_ENV, ...) can change what is under test.
# BATON_AUTH51_VENV overrides the venv (default .venv-auth51, created on first use);
# BATON_AUTH51_STATE the file that remembers the running server.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${BATON_AUTH51_VENV:-.venv-auth51}"
STATE="${BATON_AUTH51_STATE:-${TMPDIR:-/tmp}/baton-auth51.state}"

start() {
  local authority="${BATON_AUTH51_AUTHORITY:-}" jwks_path="${BATON_AUTH51_JWKS_PATH:-/.well-known/jwks.json}"
  local jwks="${BATON_AUTH51_JWKS:-}" issuer="${BATON_AUTH51_ISSUER:-}"
  local require_pop="${BATON_AUTH51_REQUIRE_POP:-true}" value_binding="${BATON_AUTH51_VALUE_BINDING:-true}"
  local clock_skew="${BATON_AUTH51_CLOCK_SKEW:-60}" pop_skew="${BATON_AUTH51_POP_SKEW:-300}"
  local rs_id="${BATON_AUTH51_RS_ID:-}" jwks_ttl="${BATON_AUTH51_JWKS_TTL:-600}"
  while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "auth51: $1 needs a value" >&2; return 2; }
    case "$1" in
      --authority) authority="$2" ;;
      --jwks-path) jwks_path="$2" ;;
      --jwks) jwks="$2" ;;
      --issuer) issuer="$2" ;;
      --require-pop) require_pop="$2" ;;
      --value-binding) value_binding="$2" ;;
      --clock-skew) clock_skew="$2" ;;
      --pop-skew) pop_skew="$2" ;;
      --rs-id) rs_id="$2" ;;
      --jwks-ttl) jwks_ttl="$2" ;;
      *) echo "auth51: unknown option $1" >&2; return 2 ;;
    esac
    shift 2
  done
  if [ -n "$jwks" ]; then
    case "$jwks" in
      http://*/*|https://*/*) ;;
      *) echo "auth51: --jwks needs a URL with a path, like http://127.0.0.1:PORT/jwks.json" >&2; return 2 ;;
    esac
    local rest="${jwks#*://}"
    authority="${jwks%%://*}://${rest%%/*}"
    jwks_path="/${rest#*/}"
  fi
  [ -n "$authority" ] || { echo "auth51: give --authority URL or --jwks URL (see the header of $0)" >&2; return 2; }

  if [ ! -x "$VENV/bin/uvicorn" ] || [ Interop/requirements-auth51.txt -nt "$VENV/.installed" ]; then
    echo "auth51: installing into $VENV" >&2
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r Interop/requirements-auth51.txt >&2
    touch "$VENV/.installed"
  fi
  stop
  local venv work port base pid
  venv="$(cd "$VENV" && pwd)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/baton-auth51.XXXXXX")"
  port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  local -a settings=(
    "AUTHORITY_URL=$authority" "JWKS_PATH=$jwks_path" "REQUIRE_POP=$require_pop"
    "ENFORCE_VALUE_BINDING=$value_binding" "CLOCK_SKEW_SECONDS=$clock_skew"
    "POP_TIMESTAMP_SKEW_SECONDS=$pop_skew" "JWKS_TTL=$jwks_ttl"
  )
  [ -z "$issuer" ] || settings+=("EXPECTED_ISS=$issuer")
  [ -z "$rs_id" ] || settings+=("RS_ID=$rs_id")
  (
    cd "$work"
    exec env -i PATH="/usr/bin:/bin" HOME="$work" LANG=C.UTF-8 "${settings[@]}" \
      "$venv/bin/uvicorn" auth51_verifier.main:app --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1
  ) &
  pid=$!
  printf '%s\n%s\n%s\n' "$pid" "$work" "$base" > "$STATE"
  for _ in $(seq 1 300); do
    if "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/health", timeout=2)' "$base" >/dev/null 2>&1; then
      echo "$base"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "auth51: the server exited; its log:" >&2; cat "$work/server.log" >&2; stop; return 1
    fi
    sleep 0.1
  done
  echo "auth51: not ready after 30 s; its log:" >&2; cat "$work/server.log" >&2; stop; return 1
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
  case "$work" in "${TMPDIR:-/tmp}"/baton-auth51.*) rm -rf "$work" ;; esac
  rm -f "$STATE"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start --authority URL [--issuer ISS] [options] | start --jwks URL ... | stop" >&2; exit 2 ;;
esac
