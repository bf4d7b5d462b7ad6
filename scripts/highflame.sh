#!/usr/bin/env bash
# The venv of highflame 0.10.0, ZeroID's Python SDK (pinned with its dependencies in
# Interop/requirements-highflame.txt), for the testee adapter Interop/highflame_adapter.py.
#
#   bash scripts/highflame.sh venv           # creates or updates the venv; prints its python
#   bash scripts/highflame.sh venv --fresh   # removes it first (CI: a fresh venv on every run)
#   bash scripts/highflame.sh iut            # the --iut argument: cmd:<venv python> Interop/highflame_adapter.py
#
# BATON_HIGHFLAME_VENV overrides the venv (default .venv-highflame).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${BATON_HIGHFLAME_VENV:-.venv-highflame}"

venv() {
  if [ "${1:-}" = "--fresh" ]; then rm -rf "$VENV"; fi
  if [ ! -x "$VENV/bin/python" ] || [ Interop/requirements-highflame.txt -nt "$VENV/.installed" ]; then
    echo "highflame: installing into $VENV" >&2
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r Interop/requirements-highflame.txt >&2
    "$VENV/bin/pip" check >&2
    touch "$VENV/.installed"
  fi
  echo "$VENV/bin/python"
}

case "${1:-}" in
  venv) shift; venv "$@" ;;
  iut) shift; echo "cmd:$(venv "$@") Interop/highflame_adapter.py" ;;
  *) echo "usage: $0 venv [--fresh] | iut [--fresh]" >&2; exit 2 ;;
esac
