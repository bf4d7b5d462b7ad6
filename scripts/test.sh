#!/usr/bin/env bash
# Sets up a fresh machine and runs every test (unit, Biscuit conformance samples,
# and the interop tests against biscuit-python).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export BATON_PYTHON="$PWD/.venv/bin/python"
swift build --build-tests
swift test --skip-build "$@"
