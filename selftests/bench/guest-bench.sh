# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest. Measured side by side in one run:
#  1. prepare+cancel round trip, 64 no-op native participants, trace events
#     disabled vs enabled (alternating, 3 rounds);
#  2. per-call cost of 64 no-op BPF participants vs 64 no-op native ones,
#     from the orchestrator's own per-call durations (debugfs last_update).
LUO=/sys/kernel/liveupdate
LT=/sys/kernel/debug/luo_test
T=/sys/kernel/tracing
ROUNDS=${LUO_BENCH_ROUNDS:-200}
export PATH=$LUO_ROOT/build/bpf:$PATH

insmod "$LUO_MODS/luo_test/luo_test.ko"
echo 0 > $LT/record
echo "$(printf '1 %.0s' $(seq 64))" | sed 's/ $//' > $LT/participants

# Median per-call duration (ns) of PREPARE over all participants of a kind.
percall() {
	local k=$1 i

	for i in $(seq 20); do
		echo 1 > $LUO/prepare
		echo 1 > $LUO/cancel
		awk -v k="$k" '$2 == k && $4 == "prepare" { s += $6; n++ } END { if (n) print int(s / n) }' \
			/sys/kernel/debug/liveupdate/last_update
	done | sort -n | sed -n '10p'
}

echo "# luo bench: $(nproc) vCPUs, $ROUNDS round trips x 9 batches (median)"
off=() on=()
for r in 1 2 3; do
	echo 0 > $T/events/liveupdate/enable
	off+=("$(luo_bench $LUO "$ROUNDS" 9)")
	echo 1 > $T/events/liveupdate/enable
	echo > $T/trace
	on+=("$(luo_bench $LUO "$ROUNDS" 9)")
done
echo 0 > $T/events/liveupdate/enable
native=$(percall native)
echo clear > $LT/participants
for i in $(seq 0 63); do
	luo_bpf attach "$LUO_ROOT/build/bpf/selftests/noop.bpf.o" --name "noop$i" \
		--priority 1 >/dev/null 2>&1 || echo "attach noop$i failed"
done
bpf=$(percall bpf)
rt_bpf=$(luo_bench $LUO "$ROUNDS" 9)

med() { printf '%s\n' "$@" | sort -n | sed -n '2p'; }
off_m=$(med "${off[@]}")
on_m=$(med "${on[@]}")
echo "BENCH roundtrip_events_off_ns $off_m (${off[*]})"
echo "BENCH roundtrip_events_on_ns $on_m (${on[*]})"
echo "BENCH roundtrip_64bpf_ns $rt_bpf"
echo "BENCH percall_native_ns $native"
echo "BENCH percall_bpf_ns $bpf"
