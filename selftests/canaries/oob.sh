# SPDX-License-Identifier: GPL-2.0
# Canary: an out-of-bounds write, on the KASAN kernel.
# The harness must fail this guest and name the problem "kasan".
# expect-problem: kasan
# vm-kernel: kasan
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "plant oob" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=oob
