#!/usr/bin/env bash
# Fuzzes one target (or all of them, one after the other) with libFuzzer.
#
#   scripts/fuzz.sh TARGET [SECONDS]     TARGET: biscuit, datalog, jwt, scenario, testee-frame, intent, or all
#
# Builds baton-fuzz with -sanitize=fuzzer,address (debug, in .build-fuzz; C code such
# as libyaml is instrumented too), then runs
# libFuzzer for SECONDS (default 60) per target on Fuzz/corpus/TARGET and
# Fuzz/regressions/TARGET. New interesting inputs go to .build-fuzz/corpus/TARGET
# (not committed); crashes, hangs and out-of-memory inputs go to Fuzz/crashes/TARGET/
# (gitignored). Environment: FUZZ_ARGS adds libFuzzer flags (e.g. "-seed=1").
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(biscuit datalog jwt scenario testee-frame intent)
usage() { echo "usage: scripts/fuzz.sh {$(IFS=\|; echo "${TARGETS[*]}")|all} [SECONDS]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
SECONDS_PER_TARGET=${2:-60}
[[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || usage
if [ "$1" = all ]; then
  SELECTED=("${TARGETS[@]}")
else
  [[ " ${TARGETS[*]} " == *" $1 "* ]] || usage
  SELECTED=("$1")
fi

SCRATCH=.build-fuzz
echo "== building baton-fuzz for libFuzzer ($SCRATCH)"
swift build --scratch-path "$SCRATCH" --product baton-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DBATON_LIBFUZZER \
  -Xcc -fsanitize=fuzzer-no-link,address 2>&1 | grep -v "Cannot export local symbol" || true
BIN="$SCRATCH/debug/baton-fuzz"
[ -x "$BIN" ] || { echo "fuzz build failed" >&2; exit 1; }

# Swift stores some enum payload pointers with tag bits, which LeakSanitizer
# cannot follow; the suppressions list those false positives.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_stack_use_after_return=0}"

status=0
summary=()
for target in "${SELECTED[@]}"; do
  work="$SCRATCH/corpus/$target"
  crashes="Fuzz/crashes/$target"
  mkdir -p "$work" "$crashes" "Fuzz/regressions/$target"
  dict=()
  [ -f "Fuzz/dictionaries/$target.dict" ] && dict=("-dict=Fuzz/dictionaries/$target.dict")
  log="$SCRATCH/fuzz-$target.log"
  echo "== fuzzing $target for ${SECONDS_PER_TARGET}s (log: $log)"
  before=$(ls "$crashes" | wc -l)
  set +e
  # One process (no -jobs/-workers): the machine's cores are shared.
  BATON_FUZZ_TARGET="$target" "$BIN" "$work" "Fuzz/corpus/$target" "Fuzz/regressions/$target" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -max_total_time="$SECONDS_PER_TARGET" \
    -artifact_prefix="$crashes/" -print_final_stats=1 "${dict[@]}" ${FUZZ_ARGS:-} >"$log" 2>&1
  code=$?
  set -e
  last=$(grep -E "^#[0-9]+" "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p' <<<"$last")
  summary+=("$target: ${execs:-?} runs, ${speed:-?} exec/s, ${cov:-no coverage line}, exit $code")
  after=$(ls "$crashes" | wc -l)
  if [ "$code" -ne 0 ] || [ "$after" -gt "$before" ]; then
    status=1
    grep -E "ERROR|broken invariant|Fatal error|SUMMARY|Test unit written" "$log" | head -8 || true
    newest=$(ls -t "$crashes" | head -1)
    if [ -n "$newest" ]; then
      cat <<EOF
-- $target found a problem: $crashes/$newest
   reproduce:   BATON_FUZZ_TARGET=$target $BIN $crashes/$newest
                swift run baton-fuzz replay $target $crashes/$newest     (no sanitizers)
   minimize:    BATON_FUZZ_TARGET=$target $BIN -minimize_crash=1 -max_total_time=60 -exact_artifact_path=$crashes/minimized $crashes/$newest
   keep it:     cp $crashes/minimized Fuzz/regressions/$target/<what-it-broke>, fix the code,
                then swift test --filter BatonFuzzingTests (every regression file is replayed)
EOF
    fi
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
