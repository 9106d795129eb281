# SPDX-License-Identifier: GPL-2.0
# Canary: kmemleak turned off while the guest runs, as kmemleak does itself
# when it fails: no scan can be made, so the stage was never checked.
# The harness must fail this guest and name the problem "kmemleak".
# expect-problem: kmemleak
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
ktap_cmd "turn kmemleak off" sh -c 'echo off > /sys/kernel/debug/kmemleak'
