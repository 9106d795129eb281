#!/bin/bash
# Run the test suites: host unit tests, then each guest test file in its own
# VM. Prints each case as KTAP and ends with "N passed, N failed".
#
#   selftests/run-tests.sh [TEST ...]    TEST: a file under selftests/tests/
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 skipped=0

count() { # FILE PREFIX: fold one KTAP log into the totals
	local log=$1 name=$2 plan ok skip bad missing

	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -1)
	ok=$(grep -c '^ok ' "$log")
	skip=$(grep -ciE '^ok .*#[[:space:]]*skip' "$log")
	bad=$(grep -c '^not ok ' "$log")
	sed -n 's/^\(not \)\?ok [0-9]* /&/p' "$log" | sed "s/^/$name: /"
	# A skipped case proved nothing: it fails the run.
	passed=$((passed + ok - skip)) skipped=$((skipped + skip)) failed=$((failed + bad + skip))
	if [ -z "$plan" ]; then
		echo "$name: not ok - no KTAP plan"
		failed=$((failed + 1))
		return
	fi
	missing=$((plan - ok - bad))
	if [ $missing -lt 0 ]; then
		echo "$name: not ok - $((ok + bad)) cases reported, $plan planned"
		failed=$((failed + 1))
	elif [ $missing -gt 0 ]; then
		echo "$name: not ok - $missing of $plan cases never reported"
		failed=$((failed + missing))
	fi
}

# The host tests: libluo's and luoctl's unit tests, and the package list.
host_tests() {
	mkdir -p "$top/build/vm"
	make -s -C "$top/tools/lib/luo" OUTPUT="$top/build/tools/luo/" \
		LIBBPF_INCLUDE="$top/build/tools/libbpf/include" \
		LIBBPF_A="$top/build/tools/libbpf/libbpf.a" \
		LIBBPF_UAPI="$top/build/linux/tools/include/uapi" test \
		> "$top/build/vm/host-libluo.log" 2>&1
	grep -v '^[0-9]* passed, [0-9]* failed' "$top/build/vm/host-libluo.log" \
		> "$top/build/vm/host-libluo.ktap"
	count "$top/build/vm/host-libluo.ktap" host-libluo
	"$top/selftests/host/check-deps.sh" > "$top/build/vm/host-deps.ktap" 2>&1
	count "$top/build/vm/host-deps.ktap" host-deps
	host_canaries
}

# The host run's canaries: a planted failing case, and a planted skipped
# one (LUO_TEST_CANARY), must each make the test binary exit non-zero and
# be counted as a failure.
host_canaries() {
	local c k rc n

	for c in fail skip; do
		k=$top/build/vm/host-canary-$c.ktap
		LUO_TEST_CANARY=$c "$top/build/tools/luo/test_libluo" > "$k" 2>&1
		rc=$?
		n=$(passed=0 failed=0 skipped=0; count "$k" canary >/dev/null; echo $failed)
		# the planted case itself, not a crash or a missing binary
		if [ $rc -ne 0 ] && [ "$n" = 1 ] && grep -qE '^(not ok 1 canary # planted failure|ok 1 canary # SKIP )' "$k"; then
			echo "host-canary: ok - a planted $c fails the host run"
			passed=$((passed + 1))
		else
			echo "host-canary: not ok - a planted $c: exit $rc, counted $n failed"
			failed=$((failed + 1))
		fi
	done
}

if [ $# -eq 0 ]; then
	# The KASAN tests need the KASAN kernel: make check-kasan.
	# The canaries (selftests/canaries) plant the problems the harness
	# claims to catch: each must fail its guest and be named.
	all=("$top"/selftests/harness/*.sh "$top"/selftests/canaries/*.sh "$top"/selftests/tests/*.sh)
	if [ "${LUO_KASAN:-0}" = 1 ]; then
		set -- $(grep -l '^# vm-kernel: kasan' "${all[@]}")
	else
		set -- $(grep -L '^# vm-kernel: kasan' "${all[@]}")
	fi
	if [ "${LUO_KASAN:-0}" != 1 ]; then
		host_tests
	fi
fi

# A guest's name: the file's, canaries prefixed ("canary-warn").
vm_name() {
	case $1 in
	*/canaries/*) echo "canary-$(basename "$1" .sh)" ;;
	*/harness/*) echo "harness-$(basename "$1" .sh)" ;;
	*) basename "$1" .sh ;;
	esac
}

# run_one FILE: one test file in its own VM (results in build/vm/NAME/)
run_one() {
	local t=$1 name kv s

	name=$(vm_name "$t")
	# Nothing of an earlier run can be read as this one's.
	rm -rf "$top/build/vm/$name" "$top/build/vm/$name.run"
	# A harness check (selftests/harness) runs on the host and boots its
	# own guest; its KTAP is read like a guest's.
	case $t in
	*/harness/*)
		mkdir -p "$top/build/vm/$name"
		s=$(date +%s)
		"$t" > "$top/build/vm/$name/out.log" 2> "$top/build/vm/$name.run"
		echo ok > "$top/build/vm/$name/status"
		echo $(($(date +%s) - s)) > "$top/build/vm/$name/wall"
		return
		;;
	esac
	# "# vm-kernel: kasan": run on the KASAN kernel instead of the debug one.
	kv=$(sed -n 's/^# vm-kernel: //p' "$t")
	[ -n "$kv" ] && export LUO_OBJ=$top/build/obj-$kv LUO_MODS=$top/build/modules-$kv
	# "# vm-append: ARGS" in a test: extra kernel command line.
	# "# expect-panic": the guest is meant to end in a kernel panic.
	LUO_VM_EXPECT_PANIC=$(grep -c '^# expect-panic' "$t") \
	LUO_VM_APPEND="$(sed -n 's/^# vm-append: //p' "$t") ${LUO_VM_APPEND:-}" \
		"$top/selftests/vm/run-vm.sh" --name "$name" --test "$t" \
		--timeout "$(sed -n 's/^# vm-timeout: //p' "$t" | grep . || echo "${LUO_VM_TIMEOUT:-900}")" \
		> "$top/build/vm/$name.run" 2>&1
}

# Guests are mostly single-threaded under TCG: LUO_TEST_JOBS (default 2) of
# them run at once; the results are read in file order afterwards.
files=()
for t in "$@"; do
	for d in . tests canaries harness; do
		[ -f "$t" ] || [ ! -f "$top/selftests/$d/$t" ] || t=$top/selftests/$d/$t
	done
	files+=("$t")
done
# Start the tests marked "# vm-slow" first, so that no long guest starts
# last while the other lane sits idle.
order=($(grep -l '^# vm-slow' "${files[@]}" 2>/dev/null) $(grep -L '^# vm-slow' "${files[@]}"))
mkdir -p "$top/build/vm"
jobs=${LUO_TEST_JOBS:-2}
start=$(date +%s)
for t in "${order[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_one "$t" &
done
wait
phase=$(($(date +%s) - start))

guest=0
for t in "${files[@]}"; do
	name=$(vm_name "$t")
	dir=$top/build/vm/$name
	st=$(cat "$dir/status" 2>/dev/null || echo missing)
	cat "$top/build/vm/$name.run" 2>/dev/null
	# "# expect-problem: KIND": a canary. Its guest must fail with KIND
	# named; its own cases are not counted, they ran on a broken kernel.
	# The problem must have been planted: the canary's own cases passed.
	want=$(sed -n 's/^# expect-problem: //p' "$t" | head -1)
	if [ -n "$want" ]; then
		planted=$(passed=0 failed=0 skipped=0; count "$dir/out.log" x >/dev/null; echo "$passed $failed")
		if [ "${planted#* }" != 0 ] || [ "${planted% *}" = 0 ]; then
			echo "$name: not ok - the canary did not plant '$want' ($planted passed/failed of its cases)"
			failed=$((failed + 1))
		elif [ "$st" = kernel-problem ] &&
		   grep -qE "^run-vm: $name: kernel problem: (.* )?$want( |\$)" "$top/build/vm/$name.run"; then
			echo "$name: ok - the harness caught and named '$want'"
			passed=$((passed + 1))
		else
			echo "$name: not ok - the harness missed the planted '$want' (guest $st)"
			failed=$((failed + 1))
		fi
	else
		count "$dir/out.log" "$name"
		# "# console-expect: REGEX" in a test: the kernel console must match.
		n=0
		while IFS= read -r re; do
			n=$((n + 1))
			if grep -qE -- "$re" "$dir/console.log"; then
				echo "$name: ok console $n: $re"
				passed=$((passed + 1))
			else
				echo "$name: not ok console $n: $re"
				failed=$((failed + 1))
			fi
		done < <(sed -n 's/^# console-expect: //p' "$t")
		if [ "$st" != ok ]; then
			echo "$name: not ok - guest $st (see $dir/console.log)"
			failed=$((failed + 1))
		fi
	fi
	echo "# $name: $(cat "$dir/wall" 2>/dev/null)s in the VM"
	guest=$(awk -v a="$guest" -v b="$(cat "$dir/wall" 2>/dev/null)" 'BEGIN { printf "%d", a + b }')
done
echo "# guests: ${phase}s wall, ${guest} guest-seconds on $jobs lanes"

if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed ($skipped of them skipped)"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
