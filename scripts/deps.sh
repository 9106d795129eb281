#!/bin/bash
# make deps: install the Debian packages of scripts/deps.txt that are missing.
# Silent and quick (one dpkg-query) when nothing is missing. Not root: prints
# the command to run and fails. Not Debian: names the packages and goes on
# if their commands are found.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
list=${LUO_DEPS_LIST:-$top/scripts/deps.txt}

# "package cmd..." lines, without comments and group headers
entries=$(sed -e 's/#.*//' -e '/^\[/d' -e '/^[[:space:]]*$/d' "$list")
pkgs=$(echo "$entries" | awk '{ print $1 }')

if ! command -v dpkg-query >/dev/null 2>&1; then
	missing=
	for c in $(echo "$entries" | awk '{ for (i = 2; i <= NF; i++) print $i }'); do
		command -v "$c" >/dev/null 2>&1 || missing+=" $c"
	done
	if [ -n "$missing" ]; then
		echo "deps: not a Debian system; this project needs the Debian packages:" >&2
		echo "  $pkgs" | tr '\n' ' ' >&2; echo >&2
		echo "deps: commands not found:$missing" >&2
		exit 1
	fi
	exit 0
fi

# ${db:Status-Abbrev}: its second letter is "i" for an installed package
# (held or not); one never installed is reported on stderr.
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $pkgs 2>/dev/null |
	awk 'substr($1, 2, 1) == "i" { print $2 }')
missing=$(comm -23 <(echo "$pkgs" | sort -u) <(echo "$installed" | sort -u) | tr '\n' ' ')
missing=${missing% }
[ -z "$missing" ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages: $missing" >&2
	echo "deps: run as root:  $cmd" >&2
	exit 1
fi
echo "deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -q &&
	apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $missing ||
	{ echo "deps: installing failed: $cmd" >&2; exit 1; }
