#!/usr/bin/env bash
# Tests the composite action (action.yml) by running its steps locally with scripts/action-local.sh,
# in a scratch workspace, with the debug build: the reference passes; a flawed variant (one defence
# removed) fails the job on its new failure, with the summary, SARIF and JUnit written all the same;
# the same variant with the failure listed as known passes; a malformed action.yml is refused by line.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0
check() { # description, then a command that must succeed
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "test-action: FAILED: $what" >&2; fi
}
act() { # name, then --input ... : runs the action in $WORK/name; leaves status, stdout, summary
  local name="$1"; shift
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && bash "$ROOT/scripts/action-local.sh" --input configuration=debug --input scenarios=Scenarios/compact \
    --summary "$WORK/$name/summary.md" "$@" >"$WORK/$name/stdout" 2>"$WORK/$name/stderr")
  echo $?
}

status=$(act reference --input iut=reference)
check "the reference passes (exit $status)" test "$status" = 0
check "the summary is the Markdown report" grep -q '^# Baton conformance: baton-reference' "$WORK/reference/summary.md"
check "the status output is 0" grep -qx 'action-local: output status=0' "$WORK/reference/stdout"
check "the SARIF upload names a SARIF file" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == "2.1.0"' \
  "$WORK/reference/baton-reports/baton-reference.sarif"
check "the JUnit XML is among the uploaded reports" grep -q '<testsuites' "$WORK/reference/baton-reports/baton-reference.junit.xml"
check "the uploads are printed, not run" grep -q 'not run here (uses: github/codeql-action/upload-sarif@v3)' "$WORK/reference/stdout"

status=$(act flawed --input iut=flawed:compact-trust-kid)
check "a new failure fails the job (exit $status)" test "$status" = 1
check "the status output is 1" grep -qx 'action-local: output status=1' "$WORK/flawed/stdout"
check "the failing step says why" grep -q 'has a new failure' "$WORK/flawed/stdout"
check "the summary is written on failure too" grep -q 'compact/kid-names-mallory' "$WORK/flawed/summary.md"

mkdir -p "$WORK/known"
printf 'compact/kid-names-mallory  # trusts the kid header\n' >"$WORK/known/known.txt"
status=$(act known --input iut=flawed:compact-trust-kid --input known-failures=known.txt)
check "a known failure does not fail the job (exit $status)" test "$status" = 0

mkdir -p "$WORK/broken"
sed 's/^  using: composite/  using: {composite: true}/' action.yml >"$WORK/broken/action.yml"
python3 scripts/action_local.py --action "$WORK/broken/action.yml" --input iut=reference >"$WORK/broken/stdout" 2>"$WORK/broken/stderr"
status=$?
check "a malformed action.yml is refused (exit $status)" test "$status" = 2
check "naming its line" grep -q "action.yml:$(grep -n '^  using:' action.yml | cut -d: -f1): unsupported YAML" "$WORK/broken/stderr"

if [ "$failed" -gt 0 ]; then
  for f in "$WORK"/*/stdout "$WORK"/*/stderr; do echo "--- $f"; tail -20 "$f"; done >&2
fi
echo "test-action: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
