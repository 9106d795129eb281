# SPDX-License-Identifier: GPL-2.0
# The kernel health report of one stage (sourced by guest-init.sh and
# ktap.sh). Every stage reports before it kexecs, or when the guest's last
# job ends; the host (run-vm.sh) requires one report from each kernel that
# booted and fails the job on anything wrong in it. Lines:
#   luo-vm: stage N kmemleak scanned | kmemleak off | kmemleak: <report line>
#   luo-vm: stage N debug_locks: 0|1

luo_vm_health() {
	local leaks=/sys/kernel/debug/kmemleak s="luo-vm: stage ${LUO_STAGE:-1}"

	if grep -qw 'kmemleak=off' /proc/cmdline; then
		echo "$s kmemleak off"
	elif [ -e $leaks ]; then
		# Objects younger than 5 s are never reported. A scan reports an
		# object only when its checksum did not change since the scan
		# before (a new object's first checksum is that of zeroed
		# memory), so a leak with contents needs a second scan.
		sleep 6
		# -EPERM: kmemleak disabled itself (see the console). A
		# debugfs file has no size: the report is read, not tested.
		if ! { echo scan > $leaks && echo scan > $leaks; } 2>/dev/null; then
			echo "$s kmemleak: cannot scan: kmemleak is disabled"
		elif sed "s/^/$s kmemleak: /" $leaks; then
			echo "$s kmemleak scanned"
		else
			echo "$s kmemleak: cannot read the report"
		fi
	fi
	if [ -r /proc/lockdep_stats ]; then
		echo "$s $(awk '/debug_locks:/ { print $1, $2; exit }' /proc/lockdep_stats)"
	fi
}
