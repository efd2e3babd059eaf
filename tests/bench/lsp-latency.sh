#!/usr/bin/env bash
# LSP latency of baocao-ls on 10 KB, 100 KB and 1 MB reports (issue 2 §6).
#
# Builds target/release/baocao-ls, generates the documents under target/bench-docs/ (never in
# git), and drives the server with ../shared/bench/lspbench.py through run_anchors.py's runner,
# so the numbers are measured exactly as the peer servers' are: a fresh process per run with
# empty XDG folders, cold start, didOpen→diagnostics, one-character edits→diagnostics, a
# second open of the same text, hover, peak RSS, and the load average at the start of each run.
#
# Documents:
#   vi-{10k,100k,1m}.md      ../shared/bench/make_docs.py: published prose rebuilt from the corpus
#   baocao-{10k,100k,1m}.md  the criterion generator (server/core/benches/support): dense
#                            totals, fractions, shares, lists and tables — the checks' worst case
#
# Usage: [BAOCAO_SHARED=DIR] tests/bench/lsp-latency.sh [--reps N] [--edits N] [--anchors] [--peers LIST]
#   --anchors     also measure the peers (harper-ls and typos-lsp) on the same documents; they
#                 are installed from crates.io into target/anchors/ if missing (a long compile
#                 on 2 cores: typos-lsp took ~35 minutes at -j1 under load here)
#   --peers LIST  which peers, comma-separated: typos, harper (default both); implies --anchors
# Output: a Markdown table on stdout, raw runs in target/bench-docs/results/*.jsonl.
set -euo pipefail

reps=3
edits=30
anchors=0
peers="typos,harper"
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) reps="$2"; shift 2 ;;
        --edits) edits="$2"; shift 2 ;;
        --anchors) anchors=1; shift ;;
        --peers) anchors=1; peers="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/../.." && pwd)"
# The shared reference folder sits beside the repository; BAOCAO_SHARED overrides it (for a
# snapshot of the repository exported elsewhere).
shared="${BAOCAO_SHARED:-$root/../shared}/bench"
docs="$root/target/bench-docs"
results="$docs/results"
cd "$root"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)" >&2
echo "# load before build: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

cargo build --release -p baocao-ls >&2
mkdir -p "$docs" "$results"
python3 "$shared/make_docs.py" --out "$docs" --sizes 10k,100k,1m >&2
# The generator's own documents; the bench target takes `write DIR` (cargo appends --bench,
# which the target ignores).
cargo bench -q -p baocao-core --bench workload -- write "$docs" >&2
# make_docs.py also writes English drafts; baocao-ls is for Vietnamese reports.
only="vi-10k.md,vi-100k.md,vi-1m.md,baocao-10k.md,baocao-100k.md,baocao-1m.md"

# run_anchors.py knows harper-ls and typos-lsp; baocao-ls is registered the same way, so its
# runs use the same driver arguments, isolation and summary table as the peers'.
run_matrix() {
    local servers="$1" bin_dir="$2" only="$3" out="$4"
    rm -f "$out/runs.jsonl"
    mkdir -p "$out"
    python3 - "$shared" "$servers" "$bin_dir" "$only" "$out" "$reps" "$edits" "$docs" <<'PY'
import sys
shared, servers, bin_dir, only, out, reps, edits, docs = sys.argv[1:]
sys.path.insert(0, shared)
import run_anchors
run_anchors.SERVERS["baocao"] = {"cmd": "baocao-ls --stdio", "settings": None}
raise SystemExit(run_anchors.main([
    "--bin-dir", bin_dir, "--servers", servers, "--docs", docs, "--results", out,
    "--only", only, "--reps", reps, "--edits", edits, "--lang-id", "markdown",
]))
PY
}

echo "## baocao-ls (load at start: $(cut -d' ' -f1-3 /proc/loadavg))"
run_matrix baocao "$root/target/release" "$only" "$results/baocao"

if [ "$anchors" = 1 ]; then
    anchor_root="$root/target/anchors"
    for peer in ${peers//,/ }; do
        case "$peer" in
            typos) crate=typos-lsp ;;
            harper) crate=harper-ls ;;
            *) echo "unknown peer: $peer (typos, harper)" >&2; exit 2 ;;
        esac
        if [ ! -x "$anchor_root/bin/$crate" ]; then
            CARGO_TARGET_DIR="$anchor_root/build" cargo install --locked --root "$anchor_root" "$crate" >&2
        fi
    done
    echo
    echo "## peers (load at start: $(cut -d' ' -f1-3 /proc/loadavg))"
    run_matrix "$peers" "$anchor_root/bin" "$only" "$results/peers"
    if [[ ",$peers," == *",harper,"* ]]; then
        # harper-ls skips files over 120 KB by default; harper-big lifts that limit.
        run_matrix harper-big "$anchor_root/bin" "vi-1m.md,baocao-1m.md" "$results/peers-big"
    fi
fi
