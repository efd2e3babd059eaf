#!/bin/bash
# Real Helix (hx 25.01 from Debian trixie, see install-helix.sh) in tmux, configured by the
# repository's editors/helix/languages.toml exactly as shipped; baocao-ls found on PATH.
# Checks the screen (capture-pane): the diagnostic under the wrong total, the code action menu
# and its edit; and `hx --health` (its exit code is 0 even for a broken config, so its text is read).
source "$(dirname "$0")/lib.sh"
need_server
HX="${HX:-$CACHE/helix/hx}"
WORK=$(mktemp -d); S="baocao-hx-$$"
cleanup() { tmux kill-session -t "$S" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
echo "== Helix"
if [ ! -x "$HX" ]; then check "hx installed at $HX" false; summary; exit; fi
mkdir -p "$WORK/bin" "$WORK/config/helix" "$WORK/doc"
ln -s "$BAOCAO_LS" "$WORK/bin/baocao-ls"
cp "$REPO_ROOT/editors/helix/languages.toml" "$WORK/config/helix/languages.toml"
# Show diagnostics inline, so their text and column are on the screen.
cat > "$WORK/config/helix/config.toml" <<'TOML'
[editor]
end-of-line-diagnostics = "hint"
[editor.inline-diagnostics]
cursor-line = "hint"
other-lines = "hint"
TOML
cp "$EDITOR_TESTS_DIR/fixtures/bao-cao.md" "$WORK/doc/"
export PATH="$WORK/bin:$PATH" XDG_CONFIG_HOME="$WORK/config" HOME="$WORK"
echo "  info $("$HX" --version)"

health() { # colours stripped so that "✓ baocao-ls: PATH" reads as one string
  "$HX" --health "$1" 2>"$WORK/health-$1.err" | sed 's/\x1b\[[0-9;]*m//g' >"$WORK/health-$1.out"
}
health markdown; health text
check "hx --health markdown: baocao-ls found" grep -qF "✓ baocao-ls: $WORK/bin/baocao-ls" "$WORK/health-markdown.out"
check "hx --health markdown: marksman still configured" grep -q "marksman" "$WORK/health-markdown.out"
check "hx --health text: baocao-ls found" grep -qF "✓ baocao-ls: $WORK/bin/baocao-ls" "$WORK/health-text.out"
check "hx --health: languages.toml parsed without errors (stderr empty)" \
  bash -c "[ ! -s '$WORK/health-markdown.err' ] && [ ! -s '$WORK/health-text.err' ]"
cat "$WORK"/health-*.err 2>/dev/null | sed 's/^/    stderr: /'

screen() { tmux capture-pane -p -t "$S" > "$WORK/screen.txt"; }
wait_for() { # fixed-string pattern, seconds
  local i; for i in $(seq 1 $(( $2 * 10 ))); do screen; grep -qF -- "$1" "$WORK/screen.txt" && return 0; sleep 0.1; done
  return 1
}
run_file() { # file name inside $WORK/doc
  tmux kill-session -t "$S" 2>/dev/null || true
  tmux new-session -d -s "$S" -x 120 -y 24 -c "$WORK/doc" "$HX -v --log $WORK/hx-$1.log $1"
}

# 1. Markdown report: diagnostic text, under the wrong total's column.
run_file bao-cao.md
if check "markdown: total-mismatch message on screen" wait_for "6 + 19 = 25, không khớp tổng số 28 chỉ tiêu thành phần" 15; then
  # The inline diagnostic's "└" sits under the first character of the range ("28"): the
  # column conversion (Vietnamese before it) is right in Helix.
  check "markdown: diagnostic drawn under “28”" python3 - "$WORK/screen.txt" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
for i, row in enumerate(rows):
    if "Trong tổng số 28" in row and i + 1 < len(rows):
        below = rows[i + 1]
        col_28 = row.index("28 chỉ tiêu")
        sys.exit(0 if "└" in below and below.index("└") == col_28 else 1)
sys.exit(1)
PY
fi
cp "$WORK/screen.txt" "$WORK/screen-diagnostic.txt"
# 2. Code action: go to the second diagnostic (count-mismatch), open the menu, accept the fix.
tmux send-keys -t "$S" g g ']' d ']' d
sleep 0.3
tmux send-keys -t "$S" Space a
check "markdown: code action menu offers “Sửa số lượng thành 3”" wait_for "Sửa số lượng thành 3" 10
tmux send-keys -t "$S" Enter
check "markdown: quick fix applied (“xác định 3 nhiệm vụ”)" wait_for "xác định 3 nhiệm vụ" 10
# 3. Hover on the cited resolution (line 7): the catalogue entry appears in a popup. Only the
# popup says "khóa XIII"; the line itself does not.
tmux send-keys -t "$S" Escape; sleep 0.2
if grep -q '"hoverProvider"' "$WORK/hx-bao-cao.md.log"; then
  tmux send-keys -t "$S" 7 g g f 1 Space k
  check "markdown: hover on 11-NQ/TW shows the catalogue entry" wait_for "Bộ Chính trị khóa XIII" 10
  cp "$WORK/screen.txt" "$WORK/screen-hover.txt"
else
  tmux send-keys -t "$S" g g Space k; sleep 1; screen
  check "markdown: no hover provider, Helix reports it plainly" grep -q 'No configured language server supports hover' "$WORK/screen.txt"
fi
check "markdown: Helix uses pushed diagnostics (it advertises no pull capability)" grep -q 'publishDiagnostics' "$WORK/hx-bao-cao.md.log"
tmux send-keys -t "$S" Escape; sleep 0.2
tmux send-keys -t "$S" ':q!' Enter
for i in $(seq 1 50); do tmux has-session -t "$S" 2>/dev/null || break; sleep 0.1; done
check "markdown: hx quits" bash -c "! tmux has-session -t '$S' 2>/dev/null"

# 4. Plain-text report through the `text` language from languages.toml.
cp "$EDITOR_TESTS_DIR/fixtures/bao-cao.md" "$WORK/doc/bao-cao.txt"
run_file bao-cao.txt
check "text: total-mismatch message on screen" wait_for "6 + 19 = 25, không khớp tổng số 28 chỉ tiêu thành phần" 15
tmux send-keys -t "$S" Escape; sleep 0.2; tmux send-keys -t "$S" ':q!' Enter
for i in $(seq 1 50); do tmux has-session -t "$S" 2>/dev/null || break; sleep 0.1; done
if [ "$FAILED" -ne 0 ]; then echo "  last screen:"; sed 's/^/    | /' "$WORK/screen.txt"; fi
summary
