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
# vetoed DESC ERRNO-TEXT ERRNO REASON LUO_KEXEC-ARGS...: prepare, try the
# kexec: it fails with ERRNO-TEXT, the machine stays up in normal, both
# participants got their CANCEL, and last_failure names the policy.
vetoed() {
	local desc=$1 text=$2 err=$3 reason=$4 out

	shift 4
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	out=$(luo_kexec "$@" 2>&1)
	ktap_eq "$desc" "luo_kexec: reboot(RB_KEXEC): $text normal cancel:1 cancel:0 | \
event=reboot policy=require_session errno=-$err sequence=0 reason=$reason" \
		"$out $(luo_state) $(luo_test_log) | $(luo_failure)"
}

case $LUO_STAGE in
1)
	ktap_plan 8
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
	vetoed "stock bpftool, no session at all: REBOOT vetoed with the default rule's reason" \
		"No such file or directory" 2 "no session is handed over" \
		exec "$LUO_KERNEL" "$(luo_next_cmdline)"
	rm -f /sys/fs/bpf/luo/require_session

	ktap_eq "the loader attaches it" \
		"attached require_session: REBOOT requires vm1 with at least 2 files each" \
		"$(luo-require-session --min-files 2 vm1)"
	vetoed "session vm1 missing: vetoed, the machine stays up, the reason names it" \
		"No such file or directory" 2 "session 'vm1' is not handed over" \
		exec "$LUO_KERNEL" "$(luo_next_cmdline)"
	vetoed "vm1 with one file of two: vetoed, the reason says why" \
		"Resource temporarily unavailable" 11 "session 'vm1' holds too few files" \
		session-exec "$LUO_KERNEL" "$(luo_next_cmdline)" vm1 1
	vetoed "another session does not count" \
		"No such file or directory" 2 "session 'vm1' is not handed over" \
		session-exec "$LUO_KERNEL" "$(luo_next_cmdline)" vm2 3
	luo_w prepare 1 >/dev/null
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	luo_kexec session-exec "$LUO_KERNEL" "$(luo_next_cmdline)" vm1 2
	ktap_bail "vm1 with two files: the kexec did not happen"
	;;
2)
	ktap_eq "vm1 with two files: the live update went through" "updated 1" \
		"$(luo_state) $(cat $LUO/sequence)"
	ktap_eq "finish" "OK normal" "$(luo_w finish 1) $(luo_state)"
	;;
esac
