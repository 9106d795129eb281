#!/bin/bash
# Fail when an option of the fragment did not survive olddefconfig, which
# means a missing dependency: the kernel would silently lack a feature.
config=$1 fragment=$2
bad=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	grep -qx -- "$line" "$config" && continue
	echo "check-config: $line requested but not set (missing dependency?)" >&2
	bad=1
done < "$fragment"
exit $bad
