# SPDX-License-Identifier: GPL-2.0
# A handover from a kernel that does not know the block's advisory tail
# (only the 72 bytes of ABI 1.0: no stamps, no REBOOT durations) is
# honoured: the next kernel boots updated, and reports the blackout without
# the phases it cannot know.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

case $LUO_STAGE in
1)
	ktap_plan 5
	luo_test_load
	luo_test_setup "0 1"
	ktap_eq "handover published without its advisory tail, 72 bytes" "OK" \
		"$(luo_sysfs write /sys/kernel/debug/liveupdate/abi_override '1.0 72')"
	ktap_eq "prepare" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "the short block is honoured: updated, sequence 1" "updated 1" \
		"$(luo_state) $(cat $LUO/sequence)"
	ktap_eq "only what it carries: the blackout, then this kernel's initcalls and init" \
		"blackout initcalls userspace" "$(cut -d' ' -f1 $LUO/blackout | tr '\n' ' ' | sed 's/ $//')"
	ktap_eq "the blackout is last_blackout_ns" "$(cat $LUO/last_blackout_ns)" \
		"$(sed -n 's/^blackout //p' $LUO/blackout)"
	;;
esac
