# SPDX-License-Identifier: GPL-2.0
# Canary: a sleep under a spinlock.
# The harness must fail this guest and name the problem "atomic-sleep".
# expect-problem: atomic-sleep
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "plant atomic_sleep" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=atomic_sleep
