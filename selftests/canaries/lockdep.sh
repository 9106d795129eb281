# SPDX-License-Identifier: GPL-2.0
# Canary: a lock order inversion.
# The harness must fail this guest and name the problem "lockdep".
# expect-problem: lockdep
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "plant lockdep" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=lockdep
