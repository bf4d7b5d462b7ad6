#!/usr/bin/env bash
# The venv of delcred 0.2.0 (pinned with its dependencies in Interop/requirements-delcred.txt), for the
# testee adapter Interop/delcred_adapter.py.
#
#   bash scripts/delcred.sh venv           # creates or updates the venv; prints its python
#   bash scripts/delcred.sh venv --fresh   # removes it first (CI: a fresh venv on every run)
#   bash scripts/delcred.sh iut            # the --iut argument: cmd:<venv python> Interop/delcred_adapter.py
#
# BATON_DELCRED_VENV overrides the venv (default .venv-delcred).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${BATON_DELCRED_VENV:-.venv-delcred}"

venv() {
  if [ "${1:-}" = "--fresh" ]; then rm -rf "$VENV"; fi
  if [ ! -x "$VENV/bin/python" ] || [ Interop/requirements-delcred.txt -nt "$VENV/.installed" ]; then
    echo "delcred: installing into $VENV" >&2
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r Interop/requirements-delcred.txt >&2
    "$VENV/bin/pip" check >&2
    touch "$VENV/.installed"
  fi
  echo "$VENV/bin/python"
}

case "${1:-}" in
  venv) shift; venv "$@" ;;
  iut) shift; echo "cmd:$(venv "$@") Interop/delcred_adapter.py" ;;
  *) echo "usage: $0 venv [--fresh] | iut [--fresh]" >&2; exit 2 ;;
esac
