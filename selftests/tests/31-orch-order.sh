# SPDX-License-Identifier: GPL-2.0
# Participant order across and within priorities, PREPARE failure at every
# position with the exact CANCEL set, FINISH/CANCEL failures, concurrency.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

ktap_plan 12
luo_test_load

luo_test_setup "2 0 1 0 2 1"
ktap_eq "order: BEFORE, WITH, AFTER; registration order within" \
	"OK prepare:1 prepare:3 prepare:2 prepare:5 prepare:0 prepare:4" \
	"$(luo_w prepare 1) $(luo_test_log)"
ktap_eq "order: CANCEL runs in reverse" \
	"OK cancel:4 cancel:0 cancel:5 cancel:2 cancel:3 cancel:1" \
	"$(luo_w cancel 1) $(luo_test_log)"
ktap_eq "participants file lists that order" "1 3 2 5 0 4" \
	"$(sed 's/.*luo_test_//' $LUO/participants | tr '\n' ' ' | sed 's/ $//')"

# PREPARE fails at position k of 5: 0..k-1 get CANCEL in reverse order.
errnos=(EPERM ENOENT EIO ENOMEM EBUSY)
codes=(-1 -2 -5 -12 -16)
luo_test_setup "0 0 1 1 2"
for k in 0 1 2 3 4; do
	luo_test_inject "prepare $k ${codes[$k]}"
	want="${errnos[$k]} normal"
	for i in $(seq 0 $k); do want+=" prepare:$i"; done
	for i in $(seq $((k - 1)) -1 0); do want+=" cancel:$i"; done
	want+=" | event=prepare participant=luo_test_$k errno=${codes[$k]} sequence=0"
	got="$(luo_w prepare 1) $(luo_state) $(luo_test_log) | $(luo_failure)"
	ktap_eq "PREPARE fails at position $k of 5: exact CANCEL set and order" "$want" "$got"
done
luo_test_inject none

# CANCEL and FINISH cannot fail: warned, recorded, everybody still called.
luo_w prepare 1 >/dev/null
luo_test_log >/dev/null
luo_test_inject "cancel 2 -22"
ktap_eq "a failing CANCEL is recorded and the others still run" \
	"OK normal cancel:4 cancel:3 cancel:2 cancel:1 cancel:0 | event=cancel participant=luo_test_2 errno=-22 sequence=0" \
	"$(luo_w cancel 1) $(luo_state) $(luo_test_log) | $(luo_failure)"
ktap_cmd "a failing CANCEL is warned about" sh -c \
	"dmesg | grep -q \"participant 'luo_test_2' failed cancel: -EINVAL\""
luo_test_inject none

# 4 concurrent writers x 1000 random writes; lockdep watches the locks.
luo_test_setup "0 1 2"
ktap_cmd "4 concurrent writers x 1000: state always legal" luo_sysfs stress $LUO 4 1000
luo_w reset 1 >/dev/null
ktap_eq "after the storm: normal, nothing half prepared" "normal" "$(luo_state)"
