#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# Host checks of "make install", the exported symbols and the bash
# completion, run by test_libluo (one KTAP case each) after "make test"
# installed into a temporary DESTDIR:
#
#   install_check.sh fake-policy-dir DIR    make a POLICY_DIR to install
#   install_check.sh CHECK [LUOCTL]         run one check
#
# CHECK: install files symlinks pkgconfig man completion symbols systemd
# Environment (set by make test): LUO_TEST_INSTALL (the temporary directory:
# root/ is DESTDIR, PREFIX is /usr; install.rc, install.log), LUO_TEST_SRC
# (tools/lib/luo), LUO_TEST_OUTPUT (the build's OUTPUT), LUO_TEST_CC,
# LUO_TEST_RST2MAN.
# A failed check prints why on stderr and exits 1.
set -u

fail() {
	echo "$*" >&2
	exit 1
}

src=${LUO_TEST_SRC:-}
out=${LUO_TEST_OUTPUT:-}
tmp=${LUO_TEST_INSTALL:-}
root=$tmp/root
cc=${LUO_TEST_CC:-cc}

# the functions declared LUO_API in luo.h, one per line, sorted
luo_h_functions() {
	tr '\n' ' ' < "$src/luo.h" | grep -o 'LUO_API [^;(]*(' |
		grep -v 'LUO_API __attribute__' | sed 's/[[:space:]]*($//; s/.*[ *]//' |
		sort
}

version() {
	local v=
	for part in MAJOR MINOR PATCH; do
		v=$v.$(sed -n "s/^#define LIBLUO_${part}_VERSION[[:space:]]*\([0-9]*\).*/\1/p" \
			"$src/luo.h")
	done
	echo "${v#.}"
}

installed() {
	[ "$(cat "$tmp/install.rc" 2>/dev/null)" = 0 ] ||
		fail "make install failed, see the install case"
}

# roff without escapes and font changes, for grep
man_text() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(aq/'"'"'/g' \
	    -e 's/\\e/\\/g' "$1"
}

# the commands of "luoctl --help": the lines of its Commands: section
help_commands() {
	"$1" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'
}

# the options (long and short) in a help text on stdin
help_options() {
	grep -E '^ +-' | grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[ ,]//' |
		sort -u
}

check=${1:-}
case $check in
fake-policy-dir)
	d=$2
	mkdir -p "$d/policies" "$d/selftests" || exit 1
	echo bpf > "$d/window.bpf.o"
	echo bpf > "$d/policies/audit.bpf.o"
	echo skel > "$d/policies/audit.skel.h"
	echo dep > "$d/policies/audit.bpf.d"
	echo bpf > "$d/selftests/noop.bpf.o"
	printf '#!/bin/sh\n' > "$d/luo-window"
	printf 'dep\n' > "$d/luo-window.d"
	printf '#!/bin/sh\n' > "$d/luo_bpf"
	chmod 0755 "$d/luo-window" "$d/luo_bpf"
	;;

install)
	rc=$(cat "$tmp/install.rc" 2>/dev/null) || fail "no install result"
	[ "$rc" = 0 ] && exit 0
	# the tail says what is missing (e.g. rst2man)
	fail "make install DESTDIR=... PREFIX=/usr failed ($rc): $(grep -v '^make' \
		"$tmp/install.log" | tail -n 3 | tr '\n' ' ')"
	;;

files)
	v=$(version)
	expect="usr/include/luo.h
usr/lib/libluo.a
usr/lib/libluo.so
usr/lib/libluo.so.0
usr/lib/libluo.so.$v
usr/lib/luo/policies/audit.bpf.o
usr/lib/luo/policies/luo-window
usr/lib/luo/policies/window.bpf.o
usr/lib/pkgconfig/libluo.pc
usr/lib/systemd/system/luo-finish@.service
usr/lib/systemd/system/luo-policies.service
usr/sbin/luoctl
usr/share/bash-completion/completions/luoctl
usr/share/man/man3/libluo.3
usr/share/man/man8/luoctl.8"
	[ -d "$root" ] || fail "nothing installed in DESTDIR"
	got=$(cd "$root" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
	[ "$got" = "$expect" ] || fail "installed files differ:" \
		"$(diff <(echo "$expect") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	for f in usr/sbin/luoctl usr/lib/libluo.so.$v usr/lib/luo/policies/luo-window; do
		[ "$(stat -c %a "$root/$f")" = 755 ] || fail "$f: mode $(stat -c %a "$root/$f")"
	done
	for f in usr/include/luo.h usr/lib/libluo.a usr/lib/pkgconfig/libluo.pc \
		 usr/share/man/man3/libluo.3 usr/share/man/man8/luoctl.8 \
		 usr/share/bash-completion/completions/luoctl \
		 usr/lib/luo/policies/window.bpf.o usr/lib/luo/policies/audit.bpf.o; do
		[ "$(stat -c %a "$root/$f")" = 644 ] || fail "$f: mode $(stat -c %a "$root/$f")"
	done
	installed
	;;

symlinks)
	v=$(version)
	lib=$root/usr/lib
	[ -f "$lib/libluo.so.$v" ] && [ ! -L "$lib/libluo.so.$v" ] ||
		fail "libluo.so.$v is not a regular file"
	[ "$(readlink "$lib/libluo.so.0")" = "libluo.so.$v" ] ||
		fail "libluo.so.0 -> '$(readlink "$lib/libluo.so.0")', want libluo.so.$v"
	[ "$(readlink "$lib/libluo.so")" = libluo.so.0 ] ||
		fail "libluo.so -> '$(readlink "$lib/libluo.so")', want libluo.so.0"
	for l in libluo.so libluo.so.0; do
		[ "$(readlink -e "$lib/$l")" = "$(readlink -e "$lib/libluo.so.$v")" ] ||
			fail "$l does not resolve to libluo.so.$v"
	done
	soname=$(readelf -d "$lib/libluo.so.$v" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$soname" = libluo.so.0 ] || fail "SONAME '$soname', want libluo.so.0"
	;;

pkgconfig)
	installed
	pc=$root/usr/lib/pkgconfig/libluo.pc
	grep -qxF 'prefix=/usr' "$pc" || fail "libluo.pc: no prefix=/usr"
	grep -qF "$root" "$pc" && fail "libluo.pc names the DESTDIR"
	export PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=$root/usr/lib/pkgconfig
	export PKG_CONFIG_SYSROOT_DIR=$root
	# keep -I/-L of /usr: they are inside the DESTDIR here
	export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
	[ "$(pkg-config --modversion libluo)" = "$(version)" ] ||
		fail "pkg-config --modversion: '$(pkg-config --modversion libluo 2>&1)'"
	cflags=$(pkg-config --cflags libluo) || fail "pkg-config --cflags failed"
	libs=$(pkg-config --libs libluo) || fail "pkg-config --libs failed"
	# a static libluo.a with libbpf needs it (and libelf, zlib)
	if nm "$root/usr/lib/libluo.a" 2>/dev/null | grep -q ' U bpf_object__open_file$'; then
		pkg-config --static --libs libluo | grep -q -- '-lbpf' ||
			fail "libluo.a needs libbpf, Libs.private lacks -lbpf"
	fi
	d=$tmp/prog
	mkdir -p "$d"
	cat > "$d/prog.c" <<'PROG'
#include <stdio.h>
#include <string.h>
#include <luo.h>

int main(void)
{
	const char *s = luo_state_str(luo_state_from_str("prepared\n"));

	printf("%s %s %d.%d\n", s, luo_errno_name(-1), LIBLUO_MAJOR_VERSION,
	       LIBLUO_MINOR_VERSION);
	return strcmp(s, "prepared") != 0;
}
PROG
	# shellcheck disable=SC2086
	$cc -std=c99 -Wall -Wextra -Werror -pedantic $cflags "$d/prog.c" $libs \
		-o "$d/prog" 2> "$d/cc.log" ||
		fail "cc $cflags prog.c $libs: $(head -c 300 "$d/cc.log")"
	readelf -d "$d/prog" | grep -q 'NEEDED.*\[libluo\.so\.0\]' ||
		fail "prog does not need libluo.so.0"
	ldd_line=$(LD_LIBRARY_PATH=$root/usr/lib ldd "$d/prog" | grep libluo)
	case $ldd_line in
	*"=> $root/usr/lib/libluo.so.0 "*) ;;
	*) fail "prog does not use the installed library: $ldd_line" ;;
	esac
	res=$(LD_LIBRARY_PATH=$root/usr/lib "$d/prog") ||
		fail "prog failed: $res"
	[ "$res" = "prepared EPERM $(version | cut -d. -f1-2)" ] ||
		fail "prog printed '$res'"
	;;

man)
	luoctl=$2
	# up-to-date pages are not rebuilt: the tool must be there all the same
	command -v "${LUO_TEST_RST2MAN:-rst2man}" > /dev/null ||
		fail "${LUO_TEST_RST2MAN:-rst2man} not found: the man pages cannot" \
		     "be built (Debian: apt-get install python3-docutils)"
	installed
	m8=$root/usr/share/man/man8/luoctl.8
	m3=$root/usr/share/man/man3/libluo.3
	head -n 40 "$m8" | grep -q '^\.TH "\?LUOCTL"\? "\?8' || fail "luoctl.8: no .TH LUOCTL 8"
	head -n 40 "$m3" | grep -q '^\.TH "\?LIBLUO"\? "\?3' || fail "libluo.3: no .TH LIBLUO 3"
	t8=$(man_text "$m8")
	t3=$(man_text "$m3")
	# every command, option and exit code of luoctl's help texts
	for c in $(help_commands "$luoctl"); do
		grep -qw -- "$c" <<< "$t8" || fail "luoctl.8 lacks the command $c"
		for o in $("$luoctl" "$c" --help | help_options); do
			grep -q -- "$o\b" <<< "$t8" || fail "luoctl.8 lacks $c $o"
		done
	done
	for o in $("$luoctl" --help | sed -n '/^Global options:/,/^$/p' | help_options); do
		grep -q -- "$o\b" <<< "$t8" || fail "luoctl.8 lacks the global option $o"
	done
	codes=$("$luoctl" --help | sed -n '/^Exit status:/,$p' | sed -n 's/^  \([0-9]\)  .*/\1/p')
	[ -n "$codes" ] || fail "no exit codes in luoctl --help"
	# each code is a term (".TP" then ".B N") of the EXIT STATUS section
	ex=$(sed -n '/^\.SH "\?EXIT STATUS/,/^\.SH/p' <<< "$t8")
	for n in $codes; do
		grep -qx -- "\.B $n" <<< "$ex" || fail "luoctl.8 lacks exit status $n"
	done
	grep -q '^\.SH "\?JSON OUTPUT' <<< "$t8" || fail "luoctl.8 has no JSON OUTPUT section"
	grep -q 'schema' <<< "$t8" || fail "luoctl.8 does not describe the schema"
	for f in $(luo_h_functions); do
		grep -qw -- "$f" <<< "$t3" || fail "libluo.3 lacks $f()"
	done
	;;

completion)
	luoctl=$2
	comp=$src/bash-completion/luoctl
	cmds=$(help_commands "$luoctl")
	[ -n "$cmds" ] || fail "no commands in luoctl --help"
	# as listed in the file ...
	for c in $cmds; do
		grep -qw -- "$c" "$comp" || fail "completion file lacks the command $c"
	done
	# ... and as completed
	bash -c '
		source "$1" || exit 1
		comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
			 _luoctl; printf "%s\n" "${COMPREPLY[@]}"; }
		shift; luoctl=$1; cmds=$2
		for c in $cmds; do
			comp luoctl "" | grep -qx "$c" || { echo "luoctl <TAB>: no $c"; exit 1; }
		done
		for o in $("$luoctl" --help | sed -n "/^Global options:/,/^\$/p" |
			   grep -E "^ +-" | grep -oE "(^|[ ,])--?[a-zA-Z][a-zA-Z-]*" |
			   sed "s/^[ ,]//"); do
			comp luoctl - | grep -qx -- "$o" || { echo "luoctl -<TAB>: no $o"; exit 1; }
		done
		for c in $cmds; do
			[ "$c" = help ] && continue
			words=(luoctl "$c")
			if [ "$c" = policy ]; then
				for s in $("$luoctl" policy --help |
					   sed -n "s/^ *\(Usage:\)\? *luoctl policy \([a-z]*\).*/\2/p"); do
					comp luoctl policy "" | grep -qx "$s" ||
						{ echo "luoctl policy <TAB>: no $s"; exit 1; }
				done
				words=(luoctl policy attach)
			fi
			for o in $("$luoctl" "$c" --help | grep -E "^ +-" |
				   grep -oE "(^|[ ,])--?[a-zA-Z][a-zA-Z-]*" | sed "s/^[ ,]//"); do
				comp "${words[@]}" - | grep -qx -- "$o" ||
					{ echo "${words[*]} -<TAB>: no $o"; exit 1; }
			done
		done
		comp luoctl help "" | grep -qx status || { echo "luoctl help <TAB>: no status"; exit 1; }
	' _ "$comp" "$luoctl" "$cmds" 2>&1 | head -n 3 > "$tmp/completion.log"
	[ -s "$tmp/completion.log" ] && fail "$(cat "$tmp/completion.log")"
	exit 0
	;;

systemd)
	# the units as installed, with luoctl's path inside DESTDIR, checked
	# by systemd-analyze; the template as its default instance
	installed
	command -v systemd-analyze > /dev/null ||
		fail "systemd-analyze not found (Debian: apt-get install systemd)"
	u=$root/usr/lib/systemd/system
	mkdir -p "$tmp/units"
	sed "s|/usr/sbin/luoctl|$root/usr/sbin/luoctl|g" "$u/luo-policies.service" \
		> "$tmp/units/luo-policies.service" || fail "no luo-policies.service"
	sed "s|/usr/sbin/luoctl|$root/usr/sbin/luoctl|g" "$u/luo-finish@.service" \
		> "$tmp/units/luo-finish@multi-user.target.service" ||
		fail "no luo-finish@.service"
	systemd-analyze verify --man=no "$tmp/units/luo-policies.service" \
		"$tmp/units/luo-finish@multi-user.target.service" \
		> "$tmp/verify.log" 2>&1 || fail "systemd-analyze verify: $(tr '\n' ' ' < "$tmp/verify.log")"
	# luo-finish runs only in "updated": its ExecCondition, on a fake state
	cond=$(sed -n "s|^ExecCondition=/bin/sh -c '\(.*\)'$|\1|p" "$u/luo-finish@.service" |
		sed -e 's/\$\$/$/g' -e "s|/sys/kernel/liveupdate/state|$tmp/state|")
	[ -n "$cond" ] || fail "luo-finish@.service has no ExecCondition"
	for st in updated normal prepared; do
		echo $st > "$tmp/state"
		sh -c "$cond"
		r=$?
		[ $st = updated ] && [ $r != 0 ] && fail "ExecCondition refuses 'updated'"
		[ $st != updated ] && [ $r = 0 ] && fail "ExecCondition accepts '$st'"
	done
	exit 0
	;;

symbols)
	v=$(version)
	want=$(luo_h_functions)
	[ -n "$want" ] || fail "no LUO_API functions found in luo.h"
	so=$out/libluo.so.$v
	[ -f "$so" ] || fail "$so not built"
	nm -D --defined-only "$so" > "$tmp/nm.txt" || fail "nm -D $so failed"
	# "T luo_x@@LIBLUO_0.1"; the version node itself is an A symbol
	got=$(awk '$2 != "A" { print $3 }' "$tmp/nm.txt" | sed 's/@.*//' | sort)
	[ "$got" = "$want" ] || fail "exported symbols differ from luo.h:" \
		"$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	unversioned=$(awk '$2 != "A" && $3 !~ /@@?LIBLUO_/ { print $3 }' "$tmp/nm.txt")
	[ -z "$unversioned" ] || fail "symbols without a LIBLUO_ version: $unversioned"
	map=$(sed -n 's/^[[:space:]]*\(luo_[a-z0-9_]*\);/\1/p' "$src/libluo.map" | sort)
	[ "$map" = "$want" ] || fail "libluo.map differs from luo.h:" \
		"$(diff <(echo "$want") <(echo "$map") | grep '^[<>]' | tr '\n' ' ')"
	# the static library defines nothing outside the luo_ namespace
	other=$(nm -g --defined-only "$out/libluo.a" | awk 'NF == 3 { print $3 }' |
		grep -v '^luo_' | sort -u | tr '\n' ' ')
	[ -z "$other" ] || fail "libluo.a defines global symbols outside luo_: $other"
	;;

*)
	fail "usage: $0 fake-policy-dir DIR | install | files | symlinks | pkgconfig | man LUOCTL | completion LUOCTL | symbols"
	;;
esac
exit 0
