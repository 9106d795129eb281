#!/bin/bash
# Every command that the repo's scripts call comes from a package on
# scripts/deps.txt, or from one that every Debian system has (Essential).
# Candidate words come from the shell scripts and makefiles of the repo,
# comments dropped; a word is a command when it resolves to a file on PATH
# that a package owns. A tool installed by hand and not listed is reported
# here, before a fresh CI machine lacks it. KTAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
list=${LUO_DEPS_LIST:-$top/scripts/deps.txt}

echo "TAP version 13"
echo "1..2"
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "not ok 1 deps: dpkg-query found # not a Debian system"
	echo "not ok 2 deps: every command's package is listed # not a Debian system"
	exit 1
fi
echo "ok 1 deps: dpkg-query found"

listed=$(sed -e 's/#.*//' -e '/^\[/d' "$list" | awk 'NF { print $1 }' | sort -u)

files=$(cd "$top" && git ls-files '*.sh' '*Makefile' '*.mk' '.ci/run' 'selftests/tests/*' |
	sort -u)
if [ -z "$files" ]; then
	echo "not ok 2 deps: every command's package is listed # no script found (git ls-files in $top)"
	exit 1
fi
# The first word of each command: at the start of a line, or after a pipe,
# a list operator, a subshell or a keyword, past variable assignments.
# Single-quoted text (awk and sed programs) and double-quoted text without a
# command substitution are dropped first.
words=$(cd "$top" && sed -e 's/^[[:space:]]*#.*//' -e 's/[[:space:]]#.*//' $files </dev/null |
	sed -E -e "s/'[^']*'//g" -e 's/"([^"$]|\$[^(])*"//g' |
	sed -E 's/(\|\||&&|[|;`(]|\$\(|\b(then|do|else|exec|time|command|xargs( -r)?) )/\n/g' |
	sed -E -e 's/^[[:space:]@!-]*//' -e 's/^([A-Za-z_][A-Za-z0-9_]*=("[^"]*"|[^ ]*) +)+//' |
	grep -oE '^[a-z][a-z0-9_.+-]*[a-z0-9]([[:space:]>;]|$)' | sed 's/[[:space:]>;]$//' | sort -u)

# word TAB a file it may run, for the words that are commands outside the
# repo. A command chosen by update-alternatives may run any candidate (gawk
# or mawk for awk): each is a line, and one covered candidate is enough.
cmds=$(for w in $words; do
	p=$(type -P "$w" 2>/dev/null) || continue
	case $p in "$top"/*) continue ;; esac
	alt=$(readlink "$p" 2>/dev/null)
	case $alt in
	/etc/alternatives/*)
		update-alternatives --list "${alt##*/}" 2>/dev/null |
			while read -r c; do printf '%s\t%s\n' "$w" "$(realpath "$c")"; done ;;
	esac
	printf '%s\t%s\n' "$w" "$(realpath "$p")"
done | sort -u)

# Covered: the listed packages and all they depend on, and whatever every
# Debian system has (Essential or priority required).
covered=$(dpkg-query -W -f='${Package}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\n' |
	awk -F'\t' -v listed="$(echo $listed)" '
	BEGIN { n = split(listed, l, " "); for (i = 1; i <= n; i++) want[l[i]] = 1 }
	{ base[$1] = ($2 == "yes" || $3 == "required"); deps[$1] = $4 }
	END {
		for (p in want) queue[++q] = p
		for (i = 1; i <= q; i++) {
			p = queue[i]
			if (p in seen) continue
			seen[p] = 1
			m = split(deps[p], d, /[,|]/)
			for (j = 1; j <= m; j++) {
				x = d[j]; sub(/^ +/, "", x); sub(/[ :(].*/, "", x)
				if (x != "" && !(x in seen)) queue[++q] = x
			}
		}
		for (p in seen) print p
		for (p in base) if (base[p]) print p
	}' | sort -u)

# One dpkg -S for all files: "package[, package]: /path", diversions left
# out. usr-merge: a file under /usr/bin may be registered as /bin.
owners=$(cut -f2 <<<"$cmds" | sed 'p; s|^/usr||' | sort -u | xargs -r dpkg -S 2>/dev/null |
	grep -v '^diversion by ')
# word TAB package TAB covered(0/1), one line per candidate file
verdicts=$(while IFS=$'\t' read -r w p; do
	[ -n "$w" ] || continue
	pkg=$(awk -v p="$p" -v q="${p#/usr}" '{ f = $NF } f == p || f == q {
		sub(/: [^ ]*$/, ""); print; exit }' <<<"$owners")
	[ -n "$pkg" ] || continue	# not from a package (pyenv, /usr/local)
	pkg=${pkg%%,*} pkg=${pkg%%:*}
	grep -qxF "$pkg" <<<"$covered" && c=1 || c=0
	printf '%s\t%s\t%s\n' "$w" "$pkg" "$c"
done <<<"$cmds")
bad=$(awk -F'\t' 'NF == 3 { if ($3) ok[$1] = 1; else if (!($1 in pkg)) pkg[$1] = $2 }
	END { for (w in pkg) if (!(w in ok)) printf " %s(%s)", w, pkg[w] }' <<<"$verdicts")

if [ -z "$bad" ]; then
	echo "ok 2 deps: every command's package is listed"
else
	echo "not ok 2 deps: every command's package is listed # not in scripts/deps.txt:$bad"
	exit 1
fi
