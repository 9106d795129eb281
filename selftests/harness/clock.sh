#!/bin/bash
# Harness self-check: the guest's clock runs at the host's rate. A guest
# prints its clock once a second for 12 s; the host stamps each line as it
# arrives on the serial port. Over the job the two rates agree within 2%,
# or every time a guest prints (timeouts, leases, blackouts) is off. Its
# canary, in a second guest at the same time: a guest told a TSC frequency
# 14% off (the rate of another machine, as a frequency written into a
# script gives) must fail the check. KTAP on stdout; run by run-tests.sh in
# a lane like a guest test.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME [TSC_KHZ]: boot a guest, print "RC STAMPS SPAN RATE" to
# NAME.res in $tmp, RATE the guest's seconds per host second
measure() {
	local vm=harness-clock-$1 log=$top/build/vm/harness-clock-$1/out.log rc tailpid readpid

	# No old log for tail to read: run-vm.sh makes the directory anew.
	rm -rf "${log%/*}"
	# Follow the name, and poll often when tail cannot use inotify (a late
	# stamp skews the rate). Through a FIFO, so that tail's own PID is
	# known; each line is stamped without a fork ($EPOCHREALTIME).
	mkfifo "$tmp/$1.fifo"
	while read -r tag g; do
		[ "$tag" = clock ] && echo "$g ${EPOCHREALTIME/./}000"
	done < "$tmp/$1.fifo" > "$tmp/$1.stamps" &
	readpid=$!
	tail -F -s 0.05 -n +1 "$log" > "$tmp/$1.fifo" 2>/dev/null &
	tailpid=$!
	# A plain TCG guest: only there does run-vm.sh pass the TSC frequency.
	LUO_VM_ACCEL=tcg LUO_VM_ICOUNT=0 LUO_VM_TSC_KHZ=${2:-} \
		"$top/selftests/vm/run-vm.sh" --name "$vm" --timeout 900 \
		--cmd 'for i in $(seq 0 12); do echo "clock $(date +%s%N)"; sleep 1; done' \
		>/dev/null 2>"$tmp/$1.err"
	rc=$?
	sleep 0.5
	kill $tailpid 2>/dev/null
	wait $tailpid $readpid 2>/dev/null
	# The rate is the least squares slope of guest time over host time:
	# one late line moves it less than it would move two end points.
	# run-vm.sh rewrites the log once QEMU is gone, and tail reads it
	# again: a guest stamp not later than the last one is such a repeat.
	awk -v rc=$rc '{ $1 += 0 } n && $1 <= last { next } { last = $1 }
		!n { g0 = $1; h0 = $2 }
		{ x = ($2 - h0) / 1e9; y = ($1 - g0) / 1e9; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
		END {
			r = n >= 3 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0
			printf "%d %d %.3f %.4f\n", rc, n, x, r
		}' "$tmp/$1.stamps" > "$tmp/$1.res"
}

khz=$("$top/build/tools/progs/tsc_khz") || { echo "Bail out! cannot measure the host's TSC"; exit 1; }
measure real &
measure wrong $((khz * 86 / 100)) &
wait

echo "TAP version 13"
echo "1..3"
read -r rc n span r < "$tmp/real.res"
if [ "$rc" = 0 ]; then
	echo "ok 1 clock: the guest job ran"
else
	echo "not ok 1 clock: the guest job ran # run-vm exit $rc: $(tail -n 3 "$tmp/real.err" | tr '\n' ' ')"
fi
awk -v n="$n" -v s="$span" -v r="$r" 'BEGIN {
	printf "%s 2 clock: guest and host agree within 2%% # %d stamps over %.1f s of the host: guest/host %.4f\n",
		(n >= 3 && s >= 10 && r > 0.98 && r < 1.02) ? "ok" : "not ok", n, s, r }'
read -r rc n span r < "$tmp/wrong.res"
awk -v n="$n" -v s="$span" -v r="$r" 'BEGIN {
	printf "%s 3 clock: the check catches a guest told a wrong TSC frequency # %d stamps over %.1f s: guest/host %.4f\n",
		(n >= 3 && s >= 10 && (r <= 0.98 || r >= 1.02)) ? "ok" : "not ok", n, s, r }'
