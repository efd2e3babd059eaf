#!/bin/bash
# Real VS Code: the packaged .vsix in code-server, driven in headless Chromium (vscode_e2e.js).
# Run install-apt.sh and install-code-server.sh first (run-all.sh does).
# --screenshots: save the screens into docs/images/ (the committed set comes from this).
source "$(dirname "$0")/lib.sh"
SHOTS=""
[ "${1:-}" = "--screenshots" ] && SHOTS="$REPO_ROOT/docs/images"
need_server
echo "== VS Code (code-server $CODE_SERVER_VERSION)"
CS="$CACHE/code-server-$CODE_SERVER_VERSION/node_modules/.bin/code-server"
PW="$CACHE/playwright-core-$PLAYWRIGHT_CORE_VERSION/node_modules/playwright-core"
if [ ! -x "$CS" ] || [ ! -d "$PW" ]; then check "code-server and playwright-core installed" false; summary; exit; fi
VSIX=$(BAOCAO_LS="$BAOCAO_LS" "$REPO_ROOT/editors/vscode/scripts/package.sh" 2>/dev/null | tail -1)
if ! check "package.sh builds the .vsix" [ -f "$VSIX" ]; then summary; exit; fi
# The extension's own logic (server discovery order, settings mapping, manifest), without VS Code.
unit_log=$(mktemp)
check "extension unit tests (node --test)" bash -c "cd '$REPO_ROOT/editors/vscode' && node --test out/test/ >'$unit_log' 2>&1"
grep -E '^# (pass|fail) ' "$unit_log" | sed 's/^#/  info unit tests:/'
grep -q '^# fail 0' "$unit_log" || sed 's/^/    /' "$unit_log" | tail -30
rm -f "$unit_log"
[ -n "$SHOTS" ] && mkdir -p "$SHOTS"
CODE_SERVER="$CS" VSIX="$VSIX" PLAYWRIGHT_CORE="$PW" FIXTURE="$EDITOR_TESTS_DIR/fixtures/bao-cao.md" SHOTS="$SHOTS" \
  timeout 300 node "$EDITOR_TESTS_DIR/vscode_e2e.js" | tee "${TMPDIR:-/tmp}/baocao-vscode-$$.log" | grep -v '^[0-9]* passed' \
  || true  # a failing (or timed-out) run is counted below; under pipefail it must not end this script before its summary
while IFS= read -r line; do
  case "$line" in
    "  ok   "*) PASSED=$((PASSED + 1)) ;;
    "  FAIL "*) FAILED=$((FAILED + 1)) ;;
  esac
done < "${TMPDIR:-/tmp}/baocao-vscode-$$.log"
grep -q '^[0-9]* passed, 0 failed' "${TMPDIR:-/tmp}/baocao-vscode-$$.log" || { [ "$FAILED" -gt 0 ] || FAILED=1; }
rm -f "${TMPDIR:-/tmp}/baocao-vscode-$$.log"
summary
