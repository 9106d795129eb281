#!/bin/bash
# Boot our kernel in QEMU and run one job in the guest.
#
#   run-vm.sh --name NAME (--cmd 'SHELL COMMAND' | --test FILE) [--timeout S]
#
# The guest's job output (KTAP for tests) lands in build/vm/NAME/out.log,
# the kernel console in build/vm/NAME/console.log. QEMU runs with TCG;
# LUO_VM_ACCEL=kvm opts into KVM. LUO_VM_ICOUNT=1 runs TCG instruction-exact
# (-icount shift=0,sleep=off: the guest clock advances 1 ns per instruction),
# for make bench; LUO_VM_SMP sets the vCPUs (default 2). A guest still
# running after the timeout (LUO_VM_TIMEOUT, default 600 s) is killed, and
# the run fails.
# With --cmd, the job output is printed and its exit status returned.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
name= cmd= test= timeout=${LUO_VM_TIMEOUT:-600}
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	--test) test=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	*) echo "run-vm: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$name" ] && [ -n "$cmd$test" ] || { echo "run-vm: need --name and --cmd or --test" >&2; exit 2; }

kernel=${LUO_OBJ:-$top/build/obj-debug}/arch/x86/boot/bzImage
mods=${LUO_MODS:-$top/build/modules-debug}
[ -f "$kernel" ] || { echo "run-vm: no kernel at $kernel; run 'make kernel'" >&2; exit 1; }
dir=$top/build/vm/$name
rm -rf "$dir"
mkdir -p "$dir"
if [ -n "$test" ]; then
	printf 'exec bash %q\n' "$(realpath "$test")" > "$dir/job.sh"
else
	printf '%s\n' "$cmd" > "$dir/job.sh"
fi
: > "$dir/out.log"

accel=tcg icount=()
[ "${LUO_VM_ACCEL:-}" = kvm ] && accel=kvm
if [ "${LUO_VM_ICOUNT:-0}" != 0 ]; then
	[ $accel = tcg ] || { echo "run-vm: LUO_VM_ICOUNT needs TCG" >&2; exit 2; }
	icount=(-icount shift=0,sleep=off)
fi
append="console=ttyS0 loglevel=6 panic=-1 oops=panic root=/dev/root rootfstype=9p"
# cache=readahead keeps file pages in the guest's page cache: without it every
# exec re-read its binary and libraries over 9p (4x slower tool runs).
append+=" rootflags=trans=virtio,version=9p2000.L,msize=524288,cache=readahead ro"
append+=" init=$top/selftests/vm/guest-init.sh liveupdate=on"
# The debug kernels poison slabs. Under TCG they are slow enough that KHO's
# default scratch reservation fails, TSC calibration against the PIT fails
# and ACPI's _PRT times out (no virtio-pci interrupt), so pin all three.
kconfig=$(dirname "$kernel")/../../../.config
debug=0
grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$kconfig" 2>/dev/null && debug=1
# slub_debug: sanity checks, red zones and poisoning (FZP) catch
# use-after-free and double free. U only adds the allocating and freeing
# call sites to a report, and costs a stack walk per allocation: side by
# side, 50 execs took 96.5 s with FZP and 138.5 s with FZPU, boot to job
# 260 s and 314 s (both guests on a loaded host). LUO_VM_SLUB_DEBUG=FZPU
# turns it on to diagnose a report.
[ $debug = 1 ] && append+=" slub_debug=${LUO_VM_SLUB_DEBUG:-FZP} kho_scratch=32M,128M,128M tsc_early_khz=2445000"
# kmemleak, debug objects and slab poisoning are the debug kernel's job:
# on top of KASAN they make a TCG boot take minutes.
grep -q '^CONFIG_KASAN=y' "$kconfig" 2>/dev/null &&
	append="${append/ slub_debug=${LUO_VM_SLUB_DEBUG:-FZP}/} kmemleak=off no_debug_objects"
append+=" luo.kernel=$kernel luo.mods=$mods luo.job=$dir/job.sh luo.stage=1 luo.ktapn=0 ${LUO_VM_APPEND:-}"

start=$(date +%s.%N)
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 \
	-machine pc -accel "$accel" "${icount[@]}" -cpu max -smp "${LUO_VM_SMP:-2}" -m 2G \
	-display none -vga none -monitor none -no-reboot \
	-kernel "$kernel" -append "$append" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-serial "file:$dir/console.log" -serial "file:$dir/out.log" \
	</dev/null >"$dir/qemu.log" 2>&1
qrc=$?
end=$(date +%s.%N)
sed -i 's/\r$//' "$dir/out.log" "$dir/console.log"
awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", e - s }' > "$dir/wall"

if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "run-vm: $name: guest killed after ${timeout}s timeout; last console lines:" >&2
	tail -n 25 "$dir/console.log" | sed 's/^/  | /' >&2
	echo timeout > "$dir/status"
	[ -n "$cmd" ] && cat "$dir/out.log"
	exit 124
fi
if [ $qrc -ne 0 ]; then
	echo "run-vm: $name: qemu failed ($qrc):" >&2
	cat "$dir/qemu.log" >&2
	exit 1
fi
# Any of these in the console is a kernel problem and fails the job. With an
# expected panic, the console is checked up to the panic line.
problems='WARNING:|BUG:|Oops|general protection fault|KASAN:|UBSAN:|refcount_t:'
problems+='|list_add corruption|list_del corruption|possible recursive locking'
problems+='|possible circular locking|inconsistent lock state|suspicious RCU usage'
problems+='|bad unlock balance|INFO: task .* blocked|self-detected stall'
problems+='|detected stalls on CPUs|soft lockup|hard LOCKUP|sleeping function called from invalid context'
problems+='|DEBUG_LOCKS_WARN_ON|ODEBUG:|suspected memory leaks|unreferenced object|Call Trace:'
console=$dir/console.log
if [ "${LUO_VM_EXPECT_PANIC:-0}" != 0 ]; then
	sed '/Kernel panic/q' "$dir/console.log" > "$dir/console-checked.log"
	console=$dir/console-checked.log
else
	problems+='|Kernel panic'
fi
bad=$(grep -E -m5 -- "$problems" "$console")
# The guest's own end-of-job report: kmemleak and lockdep.
leaks=$(grep -m5 '^luo-vm: kmemleak: ' "$dir/out.log")
locks=$(grep '^luo-vm: debug_locks:' "$dir/out.log" | grep -v 'debug_locks: 1$' | head -3)
# A debug kernel's job that did not end (or kexec) with its report was
# never checked; an expected-panic job reports before its kexec.
if [ $debug = 1 ] && ! grep -q '^luo-vm: debug_locks:' "$dir/out.log"; then
	locks="luo-vm: no end-of-job health report (kmemleak, lockdep)"
fi
if [ -n "$bad$leaks$locks" ]; then
	echo "run-vm: $name: kernel problem:" >&2
	[ -n "$bad" ] && grep -E -m3 -A8 -- "$problems" "$console" | sed 's/^/  | /' >&2
	[ -n "$leaks" ] && grep -m20 '^luo-vm: kmemleak: ' "$dir/out.log" | sed 's/^/  | /' >&2
	[ -n "$locks" ] && echo "$locks" | sed 's/^/  | /' >&2
	echo kernel-problem > "$dir/status"
fi
[ -f "$dir/status" ] || echo ok > "$dir/status"
if [ -n "$cmd" ]; then
	grep -v '^luo-vm: ' "$dir/out.log"
	rc=$(sed -n 's/^luo-vm: exit \([0-9]*\).*/\1/p' "$dir/out.log" | tail -1)
	[ -n "$rc" ] || { echo "run-vm: job did not report its exit status" >&2; exit 1; }
	echo "run-vm: exit status $rc ($(cat "$dir/wall")s)" >&2
	[ "$(cat "$dir/status")" = ok ] || exit 1
	exit "$rc"
fi
exit 0
