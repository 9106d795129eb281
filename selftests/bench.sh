#!/bin/bash
# make bench: boot the bench guests one after the other, then write the table
# (markdown) to build/bench/bench.md and print it.
#
# Two runs, each one boot of LUO_OBJ (the kernel measured), one of
# LUO_NOEVENTS_OBJ (the same kernel built without the trace events) and
# one live update with 64 participants on LUO_OBJ (two boots), all
# instruction-exact (run-vm.sh's LUO_VM_ICOUNT) on one vCPU: with -icount
# the clock is shared by all vCPUs, so a second one only adds its own
# instructions to the figures. Then one plain TCG boot, for the secondary
# wall-clock column. Fails if a guest shows a kernel problem, if a list was
# not what was asked for, or if the two runs differ by 1% or more.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
obj=${LUO_OBJ:-$top/build/obj-release}
noev=${LUO_NOEVENTS_OBJ:?LUO_NOEVENTS_OBJ: the kernel built without events}
out=$top/build/bench
smp=1

boot() { # NAME OBJ ICOUNT [luo.bench=MODE] [GUEST SCRIPT]
	local dir=$top/build/vm/$1

	LUO_OBJ=$2 LUO_VM_ICOUNT=$3 LUO_VM_SMP=$smp \
		LUO_VM_APPEND="loglevel=5 ${4:-} ${LUO_VM_APPEND:-}" \
		"$top/selftests/vm/run-vm.sh" --name "$1" \
		--test "$top/selftests/bench/${5:-guest-bench.sh}" || exit 1
	grep -h '^BENCH_FAIL' "$dir/out.log" >&2
	if [ "$(cat "$dir/status")" != ok ] || grep -q '^BENCH_FAIL' "$dir/out.log" ||
	   ! grep -q '^luo-vm: exit 0 ' "$dir/out.log"; then
		echo "bench: guest $1 failed ($(cat "$dir/status")): see $dir/" >&2
		exit 1
	fi
	echo "bench: $1 done in $(cat "$dir/wall")s" >&2
}

values() { # RUN NAME [PREFIX]: "RUN PREFIXkey value" lines
	sed -n "s/^BENCH \([a-z0-9_]*\) \([0-9.]*\)$/$1 ${3:-}\1 \2/p" \
		"$top/build/vm/$2/out.log"
}

mkdir -p "$out"
for r in 1 2; do
	boot "bench-$r" "$obj" 1
	boot "bench-$r-noevents" "$noev" 1 luo.bench=native
	# one live update with 64 participants: the blackout phase by phase
	boot "bench-$r-blackout" "$obj" 1 "" guest-blackout.sh
done
# run-vm.sh gives a plain TCG guest the host's TSC frequency.
boot bench-wall "$obj" 0

{
	values 1 bench-1
	values 1 bench-1-noevents noev_
	values 1 bench-1-blackout
	values 2 bench-2
	values 2 bench-2-noevents noev_
	values 2 bench-2-blackout
	values w bench-wall
} > "$out/values"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
awk -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" \
	-v commit="$(git -C "$top" describe --always --dirty 2>/dev/null)" \
	-v machine="$(nproc) CPUs (nproc), ${cpu:-unknown CPU}" -v smp=$smp \
	-v kernel="$(basename "$obj"), without events: $(basename "$noev")" \
	-f "$top/selftests/bench/table.awk" "$out/values" > "$out/bench.md"
rc=$?
cat "$out/bench.md"
echo "bench: table in $out/bench.md" >&2
exit $rc
