#!/bin/bash
# Prepare the kernel tree under build/linux:
#   1. unpack the base (Debian's linux-source-7.2, or a copy of KSRC) once;
#   2. apply kernel/patches/series in order, re-applying only when the
#      series or a patch changed (the old ones are reversed first);
#   3. install this repo's tree-shaped files (kernel/, include/,
#      Documentation/, samples/), copying only files whose content changed
#      so that an unchanged file never triggers a rebuild.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
applied=$top/build/applied
patches=$top/kernel/patches

die() { echo "prepare-tree: $*" >&2; exit 1; }

unpack_base() {
	local tmp=$top/build/linux.tmp

	rm -rf "$tmp" "$applied"
	mkdir -p "$tmp"
	if [ -n "${KSRC:-}" ]; then
		[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/kernel/liveupdate" ] ||
			die "KSRC=$KSRC is not a Linux 7.2 tree (no Makefile or kernel/liveupdate/); unset KSRC to use Debian's linux-source-7.2"
		echo "prepare-tree: copying $KSRC"
		rsync -a --exclude .git "$KSRC"/ "$tmp"/
		echo "KSRC $KSRC" > "$tmp/.luo-base"
	else
		local deb
		deb=$("$top/scripts/fetch-kernel.sh")
		echo "prepare-tree: unpacking $(basename "$deb")"
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
			tar -xJ -C "$tmp" --strip-components=1
		basename "$deb" .deb > "$tmp/.luo-base"
	fi
	mv "$tmp" "$tree"
}

series_of() { grep -v '^\s*\(#\|$\)' "$1/series" 2>/dev/null || true; }

patches_current() {
	[ -f "$applied/series" ] || return 1
	cmp -s "$applied/series" "$patches/series" || return 1
	for p in $(series_of "$patches"); do
		cmp -s "$applied/$p" "$patches/$p" || return 1
	done
}

apply_patches() {
	patches_current && return 0
	if [ -d "$applied" ]; then
		for p in $(series_of "$applied" | tac); do
			patch -d "$tree" -p1 -R -s -F0 < "$applied/$p" ||
				die "cannot reverse previously applied $p; run 'make distclean'"
		done
	fi
	rm -rf "$applied"
	mkdir -p "$applied"
	for p in $(series_of "$patches"); do
		[ -f "$patches/$p" ] || die "series names $p, which does not exist"
		if ! patch -d "$tree" -p1 -s -F0 --dry-run < "$patches/$p" >/dev/null; then
			patch -d "$tree" -p1 -F0 --dry-run < "$patches/$p" | sed 's/^/  /' >&2 || true
			die "patch $p does not apply (files: $(grep '^+++ ' "$patches/$p" | cut -d' ' -f2 | tr '\n' ' '))"
		fi
		patch -d "$tree" -p1 -s -F0 < "$patches/$p"
		# Recorded one by one, so that a later failure can be undone.
		cp "$patches/$p" "$applied/$p"
		echo "$p" >> "$applied/series"
		echo "prepare-tree: applied $p"
	done
	cp "$patches/series" "$applied/series"
}

install_overlay() {
	local d

	for d in kernel include Documentation samples; do
		[ -d "$top/$d" ] || continue
		rsync -r --checksum --exclude patches --exclude configs \
			"$top/$d"/ "$tree/$d"/
	done
}

[ -f "$tree/.luo-base" ] || unpack_base
apply_patches
install_overlay
echo "prepare-tree: base $(cat "$tree/.luo-base")"
