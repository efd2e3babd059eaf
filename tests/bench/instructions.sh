#!/usr/bin/env bash
# Instruction counts of the analysis core under callgrind: a load-independent companion to the
# criterion timings (other processes on the machine change wall time, not instructions).
#
# Counts only the analysis itself, not the report generation: `full` toggles collection on
# Analyzer::analyze (one fresh analysis), `edit` on the bench's edit_once (the re-analysis after
# a one-character edit, with a warm Analyzer). Profiles are kept in target/bench-docs/callgrind/
# for `callgrind_annotate --inclusive=yes FILE`.
#
# Usage: tests/bench/instructions.sh [SIZE...]   (sizes: 10k 100k 1m; default: all three)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$root/target/bench-docs/callgrind"
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10k 100k 1m)

# cargo prints the path of the bench executable it built; take it from the JSON messages.
workload="$(cargo bench -q -p baocao-core --bench workload --no-run --message-format=json \
    | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "workload" and m.get("executable"):
        print(m["executable"])')"
[ -x "$workload" ] || { echo "could not find the workload bench executable" >&2; exit 1; }

echo "| run | instructions |"
echo "|---|---:|"
for size in "${sizes[@]}"; do
    for mode in full edit; do
        case "$mode" in
            full) toggle='baocao_core::analysis::Analyzer::analyze' ;;
            edit) toggle='*edit_once*' ;;
        esac
        file="$out/$mode-$size.out"
        valgrind --tool=callgrind --callgrind-out-file="$file" --toggle-collect="$toggle" \
            "$workload" "$mode" "$size" > /dev/null 2> "$file.log"
        count="$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$file.log")"
        echo "| $mode/$size | $count |"
    done
done
