#!/bin/bash
# make bench: run the benchmark in the VM and print a table. LUO_OBJ is the
# kernel measured; LUO_NOEVENTS_OBJ, if set, the same kernel built without
# the orchestrator's trace events, for the baseline round trip.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
obj=${LUO_OBJ:-$top/build/obj-release}

run() { # NAME OBJ [APPEND]
	LUO_OBJ=$2 LUO_VM_APPEND="loglevel=4 ${3:-} ${LUO_VM_APPEND:-}" \
		"$top/selftests/vm/run-vm.sh" --name "$1" \
		--test "$top/selftests/bench/guest-bench.sh" || exit 1
}
val() { sed -n "s/^BENCH $2 \([0-9]*\).*/\1/p" "$top/build/vm/$1/out.log"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3fx", a / b; else print "n/a" }'; }
row() { printf '%-56s %11s ns %8s\n' "$1" "$2" "$3"; }

run bench "$obj"
off=$(val bench roundtrip_events_off_ns) on=$(val bench roundtrip_events_on_ns)
rtb=$(val bench roundtrip_64bpf_ns)
nat=$(val bench percall_native_ns) bpf=$(val bench percall_bpf_ns)
[ -n "$off" ] && [ -n "$nat" ] && [ -n "$bpf" ] ||
	{ cat "$top/build/vm/bench/out.log"; echo "bench: no result" >&2; exit 1; }
base=
if [ -n "${LUO_NOEVENTS_OBJ:-}" ]; then
	run bench-noevents "$LUO_NOEVENTS_OBJ" luo.bench=roundtrip
	base=$(val bench-noevents roundtrip_events_off_ns)
fi

grep '^#' "$top/build/vm/bench/out.log"
lock=$(grep -c '^CONFIG_PROVE_LOCKING=y' "$obj/.config")
echo "# kernel $obj: PROVE_LOCKING=$([ "$lock" = 1 ] && echo y || echo n); QEMU TCG"
echo
printf '%-56s %14s %8s\n' "measurement" "value" "ratio"
if [ -n "$base" ]; then
	row "prepare+cancel, 64 native, built without events" "$base" "1.000x"
	row "prepare+cancel, 64 native, events disabled" "$off" "$(ratio "$off" "$base")"
	row "prepare+cancel, 64 native, events enabled" "$on" "$(ratio "$on" "$base")"
else
	row "prepare+cancel, 64 native, events disabled" "$off" "1.000x"
	row "prepare+cancel, 64 native, events enabled" "$on" "$(ratio "$on" "$off")"
fi
row "prepare+cancel, 64 BPF, events disabled" "$rtb" "$(ratio "$rtb" "$off")"
row "per call, no-op native participant" "$nat" "1.000x"
row "per call, no-op BPF participant" "$bpf" "$(ratio "$bpf" "$nat")"
