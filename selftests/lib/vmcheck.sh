# SPDX-License-Identifier: GPL-2.0
# End-of-job kernel health report (sourced by guest-init.sh and ktap.sh).
# Run before every kexec and when the last job of a guest ends, so that a
# leak or a lockdep shutdown in any stage is seen. The host (run-vm.sh)
# reads the "luo-vm:" lines from the job output.

luo_vm_health() {
	local leaks=/sys/kernel/debug/kmemleak

	if [ -w $leaks ]; then
		# kmemleak skips objects younger than 5 s.
		sleep 6
		echo scan > $leaks 2>/dev/null
		if [ -s $leaks ]; then
			sed 's/^/luo-vm: kmemleak: /' $leaks
		fi
		echo "luo-vm: kmemleak scanned"
	fi
	if [ -r /proc/lockdep_stats ]; then
		echo "luo-vm: $(awk '/debug_locks:/ { print $1, $2; exit }' /proc/lockdep_stats)"
	fi
}
