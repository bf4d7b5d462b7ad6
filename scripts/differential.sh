#!/usr/bin/env bash
# The differential table of the token-exchange scenarios across Baton's reference, authgent-server 0.3.4
# (over HTTP, scripts/authgent.sh) and delcred 0.2.0 (Interop/delcred_adapter.py, scripts/delcred.sh),
# in one command: builds baton, starts authgent-server, runs the three, writes
# Reports/differential-token-exchange.md (every scenario, what each did, the disagreements marked,
# followed by Fixtures/differential-token-exchange.notes.md, which explains each disagreement), stops
# the server. Each implementation is judged against its known-failure list as usual, so the
# command fails when one of them changed behaviour.
#
#   bash scripts/differential.sh              # rewrites Reports/differential-token-exchange.md
#   bash scripts/differential.sh OUT.md       # writes elsewhere
#
# The per-implementation reports of the run go to $BATON_DIFFERENTIAL_REPORTS (default: a temporary directory).
# The table is deterministic: the same scenarios and implementations give the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-Reports/differential-token-exchange.md}"
swift build --product baton >&2
BIN="$(swift build --show-bin-path)/baton"
DELCRED_IUT="$(bash scripts/delcred.sh iut)"
REPORTS="${BATON_DIFFERENTIAL_REPORTS:-$(mktemp -d "${TMPDIR:-/tmp}/baton-differential.XXXXXX")}"
# A state file of this run's own, so that the server of another checkout is never stopped by this one.
export BATON_AUTHGENT_STATE="${BATON_AUTHGENT_STATE:-$REPORTS/authgent.state}"
AUTHGENT_URL="$(bash scripts/authgent.sh start)"
trap 'bash scripts/authgent.sh stop' EXIT
"$BIN" run Scenarios/token-exchange \
  --iut reference \
  --iut "oauth:$AUTHGENT_URL#authgent-server&subject_token_type=access_token" \
  --iut "$DELCRED_IUT" \
  --reports "$REPORTS" --quiet \
  --differential "$REPORTS/differential-table.md" \
  --differential-title "Token exchange: Baton's reference, authgent-server 0.3.4, delcred 0.2.0"
# The generated table, then the committed explanation of its disagreements.
cat "$REPORTS/differential-table.md" Fixtures/differential-token-exchange.notes.md > "$OUT"
echo "differential: wrote $OUT (reports of the run in $REPORTS)" >&2
