# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest: one live update with 64 no-op native
# participants, for the blackout phase by phase. Stage 1 prepares and
# kexecs; stage 2 prints "BENCH bo_<phase> <ns>" from sysfs blackout
# (instructions under -icount shift=0), or "BENCH_FAIL <why>".
. "$LUO_ROOT/selftests/lib/ktap.sh"
LUO=/sys/kernel/liveupdate
LT=/sys/kernel/debug/luo_test

fail() { echo "BENCH_FAIL $*"; exit 1; }

case $LUO_STAGE in
1)
	insmod "$LUO_MODS/luo_test/luo_test.ko" || fail "insmod luo_test"
	echo 0 > $LT/record
	echo "many 64" > $LT/participants
	[ "$(grep -c ' luo_test_' $LUO/participants)" = 64 ] || fail "not 64 participants"
	echo 1 > $LUO/prepare || fail "prepare"
	luo_kexec_next
	fail "kexec returned"
	;;
2)
	[ "$(awk '$4 == "reboot"' /sys/kernel/debug/liveupdate/last_update | wc -l)" = 64 ] ||
		fail "not 64 REBOOT records handed over"
	sed -n 's/^\([a-z]*\) \([0-9]*\)$/BENCH bo_\1 \2/p' $LUO/blackout
	;;
esac
