#!/usr/bin/env bash
# Runs the composite action's steps (action.yml at the top of the repository) on this machine, parsed
# from action.yml itself: the `run:` steps in order with their env, working directories and `if:`
# conditions; the `uses:` steps (SARIF and artifact uploads) are printed and their files checked.
# Exit status: the job's. Example, against the reference with the debug build:
#
#   bash scripts/action-local.sh --input iut=reference --input scenarios=Scenarios/compact \
#     --input configuration=debug --input reports=/tmp/baton-action --summary /tmp/summary.md
set -euo pipefail
exec python3 "$(dirname "$0")/action_local.py" "$@"
