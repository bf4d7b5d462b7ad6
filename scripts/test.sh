#!/usr/bin/env bash
# Sets up a fresh machine and runs every test (unit, Biscuit conformance samples,
# and the interop tests against biscuit-python).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export BATON_PYTHON="$PWD/.venv/bin/python"
# The package builds in Swift 6 mode without a warning of its own (dependencies' are not ours).
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$PWD/(Sources|Tests)/.*: warning:" "$log" | sort -u | head -20 | grep .; then
  echo "test.sh: the build printed warnings (above); fix them" >&2
  exit 1
fi
swift test --skip-build "$@"
