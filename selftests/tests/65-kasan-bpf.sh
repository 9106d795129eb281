# SPDX-License-Identifier: GPL-2.0
# On the KASAN kernel: the BPF ejection and detach paths where a link or an
# instance could be used after it was freed, then a short storm of
# concurrent writers with native register and unregister. The full
# misbehaviour matrix (63) and the long stress (34) run on the debug kernel,
# whose slab poisoning catches use-after-free too; under TCG the KASAN
# kernel is several times slower, so only these run here.
# vm-kernel: kasan
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

ktap_plan 5
luo_test_load
luo_test_setup "0 2"

# Defect 1 as found: stock bpftool, CANCEL returns 1, pin removed while
# prepared: the last link reference goes while unreg sends CANCEL.
mkdir -p /sys/fs/bpf/bt
bpftool struct_ops register $BPF_PROGS/cancel_bad.bpf.o /sys/fs/bpf/bt >/dev/null 2>&1
luo_w prepare 1 >/dev/null
rm -f /sys/fs/bpf/bt/cancel_bad
bpf_gone cancel_bad
ktap_eq "last link reference dropped while prepared, CANCEL misbehaves: recorded" \
	"prepared cancel_bad kind=invalid-return op=cancel" \
	"$(luo_state) $(grep '^cancel_bad ' $LUO/exits | tail -n 1 | cut -d' ' -f1-3)"
ktap_eq "the others are cancelled once" "OK normal" "$(luo_w cancel 1) $(luo_state)"

# Ejection from the dispatch: the detach work item runs on the link.
luo_bpf attach $BPF_PROGS/misbehave.bpf.o --name kp --priority 1 \
	--set bad_prepare=1 >/dev/null 2>&1
r="$(luo_w prepare 1) $(luo_state)"
bpf_gone kp
ktap_eq "PREPARE returns 1: ejected, detached by the work item, rolled back" \
	"EINVAL normal kp kind=invalid-return op=prepare" \
	"$r $(grep '^kp ' $LUO/exits | tail -n 1 | cut -d' ' -f1-3)"
bpf_detach_all

# Detach while prepared, CANCEL misbehaving.
luo_bpf attach $BPF_PROGS/misbehave.bpf.o --name kc --priority 1 \
	--set bad_cancel=1 >/dev/null 2>&1
luo_w prepare 1 >/dev/null
luo_bpf detach kc >/dev/null 2>&1
ktap_eq "detach while prepared, CANCEL returns 1: recorded, still prepared" \
	"prepared kc kind=invalid-return op=cancel" \
	"$(luo_state) $(grep '^kc ' $LUO/exits | tail -n 1 | cut -d' ' -f1-3)"
luo_w cancel 1 >/dev/null

# A short storm: writers, native register/unregister, reset.
end=$(($(date +%s) + 20))
(while [ "$(date +%s)" -lt $end ]; do
	luo_sysfs write $LUO_TEST/participants "0 1 2" >/dev/null
	luo_sysfs write $LUO_TEST/participants clear >/dev/null
done) &
(while [ "$(date +%s)" -lt $end ]; do luo_w reset 1 >/dev/null; done) &
r=0
while [ "$(date +%s)" -lt $end ]; do
	luo_sysfs stress $LUO 2 50 >/dev/null || r=1
done
wait
ktap_eq "20 s storm: every write's errno legal, state legal" 0 "$r"
