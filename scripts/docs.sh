#!/usr/bin/env bash
# Builds the DocC documentation of the libraries other projects can use on their own (Biscuit, AIP, JOSE) with
# swift-docc-plugin, into .build-docs/TARGET.doccarchive (git-ignored), and fails on any documentation warning (broken links,
# undocumented parameters …) and on any public symbol without a doc comment (checked on the symbol graph the
# plugin extracts). Usage: bash scripts/docs.sh [TARGET...]   (default: Biscuit AIP JOSE)
# Read an archive through a static server (DocC archives need one), e.g.
#   python3 -m http.server -d .build-docs/Biscuit.doccarchive 8000  →  http://localhost:8000/documentation/biscuit
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(Biscuit AIP JOSE)
OUT=.build-docs
mkdir -p "$OUT"
START=$(date +%s)
status=0
log="$OUT/docs.log"
# One plugin invocation for all targets (the plugin's own tool and the manifest are then prepared once). With several
# targets the plugin writes OUT/TARGET.doccarchive; with one it fills --output-path itself, so that is named alike.
args=()
for target in "${TARGETS[@]}"; do
  args+=(--target "$target")
  rm -rf "${OUT:?}/$target.doccarchive"
  rm -rf .build/*/extracted-symbols/*/"$target"  # so that a failed extraction cannot leave a stale graph to check
done
output="$OUT"
[ ${#TARGETS[@]} -eq 1 ] && output="$OUT/${TARGETS[0]}.doccarchive"
# --warnings-as-errors: docc's warnings (unresolved ``links``, missing or unknown parameters, bad topic groups) fail.
if ! swift package --allow-writing-to-directory "$OUT" generate-documentation "${args[@]}" \
    --output-path "$output" --warnings-as-errors >"$log" 2>&1; then
  grep -E -A6 '^(warning|error):' "$log" >&2 || tail -40 "$log" >&2
  echo "docs: the documentation build failed (full log: $log)" >&2
  status=1
fi
for target in "${TARGETS[@]}"; do
  # Every public symbol needs its own doc comment: docc does not warn about undocumented symbols, so the symbol
  # graph the plugin extracted (.build/TRIPLE/extracted-symbols/PACKAGE/TARGET) is read directly.
  graphs="$(ls -td .build/*/extracted-symbols/*/"$target" 2>/dev/null | head -1)"
  if [ -z "$graphs" ]; then
    echo "docs: $target: no extracted symbol graph found under .build/*/extracted-symbols" >&2
    status=1
    continue
  fi
  if ! python3 - "$graphs" "$target" <<'EOF'
import glob, json, os, sys

directory, target = sys.argv[1], sys.argv[2]
missing = []
for path in sorted(glob.glob(os.path.join(directory, "*.symbols.json"))):
    with open(path) as f:
        graph = json.load(f)
    for symbol in graph["symbols"]:
        if "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
            continue  # default implementations the compiler adds (documented where they are declared)
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        lines = (symbol.get("docComment") or {}).get("lines", [])
        if any(line.get("text", "").strip() for line in lines):
            continue
        location = symbol.get("location", {})
        uri = location.get("uri", "?")
        file = "Sources/" + uri.split("/Sources/", 1)[1] if "/Sources/" in uri else uri
        line = location.get("position", {}).get("line", -1) + 1
        missing.append(f"{file}:{line}: {'.'.join(symbol['pathComponents'])} ({symbol['kind']['displayName']})")
for entry in sorted(set(missing)):
    print(f"docs: {target}: undocumented public symbol: {entry}", file=sys.stderr)
if missing:
    print(f"docs: {target}: {len(set(missing))} public symbols without a doc comment", file=sys.stderr)
    sys.exit(1)
EOF
  then
    status=1
    continue
  fi
  [ -d "$OUT/$target.doccarchive" ] && echo "docs: $target: $OUT/$target.doccarchive"
done
echo "docs: ${#TARGETS[@]} targets in $(( $(date +%s) - START )) s" >&2
exit $status
