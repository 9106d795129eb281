# SPDX-License-Identifier: GPL-2.0
# The guest boots our kernel and reaches the test runner.
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 3
ktap_ok "boot reaches the test runner ($(uname -r))"
ktap_cmd "BTF of vmlinux exists" test -s /sys/kernel/btf/vmlinux
ktap_cmd "mainline LUO is up: /dev/liveupdate exists" test -c /dev/liveupdate
