#!/usr/bin/env bash
# Bounded stress run for CI (about 10 minutes on 2 cores): the ../shared/stress harness against the
# release binary — malformed frames (t2), edit streams compared with a fresh server in push and
# pull mode (t1), concurrent requests (t5, push and pull), push vs pull bursts (t8), a set of hostile
# documents (t3), a short CLI fuzz (t6). Fails on a crash, a hang (a harness over its time box),
# a divergence or stale answer, an unexpected protocol failure, or peak RSS over the ceiling;
# latency is reported, not judged. Usage, from anywhere:
#   tests/stress/ci.sh                         # target/release/baocao-ls (build it first)
#   BAOCAO_LS=path/to/baocao-ls RSS_CEILING_MB=300 FUZZ_MINUTES=1 tests/stress/ci.sh
# Results (JSON per harness, logs) in $STRESS_OUT (default: a fresh /tmp/baocao-ci-stress.* folder).
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
stress="${STRESS_DIR:-$repo/../shared/stress}"
bin="${BAOCAO_LS:-target/release/baocao-ls}"
if [ ! -x "$bin" ]; then
  echo "ci.sh: no binary at $bin; run cargo build --release first (or set BAOCAO_LS)" >&2
  exit 2
fi
if [ ! -f "$stress/lspclient.py" ]; then
  echo "ci.sh: no stress harness at $stress (set STRESS_DIR)" >&2
  exit 2
fi
export BAOCAO_LS="$(realpath "$bin")"
export BAOCAO_REPO="$repo"
export STRESS_OUT="${STRESS_OUT:-$(mktemp -d /tmp/baocao-ci-stress.XXXXXX)}"
export RUST_BACKTRACE=0
ceiling="${RSS_CEILING_MB:-300}"
# The harness's own watchdog kills a server far past the ceiling, so the machine survives.
export STRESS_RSS_LIMIT_MB="${STRESS_RSS_LIMIT_MB:-$((ceiling * 3))}"
fuzz_minutes="${FUZZ_MINUTES:-1}"
mkdir -p "$STRESS_OUT"
: > "$STRESS_OUT/exits.txt"

run() {  # run NAME TIME_BOX CMD... (from the harness folder)
  local name=$1 limit=$2
  shift 2
  printf '=== %s (%s)\n' "$name" "$(date -u +%H:%M:%S)"
  (cd "$stress" && timeout -k 10 "$limit" "$@") > "$STRESS_OUT/$name.log" 2>&1
  local code=$?
  tail -n 3 "$STRESS_OUT/$name.log"
  echo "$name $code" >> "$STRESS_OUT/exits.txt"
}

run t2 300 python3 t2_bad_protocol.py
run t1-push 300 python3 t1_edit_stream.py --edits 1500 --checkpoint 500 --mode push --seed 2 --time-limit 240
run t1-pull 300 python3 t1_edit_stream.py --edits 1500 --checkpoint 500 --mode pull --seed 1 --time-limit 240
run t5-push 300 python3 t5_concurrency.py --mode push --ops 1500
run t5-pull 300 python3 t5_concurrency.py --mode pull --ops 1500
run t8 600 python3 t8_push_bursts.py
for doc in 10MB-corpus 1MB-single-line 100k-tiny-lines 50k-numbers-one-paragraph 10k-citations 5k-table-rows mixed-CR-LF-CRLF BOM-start NUL-bytes suppression; do
  run "t3-$doc" 240 python3 t3_hostile_docs.py --only "$doc" --limit 60
done
run t6 $((fuzz_minutes * 60 + 120)) python3 t6_cli_fuzz.py --minutes "$fuzz_minutes" --workers 2

python3 "$repo/tests/stress/check.py" "$STRESS_OUT" --rss-ceiling-mb "$ceiling"
