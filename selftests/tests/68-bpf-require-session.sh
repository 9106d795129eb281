# SPDX-License-Identifier: GPL-2.0
# The bundled require-session policy, which reads mainline LUO's outgoing
# sessions (bpf_liveupdate_session_*): it vetoes REBOOT with a missing
# session or one holding too few files (the kexec is aborted, the machine
# stays up, every participant is cancelled), and lets the live update go
# once a memfd session with enough files is handed over. Stock bpftool
# registers it too, with its default rule (at least one session).
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

OBJ=$BPF_OUT/policies/require_session.bpf.o
# kexec: the result, the state and the participants' callbacks after it
try_kexec() {
	local out

	out=$(luo_kexec "$@" 2>&1)
	echo "$out $(luo_state) $(luo_test_log)"
}

case $LUO_STAGE in
1)
	ktap_plan 11
	luo_test_load
	luo_test_setup "0 1"
	luo-require-session >/dev/null 2>&1
	r1=$?
	luo-require-session "$(printf 'x%.0s' $(seq 64))" >/dev/null 2>&1
	r2=$?
	luo-require-session --min-files -1 vm1 >/dev/null 2>&1
	ktap_eq "bad arguments are refused before anything is loaded" "2 2 2 " \
		"$r1 $r2 $? $(ls /sys/fs/bpf/luo 2>/dev/null)"

	mkdir -p /sys/fs/bpf/luo
	bpftool struct_ops register "$OBJ" /sys/fs/bpf/luo >/dev/null 2>&1
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	ktap_eq "stock bpftool, no session at all: REBOOT vetoed, everyone cancelled" \
		"luo_kexec: reboot(RB_KEXEC): No such file or directory normal cancel:1 cancel:0" \
		"$(try_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)")"
	ktap_eq "with the default rule's reason" \
		"event=reboot policy=require_session errno=-2 sequence=0 reason=no session is handed over" \
		"$(luo_failure)"
	rm -f /sys/fs/bpf/luo/require_session

	ktap_eq "the loader attaches it" \
		"attached require_session: REBOOT requires vm1 with at least 2 files each" \
		"$(luo-require-session --min-files 2 vm1)"
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	ktap_eq "session vm1 missing: vetoed, the machine stays up" \
		"luo_kexec: reboot(RB_KEXEC): No such file or directory normal cancel:1 cancel:0" \
		"$(try_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)")"
	ktap_eq "the reason names it" \
		"event=reboot policy=require_session errno=-2 sequence=0 reason=session 'vm1' is not handed over" \
		"$(luo_failure)"
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	ktap_eq "vm1 with one file of two: vetoed" \
		"luo_kexec: reboot(RB_KEXEC): Resource temporarily unavailable normal cancel:1 cancel:0" \
		"$(try_kexec session-exec "$LUO_KERNEL" "$(luo_next_cmdline)" vm1 1)"
	ktap_eq "the reason says why" \
		"event=reboot policy=require_session errno=-11 sequence=0 reason=session 'vm1' holds too few files" \
		"$(luo_failure)"
	ktap_eq "another session does not count" \
		"luo_kexec: reboot(RB_KEXEC): No such file or directory normal" \
		"$(luo_w prepare 1 >/dev/null; try_kexec session-exec "$LUO_KERNEL" "$(luo_next_cmdline)" vm2 3 | cut -d" " -f1-8)"
	luo_w prepare 1 >/dev/null
	luo_kexec session-exec "$LUO_KERNEL" "$(luo_next_cmdline)" vm1 2
	ktap_bail "vm1 with two files: the kexec did not happen"
	;;
2)
	ktap_eq "vm1 with two files: the live update went through" "updated 1" \
		"$(luo_state) $(cat $LUO/sequence)"
	ktap_eq "finish" "OK normal" "$(luo_w finish 1) $(luo_state)"
	;;
esac
