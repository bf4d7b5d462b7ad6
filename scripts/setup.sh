#!/usr/bin/env bash
# Installs what Baton needs on a fresh Debian machine with the Swift toolchain:
# libsodium (Ed25519, SHA-256), pkg-config, a Python venv with the interop peers, and delcred's venv.
# Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
dpkg -s libsodium-dev >/dev/null 2>&1 || need+=(libsodium-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then need+=(python3-venv); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import biscuit_auth' >/dev/null 2>&1 || [ Interop/requirements.txt -nt .venv/.installed ]; then
  echo "setup: installing Python peers"
  .venv/bin/pip install -q --disable-pip-version-check -r Interop/requirements.txt
  touch .venv/.installed
fi
# delcred 0.2.0 in a venv of its own (its pins differ from the peers above).
bash scripts/delcred.sh venv >/dev/null
