# SPDX-License-Identifier: GPL-2.0
# After REBOOT the kexec goes through device shutdown, where a driver may
# hold the orchestrator state or unregister its participant: the state lock
# is no longer held there, so neither deadlocks, and the live update still
# completes (no CANCEL: it was not rolled back).
# vm-append: loglevel=7
# console-expect: luo_test: reboot notifier: read the state, unregistered 3 participants
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

case $LUO_STAGE in
1)
	ktap_plan 4
	luo_test_load
	luo_test_setup "0 1 2"
	echo 1 > $LUO_TEST/reboot_hook
	ktap_eq "prepared, the module's reboot notifier armed" "OK prepared" \
		"$(luo_w prepare 1) $(luo_state)"
	echo 1 > /sys/kernel/tracing/events/liveupdate/liveupdate_participant/enable
	echo 1 > /proc/sys/kernel/tracepoint_printk
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "the live update completed: updated, sequence 1" "updated 1" \
		"$(luo_state) $(cat $LUO/sequence)"
	ktap_eq "finish" "OK normal" "$(luo_w finish 1) $(luo_state)"
	ktap_eq "a new update can be prepared" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	;;
esac
