#!/bin/bash
# Debian packages the editor tests need. Skips apt entirely when all are installed.
source "$(dirname "$0")/lib.sh"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then echo "apt: all present"; exit 0; fi
echo "apt: installing ${missing[*]}"
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
