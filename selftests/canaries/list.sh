# SPDX-License-Identifier: GPL-2.0
# Canary: a list_add() onto a corrupted list.
# The harness must fail this guest and name the problem "list-corruption".
# expect-problem: list-corruption
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "plant list" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=list
