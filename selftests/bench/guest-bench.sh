# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest. Prints "BENCH <key> <value>" lines, and
# "BENCH_FAIL <why>" (then exits 1) if a list is not what was asked for.
#   rt_native_N     prepare+cancel round trip through sysfs with N no-op
#                   native participants (N = 0 is the empty list), trace
#                   events disabled; rt_native_on_N: events enabled;
#   rt_mixed_128    64 native and 64 BPF no-op participants, interleaved;
#   call_native, call_bpf: mean handler duration (debugfs last_update) of
#                   one PREPARE or CANCEL in that interleaved list;
#   rt_bpf_N        N no-op BPF participants alone.
# Values are guest nanoseconds: instructions under QEMU's -icount shift=0.
# luo_bench runs SCHED_FIFO, so that no kworker (sysfs_notify's) gets
# between two writes: without it a run lands on one of two values.
# "luo.bench=native" on the command line: the native rows only.
LUO=/sys/kernel/liveupdate
LT=/sys/kernel/debug/luo_test
EV=/sys/kernel/tracing/events/liveupdate
NOOP=$LUO_ROOT/build/bpf/selftests/noop.bpf.o
export PATH=$LUO_ROOT/build/bpf:$PATH
mode=$(sed -n 's/.*luo\.bench=\([a-z]*\).*/\1/p' /proc/cmdline)

fail() { echo "BENCH_FAIL $*"; exit 1; }
rt() { chrt -f 10 luo_bench $LUO "${1:-20}" 5 || fail "luo_bench"; }

# Round trip, then count what the orchestrator called: "N M", native, BPF.
ran() {
	rt 1 >/dev/null
	awk '$4 == "prepare" { n[$2]++ } END { print n["native"] + 0, n["bpf"] + 0 }' \
		/sys/kernel/debug/liveupdate/last_update
}

# Check that N native and M BPF participants run: a detached BPF link may
# take a moment to go, so wait up to about 10 s for it.
expect() {
	local i got

	for i in $(seq 100); do
		got=$(ran)
		[ "$got" = "$1 $2" ] && return 0
		sleep 0.1
	done
	fail "asked for $1 native and $2 BPF participants, ran: $got"
}

# Mean PREPARE and CANCEL handler duration of kind $1 in the last round trip.
call() {
	awk -v k="$1" '$2 == k && ($4 == "prepare" || $4 == "cancel") {
		s += $6; n++ } END { if (n) printf "%.1f\n", s / n }' \
		/sys/kernel/debug/liveupdate/last_update
}

insmod "$LUO_MODS/luo_test/luo_test.ko" || fail "insmod luo_test"
echo 0 > $LT/record
[ -d $EV ] && echo 0 > $EV/enable
echo "# guest: $(nproc) vCPU, $(uname -r)"

for n in 0 1 16 64 256 1024; do
	if [ $n = 0 ]; then
		echo clear > $LT/participants
	else
		echo "many $n" > $LT/participants
	fi
	expect $n 0
	echo "BENCH rt_native_$n $(rt)"
	[ $n = 0 ] || [ $n = 64 ] || continue
	[ -d $EV ] || continue
	echo 1 > $EV/enable
	echo "BENCH rt_native_on_$n $(rt)"
	echo 0 > $EV/enable
	echo > /sys/kernel/tracing/trace
done
[ "$mode" = native ] && exit 0

# Native and BPF alternate in one list, all with priority 1.
echo clear > $LT/participants
for i in $(seq 64); do
	echo "append 1" > $LT/participants
	luo_bpf attach "$NOOP" --name "noop$i" --priority 1 >/dev/null ||
		fail "attach noop$i"
done
expect 64 64
echo "BENCH rt_mixed_128 $(rt)"
echo "BENCH call_native $(call native)"
echo "BENCH call_bpf $(call bpf)"

# BPF alone: 64, then detach down to 16 and 1.
echo clear > $LT/participants
have=64
for n in 64 16 1; do
	for i in $(seq $((n + 1)) $have); do
		luo_bpf detach "noop$i" >/dev/null || fail "detach noop$i"
	done
	have=$n
	expect 0 $n
	echo "BENCH rt_bpf_$n $(rt)"
done
