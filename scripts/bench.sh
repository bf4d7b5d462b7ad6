#!/usr/bin/env bash
# Reruns every benchmark in a release build and writes Reports/benchmarks.md
# (or the file named by BATON_BENCH_OUT). Takes about a quarter of an hour on 2 quiet cores once
# built, most of it the 1,000,000-task scale run.
#
#   bash scripts/bench.sh            # everything, full sizes
#   BATON_BENCH_QUICK=1 bash scripts/bench.sh   # small sizes, to check the script itself
#   BATON_BENCH_SCALE_TASKS=300000 bash scripts/bench.sh   # a smaller largest scale row (default 1000000)
#
# Every number in the report comes from this one run; ratios are what to compare across
# machines, absolute times are not.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

out=${BATON_BENCH_OUT:-Reports/benchmarks.md}
quick=${BATON_BENCH_QUICK:-}
swift build -c release --product baton-bench
swift build -c release --product baton
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "$quick" ]; then
  timing=(--batches 3 --iterations 20 --warmup 10); scale=(1000 1000 1000 5000); speedup=2000; testee=2000; mutants=8000; suite_runs=1
else
  timing=(); scale=(10000 100000 10000 "${BATON_BENCH_SCALE_TASKS:-1000000}"); speedup=20000; testee=20000; mutants=100000; suite_runs=3
fi

{
  echo "# Benchmarks"
  echo
  echo "Written by \`bash scripts/bench.sh\` on $(date -u +%Y-%m-%d); rerun it to refresh every table (release build)."
  echo "Each table is one run; ratios carry across machines, absolute times do not."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| OS | $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r) |"
  echo "| Swift | $(swift --version 2>&1 | grep -m1 'Swift version') |"
  echo "| Python | $(.venv/bin/python --version 2>&1) |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
} > "$work/head.md"
{
  echo "## Verify throughput"
  echo
  echo "\`swift run -c release baton-bench biscuit\`"
  echo
  "$bin/baton-bench" biscuit "${timing[@]}" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  echo
  echo "\`swift run -c release baton-bench python\` (needs .venv from scripts/setup.sh)"
  echo
  "$bin/baton-bench" python "${timing[@]}" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  echo
  echo "\`swift run -c release baton-bench rust\` (needs .venv from scripts/setup.sh)"
  echo
  "$bin/baton-bench" rust "${timing[@]}" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  echo
  echo "## Whole suite against the reference implementation"
  echo
  echo "\`baton run Scenarios\` (release), $suite_runs run(s), wall time and peak RSS from \`/usr/bin/time\`; target ≤ 5 s on 2 cores."
  echo
  echo "| run | scenarios | wall s | peak RSS MiB |"
  echo "|---:|---|---:|---:|"
  for i in $(seq 1 "$suite_runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin/baton" run Scenarios --reports "$work/reports" --quiet > "$work/suite.out" 2>&1 \
      || { cat "$work/suite.out" >&2; echo "bench: the suite failed against the reference" >&2; exit 1; }
    read -r wall rss < "$work/time"
    summary=$(grep -m1 -o '[0-9]* passed, [0-9]* failed' "$work/reports/baton-reference.md" || echo "?")
    echo "| $i | $summary | $wall | $((rss / 1024)) |"
  done
  echo
  echo "## Simulation at scale"
  echo
  echo "\`swift run -c release baton-bench scale ${scale[*]} --speedup-tasks $speedup\`: agents on one in-memory bus; each task mints a fresh"
  echo "3-hop chain (three Ed25519 signatures), sends it as an A2A \`tasks/send\`; the receiving agent verifies it (V1–V7),"
  echo "then calls \`docs.write\` on the tool server, which verifies the token again for the tool and charges its ledger."
  echo "Tasks run in fixed work units of 500 (each with its own tool server and ledger) in a task group, at most N units in flight;"
  echo "the digest folds every answer in task order, so it must not change with N. CPU s is the process's user + system time:"
  echo "CPU/wall is how many cores the run really had, which on a shared machine can be fewer than it asked for."
  echo "Peak RSS is the process high-water mark (VmHWM), so each row includes the rows before it."
  echo
  "$bin/baton-bench" scale "${scale[@]}" --speedup-tasks "$speedup"
  echo
  echo "## Testee protocol throughput"
  echo
  echo "\`swift run -c release baton-bench testee $testee\`: verify round trips through \`TesteeProcess\` (NDJSON over pipes,"
  echo "one request in flight) against \`Interop/trivial_testee.py\`, which accepts without looking; target ≥ 1,000/s."
  echo
  "$bin/baton-bench" testee "$testee" .venv/bin/python Interop/trivial_testee.py
  echo
  echo "## Mutation testing of the reference verifier"
  echo
  echo "\`baton mutate --count $mutants\` (seed 2026): every mutant of a valid 3-block chain must be refused unless it means exactly the same chain."
  echo
  "$bin/baton" mutate --count "$mutants" | sed "s/^mutate:/\nmutate:/"
} > "$work/body.md"

# The targets at a glance, read back from the tables above (a missing value shows as "?").
# pick PATTERN [PART]: the first match of PATTERN in the tables, narrowed to PART; empty if none.
pick() { { grep -m1 -o "$1" "$work/body.md" | grep -o "${2:-.*}" | head -1; } || true; }
bare_ratio=$(pick 'ratio full / bare[^|]*| \*\*[0-9.]*×' '[0-9.]*×$')
py_ratio=$(pick 'Python authorize / Swift ChainedVerifier[^|]*| \*\*[0-9.]*×' '[0-9.]*×$')
suite_wall=$(awk -F'|' '/ passed, [0-9]+ failed /{gsub(/ /,"",$4); if ($4+0 > m) m=$4+0} END {print m}' "$work/body.md" || true)
growth=$(pick '([0-9.]* of linear)' '[0-9.]* of linear')
peak=$(pick 'peak RSS [0-9]* MiB (limit' '[0-9]* MiB')
speedup_ratio=$(pick 'Speed-up 1 → [0-9]* units in flight: [0-9.]*×' '[0-9.]*×$')
cores_busy=$(awk -F'|' '/^\| [0-9]+ \| [0-9]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9]+ \| `/ {gsub(/ /,"",$3); gsub(/ /,"",$6); if ($3+0 > 1 && $6+0 > m) m=$6+0} END {if (m) print m}' "$work/body.md" || true)
rust_ratio=$(pick 'Rust full / Baton full: [0-9.]*×' '[0-9.]*×$')
rust_rest=$(pick 'without the signatures: [0-9.]*×' '[0-9.]*×$')
testee_rate=$(pick '= [0-9]* verify/s' '[0-9]* verify/s')
accepted=$(pick '[0-9]* mutants, [0-9]* accepted with a different meaning')
{
  cat "$work/head.md"
  echo "## Targets"
  echo
  echo "| target (issue #6 unless named) | measured |"
  echo "|---|---|"
  echo "| full verify of a 3-block chain ≤ 1.3 × its bare Ed25519 cost | ${bare_ratio:-?} |"
  echo "| ≥ 2 × faster than agent-identity-protocol's verifier on the same token | ${py_ratio:-?} |"
  echo "| whole suite against the reference ≤ 5 s wall | ${suite_wall:-?} s (slowest run) |"
  echo "| ${scale[1]} → ${scale[3]} tasks grow linearly, peak memory ≤ 512 MiB (issue #18) | ${growth:-?}, ${peak:-?} |"
  echo "| scale run 1 → 2 cores ≥ 1.8× faster (issue #18) | ${speedup_ratio:-?} (at most ${cores_busy:-?} cores busy; load average at start above) |"
  echo "| Baton's Biscuit path at least as fast as the Rust reference (Rust / Baton ≥ 1×, issue #18) | ${rust_ratio:-?}; without the signatures ${rust_rest:-?} |"
  echo "| testee protocol ≥ 1,000 verify round trips/s | ${testee_rate:-?} |"
  echo "| no mutant accepted unless identical in meaning | ${accepted:-?} |"
  echo
  cat "$work/body.md"
} > "$work/benchmarks.md"

mv "$work/benchmarks.md" "$out"
echo "bench: wrote $out"
