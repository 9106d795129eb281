# SPDX-License-Identifier: GPL-2.0
# Canary: a WARN().
# The harness must fail this guest and name the problem "warning".
# expect-problem: warning
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "plant warn" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=warn
