# SPDX-License-Identifier: GPL-2.0
# Canary: a task blocked past the hung task timeout (lowered to 2 s here).
# The harness must fail this guest and name the problem "hung-task".
# expect-problem: hung-task
. "$LUO_ROOT/selftests/lib/ktap.sh"

ktap_plan 1
echo 2 > /proc/sys/kernel/hung_task_timeout_secs
ktap_cmd "plant hung" insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=hung
# The detector checks once a timeout; give it three.
sleep 6
