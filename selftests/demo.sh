#!/bin/bash
# make demo: a live update in QEMU, printed as a timeline.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

echo "LUO-BPF demo: kernel $(cat "$top/build/linux/.luo-base"), QEMU TCG, 2 vCPUs"
# run-vm.sh gives the guest the host's TSC frequency (tsc_early_khz=).
LUO_VM_APPEND="loglevel=7 ${LUO_VM_APPEND:-}" \
	"$top/selftests/vm/run-vm.sh" --name demo --test "$top/selftests/demo/guest-demo.sh"
rc=$?
dir=$top/build/vm/demo
grep -v '^luo-vm: ' "$dir/out.log"
echo
echo "=== kernel console (orchestrator lines), both kernels:"
grep -e 'liveupdate:' -e 'Starting new kernel' -e 'kexec' -e 'Linux version' "$dir/console.log" |
	grep -v 'Kernel command line' | sed 's/^/  | /'
echo "=== demo finished in $(cat "$dir/wall")s wall time"
if [ $rc -ne 0 ] || ! grep -q 'luo-vm: exit 0 stage 2' "$dir/out.log"; then
	echo "demo: the live update did not complete (logs in $dir)" >&2
	exit 1
fi
