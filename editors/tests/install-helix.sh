#!/bin/bash
# Helix: Debian trixie's `hx` with trixie's glibc in a private directory, run through trixie's
# loader (bookworm has no Helix and its glibc is too old). The system's apt setup is untouched.
source "$(dirname "$0")/lib.sh"
D="$CACHE/helix"
if [ -x "$D/hx" ] && "$D/hx" --version >/dev/null 2>&1; then echo "helix: present ($("$D/hx" --version))"; exit 0; fi
rm -rf "$D"
mkdir -p "$D/apt/lists/partial" "$D/debs" "$D/root"
# The machine's own Debian mirror, from deb822 sources or the classic list.
M=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$M" ] || M=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$M" ] || M=http://deb.debian.org/debian
echo "deb $M trixie main" > "$D/apt/sources.list"
A=(-o Dir::Etc::SourceList="$D/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$D/apt/lists"
   -o Dir::Cache::archives="$D/debs" -o APT::Sandbox::User=root)
apt-get "${A[@]}" update -qq
(cd "$D/debs" && apt-get "${A[@]}" download -qq hx libc6 libgcc-s1)
for f in "$D"/debs/*.deb; do dpkg-deb -x "$f" "$D/root"; done
cat > "$D/hx" <<'EOS'
#!/bin/sh
R="$(dirname "$(readlink -f "$0")")/root"; L="$R/usr/lib/x86_64-linux-gnu"
export HELIX_RUNTIME="${HELIX_RUNTIME:-$R/usr/lib/hx/runtime}"
exec "$L/ld-linux-x86-64.so.2" --library-path "$L" "$R/usr/lib/hx/hx" "$@"
EOS
chmod +x "$D/hx"
"$D/hx" --version
