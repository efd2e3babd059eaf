#!/bin/bash
# Installs what the real-editor tests need (pinned, cached under $CACHE, skipped when present),
# builds the release server if missing, runs the Neovim, Helix and VS Code tests, and prints one
# line per editor plus a final "N passed, N failed". Exit status 1 when any check failed.
# Needs: Debian bookworm (root or sudo), Rust, Python 3, Node 20 + npm. Options:
#   --screenshots   also refresh docs/images/ from the VS Code run
#   --only NAME     run one of: neovim helix vscode
source "$(dirname "$0")/lib.sh"
SHOTS=() ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshots) SHOTS=(--screenshots) ;;
    --only) ONLY=${2:-}; shift ;;
    *) echo "usage: run-all.sh [--screenshots] [--only neovim|helix|vscode]" >&2; exit 2 ;;
  esac
  shift
done
T0=$SECONDS
lap() { echo "[$((SECONDS - T0))s] $*"; }

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
install_failed=0
run_install() { "$EDITOR_TESTS_DIR/$1" || { echo "install step $1 failed"; install_failed=1; }; }
run_install install-apt.sh
want neovim && run_install install-neovim.sh
want helix && run_install install-helix.sh
want vscode && run_install install-code-server.sh
lap "installs done"
if ! (need_server); then
  echo "the server does not build; no editor test can run"
  echo "0 passed, 1 failed"; exit 1
fi
need_server  # exports BAOCAO_LS for the test scripts (the build above made this a no-op)
lap "server ready: $("$BAOCAO_LS" --version)"

TOTAL_PASSED=0 TOTAL_FAILED=0 LINES=()
run_test() { # name, script, args…
  local name=$1 script=$2 out; shift 2
  out=$(mktemp)
  "$EDITOR_TESTS_DIR/$script" "$@" 2>&1 | tee "$out" || true  # one failing editor must not stop the rest
  local last p f
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1 || true)
  if [ -n "$last" ]; then p=${last%% passed*}; f=${last#*, }; f=${f%% failed}
  else p=0; f=1; last="no summary line (script crashed)"; fi
  TOTAL_PASSED=$((TOTAL_PASSED + p)); TOTAL_FAILED=$((TOTAL_FAILED + f))
  LINES+=("$(printf '%-8s %s' "$name" "$last")")
  rm -f "$out"
  lap "$name done"
}
want neovim && run_test neovim neovim.sh
want helix && run_test helix helix.sh
want vscode && run_test vscode vscode.sh "${SHOTS[@]}"

echo "== editor tests"
for l in "${LINES[@]}"; do echo "$l"; done
if [ "$install_failed" -ne 0 ]; then TOTAL_FAILED=$((TOTAL_FAILED + 1)); echo "an install step failed"; fi
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
