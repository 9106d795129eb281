#!/bin/bash
# check-config.sh CONFIG FRAGMENT: fail when an option of the fragment (the
# last value of each wins) did not survive olddefconfig, which means a
# missing dependency: the kernel would silently lack a feature.
config=$1 fragment=$2
bad=0
while IFS='=' read -r opt val; do
	if [ "$val" = n ]; then
		grep -q "^$opt=[ym]" "$config" || continue
	else
		grep -qx -- "$opt=$val" "$config" && continue
	fi
	echo "check-config: $opt=$val requested but not set (missing dependency?)" >&2
	bad=1
done < <(grep -h '^CONFIG_[A-Z0-9_]*=' "$fragment" | awk -F= '{ v[$1] = $0 } END { for (k in v) print v[k] }')
exit $bad
