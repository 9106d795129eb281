# SPDX-License-Identifier: GPL-2.0
# Mainline's kexec selftests on our kernel, in two stages around one kexec:
# luo_kexec_simple and luo_multi_session. A kselftest SKIP is a failure.
. "$LUO_ROOT/selftests/lib/ktap.sh"

ML=$LUO_TOOLS/liveupdate
# mainline NAME STAGE: run one, pass only on exit 0 without a SKIP
mainline() {
	local out rc

	out=$("$ML/$1" --stage "$2" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	if [ $rc -eq 0 ] && ! echo "$out" | grep -qi 'skip'; then
		ktap_ok "$1 stage $2 passes"
	else
		ktap_fail "$1 stage $2 passes" "exit $rc$(echo "$out" | grep -i -m1 skip | sed 's/^/, /')"
	fi
}

case $LUO_STAGE in
1)
	ktap_plan 4
	mainline luo_kexec_simple 1
	mainline luo_multi_session 1
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	mainline luo_kexec_simple 2
	mainline luo_multi_session 2
	;;
esac
