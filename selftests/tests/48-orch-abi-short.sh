# SPDX-License-Identifier: GPL-2.0
# A prepared handover whose block is shorter than its ABI version promises
# is refused: the next kernel panics with a clear message.
# expect-panic
# console-expect: orchestrator handover 1\.0 too small \(40 < [0-9]+\)
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

ktap_plan 2
ktap_eq "handover published with only its 40-byte header" "OK" \
	"$(luo_sysfs write /sys/kernel/debug/liveupdate/abi_override '1.0 40')"
ktap_eq "prepare" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
luo_kexec_next
