# SPDX-License-Identifier: GPL-2.0
# The next kernel refuses a handover with another ABI major: it panics with
# a clear message (checked on the console by the host).
# expect-panic
# console-expect: orchestrator ABI 2\.0 from the previous kernel is incompatible with 1\.1
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

ktap_plan 1
echo 2.0 > /sys/kernel/debug/liveupdate/abi_override
ktap_eq "prepare, then kexec with ABI 2.0 handed over" "OK" "$(luo_w prepare 1)"
luo_kexec_next
