#!/bin/bash
# Builds the release server, compiles the extension, and packages a .vsix that bundles the
# server for this platform. Output: editors/vscode/baocao-<version>-<target>.vsix (path printed last).
# Idempotent: npm ci only when package-lock.json changed; cargo and tsc are incremental.
set -euo pipefail
EXT="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$EXT/../.." && pwd)"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) TARGET=linux-x64 ;;
  Linux-aarch64) TARGET=linux-arm64 ;;
  Darwin-x86_64) TARGET=darwin-x64 ;;
  Darwin-arm64) TARGET=darwin-arm64 ;;
  *) echo "package.sh: unsupported platform $(uname -sm)" >&2; exit 2 ;;
esac
if [ -z "${BAOCAO_LS:-}" ]; then
  (cd "$ROOT" && cargo build --release -q -p baocao-ls)
  # Where cargo put it: CARGO_TARGET_DIR when set (relative to the repository, where cargo ran).
  TARGET_DIR="${CARGO_TARGET_DIR:-target}"
  case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
  BAOCAO_LS="$TARGET_DIR/release/baocao-ls"
fi
cd "$EXT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p server
cp "$BAOCAO_LS" server/baocao-ls
chmod +x server/baocao-ls
rm -rf out
npx tsc -p .
node --test out/test/ >/dev/null
VERSION=$(node -p 'require("./package.json").version')
OUT="$EXT/baocao-$VERSION-$TARGET.vsix"
npx vsce package --target "$TARGET" --out "$OUT" >/dev/null
echo "$OUT"
