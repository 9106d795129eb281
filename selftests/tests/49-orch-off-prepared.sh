# SPDX-License-Identifier: GPL-2.0
# A prepared live update handed to a kernel booted with liveupdate=off is
# not ignored: devices kept running may still DMA into its memory, so it
# panics and says why, as the RFC does.
# expect-panic
# console-expect: handed over a prepared live update, but live update is off here \(liveupdate=off, or KHO disabled\): devices kept running
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

ktap_plan 1
ktap_eq "prepare" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
. "$LUO_ROOT/selftests/lib/vmcheck.sh"
luo_vm_health
luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline) liveupdate=off"
