#!/usr/bin/env bash
# Regenerates the committed sample reports: the reference (Reports/), the AIP package
# (Reports/aip-python/), delcred (Reports/delcred/), highflame (Reports/highflame/), one flawed
# variant per gallery (Reports/flawed/) and the kill matrix. The differential table (Reports/differential-token-exchange.md) needs
# authgent-server running: scripts/differential.sh.
# Runs are deterministic, so an unchanged tree gives byte-identical reports, except Reports/aip-python/:
# the AIP package's issuer draws a fresh key for every block it appends, so the tokens it makes (their
# revocation ids and the audit records' hashes) differ from run to run; verdicts do not. The samples of
# servers started for the run (Reports/authgent/, Reports/auth51/) are made by their own scripts'
# steps in .ci/run and committed by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product baton
BATON="$(swift build --show-bin-path)/baton"
"$BATON" run Scenarios --reports Reports --quiet
"$BATON" run Scenarios --iut "cmd:.venv/bin/python Interop/aip_adapter.py" --reports Reports/aip-python --quiet
"$BATON" run Scenarios/token-exchange Scenarios/workflows/token-exchange --iut "$(bash scripts/delcred.sh iut)" --reports Reports/delcred --quiet
"$BATON" run Scenarios/zeroid --iut "$(bash scripts/highflame.sh iut)" --reports Reports/highflame --quiet
for flaw in first-check-only jwt-skip-act-chain compact-trust-kid jwt-chain-skip-audience ajwt-skip-pop zid-skip-tenant; do
  "$BATON" run Scenarios --iut "flawed:$flaw" --reports Reports/flawed --quiet || true
done
"$BATON" kill-matrix Scenarios --markdown Reports/kill-matrix.md >/dev/null
