#!/usr/bin/env bash
# Sets up a fresh machine and runs the conformance suite against the built-in
# reference implementation; reports go to Reports/ (JUnit XML, JSON, Markdown).
# Extra arguments go to `baton run` (e.g. --filter attenuation, --iut cmd:...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product baton
exec "$(swift build --show-bin-path)/baton" run Scenarios "$@"
