#!/bin/bash
# Download Debian's newest linux-source-7.2 with a private apt setup under
# build/apt, so the system's own sources list and lists dir are never touched.
# Prints the path of the downloaded .deb on stdout.
set -euo pipefail

pkg=${LUO_KPKG:-linux-source-7.2}
top=$(cd "$(dirname "$0")/.." && pwd)
apt=$top/build/apt
mkdir -p "$apt/lists/partial" "$apt/archives/partial"

cat > "$apt/sources.list" <<LIST
deb http://deb.debian.org/debian sid main
deb http://deb.debian.org/debian trixie-backports main
LIST

opts=(-o Dir::Etc::sourcelist="$apt/sources.list"
      -o Dir::Etc::sourceparts=/nonexistent
      -o Dir::State::Lists="$apt/lists"
      -o Dir::Cache::archives="$apt/archives"
      -o Acquire::Retries=0 -o Acquire::http::Timeout=10
      -o APT::Sandbox::User=root)

fail() {
	echo "fetch-kernel: cannot obtain Debian package '$pkg': $*" >&2
	echo "fetch-kernel: pass KSRC=/path/to/linux-7.2 to use an existing tree" >&2
	exit 1
}

apt-get "${opts[@]}" -qq update >&2 || fail "apt-get update failed (network?)"
ver=$(apt-cache "${opts[@]}" madison "$pkg" | awk '{print $3}' | sort -V | tail -1)
[ -n "$ver" ] || fail "no such package in sid or trixie-backports"
deb=$(ls "$apt"/"${pkg}"_"${ver//:/%3a}"_*.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
	(cd "$apt" && apt-get "${opts[@]}" -qq download "$pkg=$ver" >&2) ||
		fail "apt-get download $pkg=$ver failed"
	deb=$(ls "$apt"/"${pkg}"_*.deb | sort -V | tail -1)
fi
echo "fetch-kernel: $pkg $ver" >&2
echo "$deb"
