# SPDX-License-Identifier: GPL-2.0
# BPF participants and policies in the one ordered dispatch: attach and
# detach through libbpf and bpftool, order, vetoes, rollback, ejection.
# vm-timeout: 1200
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

ktap_plan 25
luo_test_load
trace_on

# Attach, list, detach: libbpf (luo_bpf) and bpftool.
bpf_attach b0 0
ktap_eq "libbpf attach: listed as a bpf participant" "0 bpf b0" "$(cat $LUO/participants)"
ktap_eq "a second instance with the same name: EEXIST" "File exists" \
	"$(luo_bpf attach $BPF_PROGS/participant.bpf.o --name b0 2>&1 | grep -o 'File exists' | head -1)"
mkdir -p /sys/fs/bpf/bpftool
out=$(bpftool struct_ops register $BPF_OUT/policies/audit.bpf.o /sys/fs/bpf/bpftool 2>&1)
ktap_eq "bpftool struct_ops register attaches" "0 bpf b0|0 bpf audit|" \
	"$(tr '\n' '|' < $LUO/participants)"
ktap_cmd "bpftool struct_ops list shows both" sh -c \
	"bpftool struct_ops list | grep -q 'participant *liveupdate_ops' && bpftool struct_ops list | grep -q 'audit *liveupdate_ops'"
bpftool struct_ops unregister name audit >/dev/null 2>&1
rm -f /sys/fs/bpf/bpftool/audit
ktap_eq "bpftool struct_ops unregister detaches" "0 bpf b0" "$(cat $LUO/participants)"
luo_bpf detach b0 >/dev/null
ktap_eq "libbpf detach (unpin) detaches" "" "$(cat $LUO/participants)"

# Mixed order: native luo_test_0 (0), luo_test_1 (2); BPF b0 (0), b1 (1).
luo_test_setup "0 2"
bpf_attach b1 1
bpf_attach b0 0
echo > $T/trace
luo_w prepare 1 >/dev/null
ktap_eq "native and BPF run in one priority order" \
	"prepare:luo_test_0 prepare:b0 prepare:b1 prepare:luo_test_1" "$(trace_calls)"
luo_w cancel 1 >/dev/null
ktap_eq "CANCEL in reverse, native and BPF" \
	"cancel:luo_test_1 cancel:b1 cancel:b0 cancel:luo_test_0" "$(trace_calls)"
ktap_eq "kfuncs: the program read state and sequence" "last_state=1 last_sequence=0" \
	"$(luo_bpf vars b1 | grep -e last_state -e last_sequence | tr '\n' ' ' | sed 's/ $//')"

# Detaching while prepared: CANCEL first.
luo_w prepare 1 >/dev/null
echo > $T/trace
luo_bpf detach b1 >/dev/null
ktap_eq "detach while prepared: the instance gets CANCEL first" \
	"cancel:b1 prepared" "$(trace_calls) $(luo_state)"
luo_w cancel 1 >/dev/null
bpf_detach_all
luo_test_setup "1"

# A BPF failure at each position of b0(0) b1(1) luo_test_0(1) b2(1) b3(2).
for k in 0 1 2 3; do
	bpf_detach_all
	luo_test_setup clear 2>/dev/null || echo clear > $LUO_TEST/participants
	args=()
	for i in 0 1 2 3; do
		[ $i = $k ] && r=-5 || r=0
		case $i in 0) p=0 ;; 3) p=2 ;; *) p=1 ;; esac
		bpf_attach b$i $p --ret $r
		[ $i = 1 ] && echo "1" > $LUO_TEST/participants
	done
	order="b0 b1 luo_test_0 b2 b3"
	want=
	before=
	for n in $order; do
		want+="prepare:$n "
		[ $n = b$k ] && break
		before="$n $before"
	done
	for n in $before; do want+="cancel:$n "; done
	echo > $T/trace
	got="$(luo_w prepare 1) $(luo_state) $(trace_calls)"
	ktap_eq "BPF failure at b$k: exact rollback" "EIO normal ${want% }" "$got"
done
bpf_detach_all
echo clear > $LUO_TEST/participants

# Policy veto with a reason: errno to the writer, failure record, tracepoint.
bpf_attach pol 1 --set veto=1 --flags 1
bpf_attach b0 0
echo > $T/trace
ktap_eq "a veto reaches the writer as its errno, nothing prepared" "EPERM normal" \
	"$(luo_w prepare 1) $(luo_state)"
ktap_eq "the veto reason is in the failure record" \
	"event=prepare policy=pol errno=-1 sequence=0 reason=test veto" "$(luo_failure)"
ktap_eq "verdict tracepoints: b0 allows, then pol vetoes with its reason" \
	"liveupdate_policy_verdict: policy=b0 event=prepare verdict=0 reason=
liveupdate_policy_verdict: policy=pol event=prepare verdict=-1 reason=test veto" \
	"$(grep -o 'liveupdate_policy_verdict: .*' $T/trace)"
ktap_eq "policy checks run before any handler: no handler ran" "" "$(trace_calls)"
ktap_eq "a policy-only instance is not listed as a participant" "0 bpf b0" "$(cat $LUO/participants)"
bpf_detach_all

# Bundled policies: window and require.
ktap_eq "window policy: prepare outside the window is vetoed" \
	"EPERM reason=outside maintenance window" \
	"$(luo-window --in 3600 --for 60 >/dev/null 2>&1; luo_w prepare 1) $(grep -o 'reason=.*' $LUO/last_failure)"
luo-window --detach >/dev/null 2>&1 || luo_bpf detach window >/dev/null
luo-window --in 0 --for 600 >/dev/null 2>&1
ktap_eq "window policy: prepare inside the window is allowed" "OK prepared" \
	"$(luo_w prepare 1) $(luo_state)"
luo_w cancel 1 >/dev/null
bpf_detach_all
luo-require luo_test_7 >/dev/null 2>&1
r1="$(luo_w prepare 1) $(grep -o 'reason=.*' $LUO/last_failure)"
echo "0 0 0 0 0 0 0 0" > $LUO_TEST/participants
r2="$(luo_w prepare 1) $(luo_state)"
ktap_eq "require policy: veto until the named participant registers" \
	"ENOENT reason=required participant 'luo_test_7' not registered | OK prepared" "$r1 | $r2"
luo_w cancel 1 >/dev/null
bpf_detach_all
echo clear > $LUO_TEST/participants

# Ejection: a bad return value, then a call over its budget.
bpf_attach ok0 0
luo_bpf attach $BPF_PROGS/bad_return.bpf.o --name badret >/dev/null 2>&1
luo_bpf wait-hup badret --timeout-ms 20000 > /tmp/hup.out &
hup=$!
r="$(luo_w prepare 1) $(luo_state)"
wait $hup
sleep 1
ktap_eq "bad return: prepare fails and rolls back, link gets EPOLLHUP" "EINVAL normal HUP" \
	"$r $(cat /tmp/hup.out)"
ktap_eq "bad return: exit record, instance gone" \
	"badret kind=invalid-return op=prepare errno=-22 msg=returned 1, not 0 or -errno|0 bpf ok0" \
	"$(tail -n 1 $LUO/exits)|$(cat $LUO/participants)"
luo_bpf attach $BPF_PROGS/slow.bpf.o --name slow >/dev/null 2>&1
r="$(luo_w prepare 1) $(luo_state)"
sleep 1
ktap_eq "over budget: prepare fails with ETIMEDOUT, exit record kind=over-budget" \
	"ETIMEDOUT normal slow kind=over-budget op=prepare errno=-110" \
	"$r $(tail -n 1 $LUO/exits | cut -d' ' -f1-4)"
bpf_detach_all
