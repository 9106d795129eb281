# SPDX-License-Identifier: GPL-2.0
# Helpers for orchestrator tests (sourced after ktap.sh).

LUO=/sys/kernel/liveupdate
LUO_TEST=/sys/kernel/debug/luo_test

luo_state() { cat $LUO/state; }

# luo_w FILE DATA: write to /sys/kernel/liveupdate/FILE, print OK or errno name
luo_w() { luo_sysfs write "$LUO/$1" "$2"; }

luo_test_load() {
	lsmod 2>/dev/null | grep -q '^luo_test ' ||
		insmod "$LUO_MODS/luo_test/luo_test.ko" || ktap_bail "cannot load luo_test.ko"
	echo clear > $LUO_TEST/participants
	echo none > $LUO_TEST/inject
	echo > $LUO_TEST/log
}

# luo_test_setup "P0 P1 ...": fresh participants with these priorities
luo_test_setup() {
	echo "$1" > $LUO_TEST/participants || ktap_bail "cannot register '$1'"
	echo none > $LUO_TEST/inject
	echo > $LUO_TEST/log
}

luo_test_inject() { echo "$1" > $LUO_TEST/inject; }

# The callback log, as one line: "prepare:0 prepare:1 cancel:0"
luo_test_log() {
	sed 's/^\([a-z]*\) luo_test_\([0-9]*\)$/\1:\2/' $LUO_TEST/log | tr '\n' ' ' | sed 's/ $//'
	echo > $LUO_TEST/log
}

# last_failure without its time stamp (sequence= stays: tests check it)
luo_failure() { sed 's/ time_ns=[0-9]*//' $LUO/last_failure; }
