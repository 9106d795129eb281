# SPDX-License-Identifier: GPL-2.0
# luoctl against the real kernel: every command, bad input, and a whole
# live update: luoctl load + luoctl update, then luoctl finish.
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

# lc EXPECTED-EXIT NAME luoctl-args...: run luoctl, check its exit code;
# its output is left in /tmp/lc.out
lc() {
	local want=$1 name=$2 rc

	shift 2
	luoctl "$@" > /tmp/lc.out 2>&1
	rc=$?
	if [ $rc = "$want" ]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "exit $rc, want $want: $(tail -n 2 /tmp/lc.out | tr '\n' ' ')"
	fi
}
out_has() { grep -q -- "$1" /tmp/lc.out; }
# every pin in the policy directory and its maps' directory
pins() { find /sys/fs/bpf/luo /sys/fs/bpf/luo-aux -mindepth 1 2>/dev/null | tr '\n' ' '; }
json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' < /tmp/lc.out; }

case $LUO_STAGE in
1)
	ktap_plan 67
	luo_test_load
	luo_test_setup "0 1"
	lc 0 "status" status
	ktap_cmd "status says normal" out_has "normal"
	lc 0 "status --json" --json status
	ktap_cmd "status --json is JSON" json_ok
	lc 0 "participants" participants
	ktap_cmd "participants lists luo_test_1" out_has "luo_test_1"
	lc 0 "prepare" prepare
	lc 3 "prepare again: wrong state, exit 3" prepare
	lc 0 "cancel" cancel
	lc 3 "finish in normal: wrong state, exit 3" finish
	luo_test_inject "prepare 1 -5"
	lc 6 "prepare refused by a participant: exit 6" prepare
	ktap_cmd "the refusal names participant and errno" \
		out_has "failed in participant 'luo_test_1'.*(EIO)"
	luo_test_inject none
	bpf_attach pol 0 --set veto=1 --flags 1
	lc 5 "prepare vetoed by a policy: exit 5" prepare
	ktap_cmd "the veto names policy, reason and errno" \
		out_has "refused by policy 'pol': test veto (EPERM)"
	bpf_detach_all
	lc 0 "policy attach OBJ --name" policy attach "$BPF_PROGS/participant.bpf.o" --name pp
	ktap_cmd "the policy is a participant" grep -q "bpf pp" $LUO/participants
	lc 0 "policy list" policy list
	ktap_cmd "policy list shows it" out_has "pp"
	lc 0 "policy detach" policy detach pp
	ktap_eq "detached: no BPF participant left" "" "$(grep bpf $LUO/participants)"
	ktap_eq "policy detach leaves no pin behind" "" "$(ls -A /sys/fs/bpf/luo 2>/dev/null)"
	lc 2 "policy attach with a dotted name: refused, exit 2" \
		policy attach "$BPF_PROGS/participant.bpf.o" --name a.b
	ktap_eq "the dotted name loaded and pinned nothing" "0 " \
		"$(grep -c ' bpf ' $LUO/participants) $(ls -A /sys/fs/bpf/luo 2>/dev/null)"
	# One loading path: the test loader's pins (link and globals) are
	# libluo's, so luoctl removes them all.
	bpf_attach gl 0
	lc 0 "policy detach of an instance with pinned globals" policy detach gl
	ktap_eq "detach removes the globals' pins too" "" "$(pins)"
	lc 1 "policy attach of a program the verifier refuses: exit 1" \
		policy attach "$BPF_PROGS/bad_sleepable_reboot.bpf.o" --name badrb
	ktap_cmd "the message ends with the verifier's reason" \
		out_has "(verifier: attach to unsupported member reboot"
	ktap_eq "the refused program left no pin and no participant" "0 " \
		"$(grep -c ' bpf ' $LUO/participants) $(pins)"
	ktap_cmd "without -d libbpf says nothing" sh -c '! grep -q "^libbpf: " /tmp/lc.out'
	lc 1 "-d policy attach: the same refusal" \
		-d policy attach "$BPF_PROGS/bad_sleepable_reboot.bpf.o" --name badrb
	ktap_cmd "-d shows libbpf's messages and the verifier's log" \
		sh -c 'grep -q "^libbpf: " /tmp/lc.out && grep -q "^verifier log:" /tmp/lc.out'
	# watch is lossless: a prepare and a cancel back to back, then a veto.
	luoctl watch -j --count 3 --timeout 60000 > /tmp/watch.out 2> /tmp/watch.err &
	w=$!
	for i in $(seq 100); do grep -q watching /tmp/watch.err && break; sleep 0.1; done
	luo_w prepare 1 >/dev/null
	luo_w cancel 1 >/dev/null
	bpf_attach pol 0 --set veto=1 --flags 1
	luo_w prepare 1 >/dev/null
	wait $w
	bpf_detach_all
	ktap_eq "watch -j: both transitions of a back-to-back prepare+cancel, then the veto" \
		"transition normal prepared 0 sysfs|transition prepared normal 0 sysfs|veto prepare pol -1 test veto|" \
		"$(python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e["kind"] == "transition":
        print(e["kind"], e["from"], e["to"], e["sequence"], e["cause"], end="|")
    else:
        print(e["kind"], e["event"], e["policy"], e["errno"], e["detail"], end="|")
' < /tmp/watch.out 2>&1)"
	# Bad input: clear message, exit 2 (or 1 for a bad object), nothing changed.
	lc 2 "load: missing kernel file" load /nonexistent/bzImage
	lc 2 "load: not a kernel" load /etc/passwd
	lc 1 "policy attach: not a BPF object" policy attach /etc/passwd
	lc 2 "unknown command" frobnicate
	ktap_eq "bad input changed nothing" "normal 0" \
		"$(luo_state) $(cat /sys/kernel/kexec_loaded)"
	# A command line that would lose the live update.
	lc 2 "load without liveupdate=on: refused, exit 2" \
		load "$LUO_KERNEL" --cmdline "console=ttyS0"
	ktap_cmd "the refusal says why" out_has "liveupdate=on"
	ktap_eq "the refused load loaded nothing" 0 "$(cat /sys/kernel/kexec_loaded)"
	lc 0 "load --force: loaded" load "$LUO_KERNEL" --cmdline "console=ttyS0" --force
	ktap_cmd "load --force warns" out_has "warning: the next kernel"
	ktap_eq "load --force loaded it" 1 "$(cat /sys/kernel/kexec_loaded)"
	lc 0 "unload" unload
	ktap_eq "unload unloaded it" 0 "$(cat /sys/kernel/kexec_loaded)"
	# The default command line: this kernel's, which keeps live update on.
	lc 0 "load --check: the running kernel's command line" load --check "$LUO_KERNEL"
	ktap_eq "load --check prints it, spaces squeezed" \
		"command line: $(tr -s ' \n' '  ' < /proc/cmdline | sed 's/^ //; s/ $//')" \
		"$(grep '^command line: ' /tmp/lc.out)"
	# update --dry-run, the preflight: a kernel must be loaded; the policies
	# are asked through check, and no handler is called.
	lc 1 "update --dry-run without a loaded kernel: exit 1" update --dry-run
	ktap_cmd "it says no kernel is loaded" out_has "no kexec kernel loaded"
	luoctl load "$LUO_KERNEL" >/dev/null 2>&1
	echo > $T/trace
	echo 1 > $T/events/liveupdate/enable
	lc 0 "update --dry-run" update --dry-run
	bpf_attach pol 0 --set veto=1 --flags 1
	lc 5 "update --dry-run with a veto: exit 5" update --dry-run
	ktap_cmd "the dry run names the veto" out_has "refused by policy 'pol': test veto (EPERM)"
	echo 0 > $T/events/liveupdate/enable
	ktap_eq "the dry runs called no handler and changed nothing" "normal 0 1" \
		"$(luo_state) $(grep -c 'liveupdate_participant:' $T/trace) $(grep -c 'liveupdate_policy_verdict:.*verdict=-1 ' $T/trace)"
	bpf_detach_all
	# More participants than the kernel lists in a page.
	echo "many 300" > $LUO_TEST/participants
	lc 0 "participants, a listing longer than a page" participants
	ktap_cmd "it says how many the kernel left out" out_has "more"
	lc 0 "participants --json, longer than a page" --json participants
	ktap_eq "the JSON counts the ones left out" ok "$(python3 -c '
import json
d = json.load(open("/tmp/lc.out"))
print("ok" if d["omitted"] > 0 and len(d["participants"]) + d["omitted"] >= 300 else d)
' 2>&1 | tail -c 200)"
	echo clear > $LUO_TEST/participants
	luo_test_setup "0 1"
	# A REBOOT veto through luoctl update: the kernel is back in normal.
	luoctl load "$LUO_KERNEL" >/dev/null 2>&1
	bpf_attach rv 0 --set reboot_veto=1
	lc 5 "update with a REBOOT veto: exit 5" update
	ktap_cmd "it names the vetoing policy" out_has "refused by policy 'rv'"
	ktap_eq "after the REBOOT veto the state is normal" normal "$(luo_state)"
	bpf_detach_all
	luoctl load "$LUO_KERNEL" --cmdline "$(luo_next_cmdline)" >/dev/null 2>&1
	ktap_info "luoctl update: prepare + kexec"
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	luoctl update
	ktap_bail "luoctl update returned"
	;;
2)
	lc 0 "stage 2: status" status
	ktap_cmd "stage 2: state updated, sequence 1" sh -c \
		"grep -q updated /tmp/lc.out && grep -q 'sequence: *1' /tmp/lc.out"
	lc 0 "stage 2: stats --prometheus" stats --prometheus
	ktap_eq "stage 2: prometheus says updated, sequence 1, a blackout" "1 1 1" \
		"$(grep -cx 'luo_state{state="updated"} 1' /tmp/lc.out) $(grep -cx 'luo_sequence 1' /tmp/lc.out) $(awk '/^luo_last_blackout_seconds / { print ($2 > 0) }' /tmp/lc.out)"
	lc 0 "stage 2: finish" finish
	lc 0 "stage 2: stats --json with a blackout" --json stats
	ktap_eq "stage 2: back to normal" normal "$(luo_state)"
	;;
esac
