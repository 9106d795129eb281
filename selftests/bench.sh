#!/bin/bash
# make bench: run the benchmark in the VM and print a table.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

LUO_VM_APPEND="loglevel=4 ${LUO_VM_APPEND:-}" \
	"$top/selftests/vm/run-vm.sh" --name bench --test "$top/selftests/bench/guest-bench.sh" || exit 1
out=$top/build/vm/bench/out.log
val() { sed -n "s/^BENCH $1 \([0-9]*\).*/\1/p" "$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3fx", a / b; else print "n/a" }'; }

off=$(val roundtrip_events_off_ns) on=$(val roundtrip_events_on_ns)
rtb=$(val roundtrip_64bpf_ns)
nat=$(val percall_native_ns) bpf=$(val percall_bpf_ns)
[ -n "$off" ] && [ -n "$nat" ] || { cat "$out"; echo "bench: no result" >&2; exit 1; }
grep '^#' "$out"
lock=$(grep -c '^CONFIG_PROVE_LOCKING=y' "$top/build/obj/.config")
printf '\n%-52s %14s %10s\n' "measurement (kernel: PROVE_LOCKING=$([ "$lock" = 1 ] && echo y || echo n), TCG)" "value" "ratio"
printf '%-52s %11s ns %10s\n' "prepare+cancel, 64 native, events disabled" "$off" "1.000x"
printf '%-52s %11s ns %10s\n' "prepare+cancel, 64 native, events enabled" "$on" "$(ratio "$on" "$off")"
printf '%-52s %11s ns %10s\n' "prepare+cancel, 64 BPF, events disabled" "$rtb" "$(ratio "$rtb" "$off")"
printf '%-52s %11s ns %10s\n' "per call, no-op native participant" "$nat" "1.000x"
printf '%-52s %11s ns %10s\n' "per call, no-op BPF participant" "$bpf" "$(ratio "$bpf" "$nat")"
