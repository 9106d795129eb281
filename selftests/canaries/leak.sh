# SPDX-License-Identifier: GPL-2.0
# Canary: a leaked object with non-zero contents (kmemleak reports it on the second scan only).
# The harness must fail this guest and name the problem "kmemleak".
# expect-problem: kmemleak
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "plant leak" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=leak
