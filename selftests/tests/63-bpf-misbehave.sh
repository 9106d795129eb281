# SPDX-License-Identifier: GPL-2.0
# A misbehaving BPF participant: a return that is neither 0 nor -errno
# (mode 1), or a call that returns over its 20 ms budget (mode 2), in every
# op and on every path: dispatch, detach while prepared, last link
# reference dropped while prepared, detach while a slow transition runs.
# The host fails the test on any kernel problem in the console of this
# debug kernel (slab poisoning, kmemleak, lockdep; 65 repeats the paths under
# KASAN). Here: the step fails with the
# right errno, the instance is ejected with an exit record, and the rollback
# rule holds: each participant gets exactly one CANCEL per PREPARE that
# returned 0, the misbehaving one included.
# vm-slow
# vm-timeout: 1800
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

MB=$BPF_PROGS/misbehave.bpf.o
PIN=/sys/fs/bpf/luo
ERR=(ok EINVAL ETIMEDOUT)
KEXEC_ERR=(ok "Invalid argument" "Connection timed out")
KIND=(ok invalid-return over-budget)
ERRNO=(0 -22 -110)

# mb_attach NAME OP MODE: attach misbehave.bpf.o at priority 1, bad_OP=MODE
mb_attach() {
	luo_bpf attach "$MB" --name "$1" --priority 1 --timeout-ms 20 \
		--set "bad_$2=$3" >/dev/null 2>/tmp/attach.err || cat /tmp/attach.err
}

# mb_counts NAME: its PREPAREs that returned 0, and its CANCELs
mb_counts() {
	luo_bpf vars "$1" | grep -e '^prepare_ok=' -e '^cancel_calls=' |
		tr '\n' ' ' | sed 's/ $//'
}

# mb_exit NAME: its exit record, "kind op errno"
mb_exit() {
	grep "^$1 " $LUO/exits | tail -n 1 |
		sed 's/^[^ ]* kind=\([^ ]*\) op=\([^ ]*\) errno=\([^ ]*\) .*/\1 \2 \3/'
}

mb_reset() {
	luo_w reset 1 >/dev/null
	bpf_detach_all
	luo_test_setup "0 2"
}

case $LUO_STAGE in
1)
	ktap_plan 29
	luo_test_load

	# Dispatch: PREPARE and its policy check.
	for m in 1 2; do
		for op in prepare may_prepare; do
			mb_reset
			n=mb_${op}_$m
			mb_attach $n $op $m
			got="$(luo_w prepare 1) $(luo_state) [$(luo_test_log)]"
			bpf_gone $n
			if [ $op = prepare ]; then
				# Mode 2's PREPARE returned 0, late: its work is undone too.
				ok=$((m == 2 ? 1 : 0))
				want="${ERR[$m]} normal [prepare:0 cancel:0]"
			else
				ok=0
				want="${ERR[$m]} normal []"
			fi
			ktap_eq "$op mode $m: fails, rolls back, ejected, CANCELs match PREPAREs" \
				"$want | ${KIND[$m]} $op | prepare_ok=$ok cancel_calls=$ok" \
				"$got | $(mb_exit $n | cut -d' ' -f1-2) | $(mb_counts $n)"
		done
	done

	# Dispatch: REBOOT and its policy check, on the kexec path.
	for m in 1 2; do
		for op in reboot may_reboot; do
			mb_reset
			n=mb_${op}_$m
			mb_attach $n $op $m
			luo_w prepare 1 >/dev/null
			luo_test_log >/dev/null
			out=$(luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)" 2>&1)
			bpf_gone $n
			if [ $op = reboot ]; then
				want="reboot:0 cancel:1 cancel:0"
			else
				want="cancel:1 cancel:0"
			fi
			ktap_eq "$op mode $m: kexec aborted, everyone cancelled once" \
				"luo_kexec: reboot(RB_KEXEC): ${KEXEC_ERR[$m]} normal [$want] | ${KIND[$m]} $op | prepare_ok=1 cancel_calls=1" \
				"$out $(luo_state) [$(luo_test_log)] | $(mb_exit $n | cut -d' ' -f1-2) | $(mb_counts $n)"
		done
	done

	# Dispatch: CANCEL itself misbehaves, from cancel and from reset.
	for m in 1 2; do
		for how in cancel reset; do
			mb_reset
			n=mb_${how}_$m
			mb_attach $n cancel $m
			luo_w prepare 1 >/dev/null
			luo_test_log >/dev/null
			got="$(luo_w $how 1) $(luo_state) [$(luo_test_log)]"
			bpf_gone $n
			ktap_eq "cancel mode $m through $how: recorded, others still cancelled" \
				"OK normal [cancel:1 cancel:0] | event=cancel participant=$n errno=${ERRNO[$m]} | ${KIND[$m]} cancel | prepare_ok=1 cancel_calls=1" \
				"$got | $(luo_failure | cut -d' ' -f1-3) | $(mb_exit $n | cut -d' ' -f1-2) | $(mb_counts $n)"
		done
	done

	# Detach paths: the instance's owed CANCEL misbehaves while it leaves.
	for m in 1 2; do
		# Detach (BPF_LINK_DETACH) while prepared.
		mb_reset
		n=mb_detach_$m
		mb_attach $n cancel $m
		luo_w prepare 1 >/dev/null
		luo_test_log >/dev/null
		mv /sys/fs/bpf/luo-aux/$n /sys/fs/bpf/luo-aux/k$n
		luo_bpf detach $n >/dev/null 2>&1
		ktap_eq "cancel mode $m, detach while prepared: CANCEL once, others stay prepared" \
			"prepared [] | ${KIND[$m]} cancel | prepare_ok=1 cancel_calls=1" \
			"$(luo_state) [$(luo_test_log)] | $(mb_exit $n | cut -d' ' -f1-2) | $(mb_counts k$n)"
		ktap_eq "cancel mode $m, after the detach: cancel reaches the others only" \
			"OK normal [cancel:1 cancel:0] prepare_ok=1 cancel_calls=1" \
			"$(luo_w cancel 1) $(luo_state) [$(luo_test_log)] $(mb_counts k$n)"

		# The last link reference goes while prepared (the pin is removed).
		mb_reset
		n=mb_unpin_$m
		mb_attach $n cancel $m
		luo_w prepare 1 >/dev/null
		luo_test_log >/dev/null
		rm $PIN/$n
		bpf_gone $n
		ktap_eq "cancel mode $m, last reference dropped while prepared: CANCEL once" \
			"prepared [] | ${KIND[$m]} cancel | prepare_ok=1 cancel_calls=1" \
			"$(luo_state) [$(luo_test_log)] | $(mb_exit $n | cut -d' ' -f1-2) | $(mb_counts $n)"
		ktap_eq "cancel mode $m, after the last reference: cancel reaches the others only" \
			"OK normal [cancel:1 cancel:0] prepare_ok=1 cancel_calls=1" \
			"$(luo_w cancel 1) $(luo_state) [$(luo_test_log)] $(mb_counts $n)"

		# Detach while a slow PREPARE (native luo_test_0, 2 s) runs.
		mb_reset
		n=mb_slow_$m
		mb_attach $n cancel $m
		luo_test_inject "delay 0 2000"
		luo_w prepare 1 > /tmp/prep.out &
		sleep 0.5
		mv /sys/fs/bpf/luo-aux/$n /sys/fs/bpf/luo-aux/k$n
		luo_bpf detach $n >/dev/null 2>&1
		wait
		luo_test_inject none
		ktap_eq "cancel mode $m, detach during a slow PREPARE: waits, then CANCEL once" \
			"OK prepared [prepare:0 prepare:1] | ${KIND[$m]} cancel | prepare_ok=1 cancel_calls=1" \
			"$(cat /tmp/prep.out) $(luo_state) [$(luo_test_log)] | $(mb_exit $n | cut -d' ' -f1-2) | $(mb_counts k$n)"
	done

	# Stock bpftool: register, prepare, remove the pin (defect 1 as found).
	mb_reset
	mkdir -p /sys/fs/bpf/bt
	bpftool struct_ops register $BPF_PROGS/cancel_bad.bpf.o /sys/fs/bpf/bt >/dev/null 2>&1
	luo_w prepare 1 >/dev/null
	rm -f /sys/fs/bpf/bt/cancel_bad
	bpf_gone cancel_bad
	ktap_eq "bpftool instance unpinned while prepared, CANCEL returns 1: recorded, alive" \
		"prepared | invalid-return cancel -22 | 0 native luo_test_0|2 native luo_test_1|" \
		"$(luo_state) | $(mb_exit cancel_bad) | $(tr '\n' '|' < $LUO/participants)"
	ktap_eq "and the others can still be cancelled" "OK normal" "$(luo_w cancel 1) $(luo_state)"

	# FINISH misbehaving needs an updated kernel: kexec with two instances.
	mb_reset
	luo_test_setup clear 2>/dev/null || echo clear > $LUO_TEST/participants
	ktap_eq "prepare for the kexec" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "next kernel boots updated" updated "$(luo_state)"
	mb_attach mb_finish_1 finish 1
	mb_attach mb_finish_2 finish 2
	ktap_eq "finish with two misbehaving FINISHes: completes, normal" "OK normal" \
		"$(luo_w finish 1) $(luo_state)"
	bpf_gone mb_finish_1
	bpf_gone mb_finish_2
	ktap_eq "both ejected with their exit records" \
		"invalid-return finish -22|over-budget finish -110" \
		"$(mb_exit mb_finish_1)|$(mb_exit mb_finish_2)"
	ktap_eq "the FINISH failure is recorded" "event=finish" \
		"$(luo_failure | cut -d' ' -f1)"
	;;
esac
