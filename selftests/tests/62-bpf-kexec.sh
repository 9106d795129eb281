# SPDX-License-Identifier: GPL-2.0
# A BPF participant in a real kexec live update. Its REBOOT runs in the old
# kernel (traced to the console with tracepoint_printk, checked by the host
# below). Programs do not survive kexec: in the new kernel FINISH reaches a
# BPF participant only once it has been attached again.
# vm-append: tp_printk
# console-expect: liveupdate_participant: event=reboot name=bkexec kind=bpf priority=1 ret=0
# console-expect: liveupdate_handover_out: seq=1 abi=1.0
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

case $LUO_STAGE in
1)
	ktap_plan 7
	# A REBOOT veto aborts the kexec: may_reboot runs on the kexec path.
	bpf_attach bveto 0 --set reboot_veto=16
	luo_w prepare 1 >/dev/null
	out=$(luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)" 2>&1)
	ktap_eq "may_reboot veto aborts the kexec, state normal" \
		"luo_kexec: reboot(RB_KEXEC): Device or resource busy normal" "$out $(luo_state)"
	ktap_eq "its reason is recorded" \
		"event=reboot policy=bveto errno=-16 sequence=0 reason=test reboot veto" "$(luo_failure)"
	bpf_detach_all
	bpf_attach bkexec 1
	ktap_eq "prepare with a BPF participant" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	echo 1 > $T/events/liveupdate/enable
	echo 1 > /proc/sys/kernel/tracepoint_printk
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "new kernel: updated, no BPF participant left" "updated " \
		"$(luo_state) $(cat $LUO/participants)"
	bpf_attach bkexec 1
	ktap_eq "finish reaches the re-attached BPF participant" "OK normal" \
		"$(luo_w finish 1) $(luo_state)"
	ktap_eq "its FINISH ran once, and saw state updated, sequence 1" \
		"finish_calls=1 last_state=2 last_sequence=1" \
		"$(luo_bpf vars bkexec | grep -e finish_calls -e last_state -e last_sequence | tr '\n' ' ' | sed 's/ $//')"
	ktap_eq "no REBOOT or PREPARE ran in this kernel" "prepare_calls=0 reboot_calls=0" \
		"$(luo_bpf vars bkexec | grep -e '^prepare_calls' -e '^reboot_calls' | tr '\n' ' ' | sed 's/ $//')"
	;;
esac
