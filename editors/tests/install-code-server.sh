#!/bin/bash
# code-server (real VS Code served to a browser) from npm, without its postinstall: that one
# downloads ripgrep from GitHub, which is unreachable here. Its steps are done by hand, with
# Debian's ripgrep. Then playwright-core, which drives Debian's chromium (no browser download).
source "$(dirname "$0")/lib.sh"
D="$CACHE/code-server-$CODE_SERVER_VERSION"
CS="$D/node_modules/code-server"
if [ -f "$D/.complete" ] && [ -x "$D/node_modules/.bin/code-server" ]; then
  echo "code-server $CODE_SERVER_VERSION: present"
else
  rm -rf "$D"; mkdir -p "$D"; cd "$D"
  echo '{"private":true}' > package.json
  export npm_config_yes=true                        # node-pty's install runs "npx node-gyp"
  export npm_config_nodedir="${npm_config_nodedir:-/usr}"  # node-gyp must not fetch headers
  export npm_config_unsafe_perm=true
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION"
  npm rebuild --loglevel=error argon2
  cd "$CS/lib/vscode"
  npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts
  mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild --loglevel=error
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && npm install --no-audit --no-fund --loglevel=error --omit=dev)
  touch "$D/.complete"
  "$D/node_modules/.bin/code-server" --version
fi
P="$CACHE/playwright-core-$PLAYWRIGHT_CORE_VERSION"
if [ -f "$P/node_modules/playwright-core/package.json" ]; then
  echo "playwright-core $PLAYWRIGHT_CORE_VERSION: present"
else
  mkdir -p "$P" && cd "$P" && echo '{"private":true}' > package.json
  npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION"
fi
