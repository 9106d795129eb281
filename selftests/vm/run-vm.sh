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
# Which checks apply depends on the config: without it, none could be chosen.
[ -r "$kconfig" ] || { echo "run-vm: cannot read the kernel's config $kconfig" >&2; exit 1; }
debug=0
grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$kconfig" 2>/dev/null && debug=1
# slub_debug: sanity checks, red zones and poisoning (FZP) catch
# use-after-free and double free. U only adds the allocating and freeing
# call sites to a report, and costs a stack walk per allocation: side by
# side, 50 execs took 96.5 s with FZP and 138.5 s with FZPU, boot to job
# 260 s and 314 s (both guests on a loaded host). LUO_VM_SLUB_DEBUG=FZPU
# turns it on to diagnose a report.
[ $debug = 1 ] && append+=" slub_debug=${LUO_VM_SLUB_DEBUG:-FZP} kho_scratch=32M,128M,128M"
# Under TCG the guest's TSC is the host's (under -icount it counts
# instructions and the guest calibrates it itself): the guest is told this
# host's rate, measured now, for its clock and for every time it prints.
if [ $accel = tcg ] && [ ${#icount[@]} = 0 ]; then
	khz=${LUO_VM_TSC_KHZ:-$("$top/build/tools/progs/tsc_khz")} ||
		{ echo "run-vm: cannot measure the host's TSC frequency (build/tools/progs/tsc_khz)" >&2; exit 1; }
	append+=" tsc_early_khz=$khz"
fi
# kmemleak, debug objects and slab poisoning are the debug kernel's job:
# on top of KASAN they make a TCG boot take minutes.
kasan=0
grep -q '^CONFIG_KASAN=y' "$kconfig" 2>/dev/null && kasan=1
[ $kasan = 1 ] &&
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
# Any of these in the console is a kernel problem and fails the job; the
# report names each kind found. With an expected panic, the console is
# checked up to the panic line.
kinds=(
	"warning=WARNING:"
	"bug=BUG:|Oops|general protection fault"
	"kasan=KASAN:"
	"ubsan=UBSAN:"
	"refcount=refcount_t:"
	"list-corruption=list_add corruption|list_del corruption"
	"lockdep=possible recursive locking|possible circular locking|inconsistent lock state|bad unlock balance|DEBUG_LOCKS_WARN_ON"
	"rcu=suspicious RCU usage|self-detected stall|detected stalls on CPUs"
	"hung-task=INFO: task .* blocked"
	"lockup=soft lockup|hard LOCKUP"
	"atomic-sleep=sleeping function called from invalid context|scheduling while atomic"
	"debugobjects=ODEBUG:"
	"kmemleak=suspected memory leaks|unreferenced object"
	"call-trace=Call Trace:"
)
console=$dir/console.log
if [ "${LUO_VM_EXPECT_PANIC:-0}" != 0 ]; then
	sed '/Kernel panic/q' "$dir/console.log" > "$dir/console-checked.log"
	console=$dir/console-checked.log
else
	kinds+=("panic=Kernel panic")
fi
problems= found=
for k in "${kinds[@]}"; do
	problems+="${problems:+|}${k#*=}"
	grep -qE -- "${k#*=}" "$console" && found+=" ${k%%=*}"
done
bad=$(grep -E -m5 -- "$problems" "$console")
# Each stage's own health report (selftests/lib/vmcheck.sh): kmemleak and
# lockdep. Every kernel that booted must have reported, but one that ended
# in an expected panic: a stage that kexecs without a report was never
# checked.
leaks=$(grep -m5 '^luo-vm: stage [0-9]* kmemleak: ' "$dir/out.log")
locks=$(grep '^luo-vm: stage [0-9]* debug_locks:' "$dir/out.log" | grep -v 'debug_locks: 1$' | head -3)
missing=
if [ $debug = 1 ]; then
	# The stages that booted: each says so first (guest-init.sh), and the
	# console has a banner a kernel (but a loglevel below 6 hides it, and
	# one that ended in an expected panic ran no job). At least one.
	boots=$(grep -c 'Linux version ' "$dir/console.log")
	[ "${LUO_VM_EXPECT_PANIC:-0}" != 0 ] && grep -q 'Kernel panic' "$dir/console.log" &&
		boots=$((boots - 1))
	said=$(sed -n 's/^luo-vm: stage \([0-9]*\) boot$/\1/p' "$dir/out.log" | sort -n | tail -1)
	[ "${said:-0}" -gt "$boots" ] && boots=$said
	[ "$boots" -ge 1 ] || boots=1
	for st in $(seq 1 "$boots"); do
		grep -q "^luo-vm: stage $st debug_locks:" "$dir/out.log" ||
			missing+="${missing:+$'\n'}luo-vm: stage $st of $boots sent no health report (lockdep)"
		[ $kasan = 1 ] && continue
		grep -q "^luo-vm: stage $st kmemleak scanned" "$dir/out.log" ||
			grep -q "^luo-vm: stage $st kmemleak: " "$dir/out.log" ||
			missing+="${missing:+$'\n'}luo-vm: stage $st of $boots sent no health report (kmemleak)"
	done
fi
[ -n "$leaks" ] && found+=" kmemleak"
[ -n "$locks" ] && found+=" lockdep"
[ -n "$missing" ] && found+=" health"
if [ -n "$found" ]; then
	# one word a kind: the canaries check that theirs is named
	found=$(echo "$found" | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ')
	echo "run-vm: $name: kernel problem: ${found% }" >&2
	[ -n "$bad" ] && grep -E -m3 -A8 -- "$problems" "$console" | sed 's/^/  | /' >&2
	[ -n "$leaks" ] && grep -m20 '^luo-vm: stage [0-9]* kmemleak: ' "$dir/out.log" | sed 's/^/  | /' >&2
	[ -n "$locks" ] && echo "$locks" | sed 's/^/  | /' >&2
	[ -n "$missing" ] && echo "$missing" | sed 's/^/  | /' >&2
	echo kernel-problem > "$dir/status"
fi
[ -f "$dir/status" ] || echo ok > "$dir/status"
if [ -n "$cmd" ]; then
	grep -v '^luo-vm: ' "$dir/out.log"
	rc=$(sed -n 's/^luo-vm: exit \([0-9]*\).*/\1/p' "$dir/out.log" | tail -1)
	[ -n "$rc" ] || { echo "run-vm: job did not report its exit status" >&2; exit 1; }
	# A kernel problem fails the job whatever the command returned.
	if [ "$(cat "$dir/status")" != ok ]; then
		echo "run-vm: exit status 1: kernel problem (the command returned $rc; $(cat "$dir/wall")s)" >&2
		exit 1
	fi
	echo "run-vm: exit status $rc ($(cat "$dir/wall")s)" >&2
	exit "$rc"
fi
exit 0
