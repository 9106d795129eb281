# SPDX-License-Identifier: GPL-2.0
# Mainline's own liveupdate selftest: our regression guard.
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
out=$("$LUO_TOOLS/liveupdate/liveupdate" 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
summary=$(echo "$out" | grep -o 'Totals: .*')
if [ $rc -eq 0 ]; then
	ktap_ok "mainline liveupdate selftest passes ($summary)"
else
	ktap_fail "mainline liveupdate selftest passes" "exit $rc, $summary"
fi
