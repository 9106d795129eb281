# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest. Prints "BENCH <key> <ns>" lines:
#  - roundtrip_events_{off,on}: prepare+cancel through sysfs with 64 no-op
#    native participants, trace events disabled and enabled, alternating;
#  - percall_{native,bpf}: the orchestrator's own per-call duration
#    (debugfs last_update) of 64 no-op native, then 64 no-op BPF
#    participants, after a warm loop of round trips;
#  - roundtrip_64bpf: the round trip with the 64 BPF participants.
# With LUO_BENCH_ONLY=roundtrip only the first measurement runs.
LUO=/sys/kernel/liveupdate
LT=/sys/kernel/debug/luo_test
T=/sys/kernel/tracing
ROUNDS=${LUO_BENCH_ROUNDS:-200}
export PATH=$LUO_ROOT/build/bpf:$PATH
only=$(sed -n 's/.*luo\.bench=\([a-z]*\).*/\1/p' /proc/cmdline)

insmod "$LUO_MODS/luo_test/luo_test.ko"
echo 0 > $LT/record
echo "$(printf '1 %.0s' $(seq 64))" | sed 's/ $//' > $LT/participants

med() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# Median over 9 warm loops of the mean PREPARE duration of kind $1.
percall() {
	local k=$1 i

	for i in $(seq 9); do
		luo_bench $LUO 50 1 >/dev/null
		awk -v k="$k" '$2 == k && $4 == "prepare" { s += $6; n++ }
			END { if (n) print int(s / n) }' /sys/kernel/debug/liveupdate/last_update
	done | sort -n | sed -n '5p'
}

echo "# luo bench: $(nproc) vCPUs, $ROUNDS round trips x 9 batches (median)"
off=() on=()
for r in 1 2 3; do
	[ -d $T/events/liveupdate ] && echo 0 > $T/events/liveupdate/enable
	off+=("$(luo_bench $LUO "$ROUNDS" 9)")
	[ "$only" = roundtrip ] && continue
	echo 1 > $T/events/liveupdate/enable
	echo > $T/trace
	on+=("$(luo_bench $LUO "$ROUNDS" 9)")
done
echo "BENCH roundtrip_events_off_ns $(med "${off[@]}") (${off[*]})"
[ "$only" = roundtrip ] && exit 0
echo "BENCH roundtrip_events_on_ns $(med "${on[@]}") (${on[*]})"
echo 0 > $T/events/liveupdate/enable

echo "BENCH percall_native_ns $(percall native)"
echo clear > $LT/participants
for i in $(seq 0 63); do
	luo_bpf attach "$LUO_ROOT/build/bpf/selftests/noop.bpf.o" --name "noop$i" \
		--priority 1 >/dev/null 2>&1 || echo "# attach noop$i failed"
done
echo "BENCH percall_bpf_ns $(percall bpf)"
echo "BENCH roundtrip_64bpf_ns $(luo_bench $LUO "$ROUNDS" 9)"
