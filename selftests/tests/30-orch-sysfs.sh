# SPDX-License-Identifier: GPL-2.0
# /sys/kernel/liveupdate: every file, every legal and illegal transition,
# and garbage written to every writable file.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

writable="prepare cancel finish reset check"
garbage_names=(empty 2 -1 01x 4096-bytes binary "1-space" 10 "1nn")
garbage_args=("" "2" "-1" "01x" FILL "\x01\xff" "1 " "10" "1\n\n")

ktap_plan 36

modes=$(cd $LUO && stat -c '%n:%a' state enabled sequence last_failure participants \
	last_blackout_ns prepare cancel finish reset check | tr '\n' ' ')
ktap_eq "sysfs files and modes" \
	"state:444 enabled:444 sequence:444 last_failure:444 participants:444 last_blackout_ns:444 prepare:200 cancel:200 finish:200 reset:200 check:200 " \
	"$modes"
ktap_eq "enabled reads 1" 1 "$(cat $LUO/enabled)"
ktap_eq "cold boot: state normal" normal "$(luo_state)"
ktap_eq "cold boot: sequence 0" 0 "$(cat $LUO/sequence)"
ktap_eq "cold boot: no failure" none "$(cat $LUO/last_failure)"
ktap_eq "cold boot: no blackout" 0 "$(cat $LUO/last_blackout_ns)"

luo_test_load
luo_test_setup "1 1"

# Legal transitions, each with the callbacks it must cause.
ktap_eq "prepare 1: normal -> prepared" "OK prepared prepare:0 prepare:1" \
	"$(luo_w prepare 1) $(luo_state) $(luo_test_log)"
ktap_eq "prepare 0: prepared -> normal, CANCEL in reverse" "OK normal cancel:1 cancel:0" \
	"$(luo_w prepare '0\n') $(luo_state) $(luo_test_log)"
luo_w prepare '1\n' >/dev/null
luo_test_log >/dev/null
ktap_eq "cancel 1: prepared -> normal" "OK normal cancel:1 cancel:0" \
	"$(luo_w cancel 1) $(luo_state) $(luo_test_log)"
luo_w prepare 1 >/dev/null
luo_test_log >/dev/null
ktap_eq "reset 1 from prepared: CANCEL in reverse" "OK normal cancel:1 cancel:0" \
	"$(luo_w reset '1\n') $(luo_state) $(luo_test_log)"
ktap_eq "reset 1 from normal: no-op" "OK normal " \
	"$(luo_w reset 1) $(luo_state) $(luo_test_log)"
ktap_eq "check 1 in normal: allowed, nothing called, state kept" "OK normal " \
	"$(luo_w check '1\n') $(luo_state) $(luo_test_log)"

# Illegal transitions: EBUSY, nothing called, state kept.
ktap_eq "cancel in normal: EBUSY" "EBUSY normal " "$(luo_w cancel 1) $(luo_state) $(luo_test_log)"
ktap_eq "finish in normal: EBUSY" "EBUSY normal " "$(luo_w finish 1) $(luo_state) $(luo_test_log)"
ktap_eq "prepare 0 in normal: EBUSY" "EBUSY normal " "$(luo_w prepare 0) $(luo_state) $(luo_test_log)"
luo_w prepare 1 >/dev/null
luo_test_log >/dev/null
ktap_eq "prepare in prepared: EBUSY" "EBUSY prepared " "$(luo_w prepare 1) $(luo_state) $(luo_test_log)"
ktap_eq "finish in prepared: EBUSY" "EBUSY prepared " "$(luo_w finish 1) $(luo_state) $(luo_test_log)"
ktap_eq "check in prepared: EBUSY" "EBUSY prepared " "$(luo_w check 1) $(luo_state) $(luo_test_log)"
ktap_cmd "wrong state is logged with both states" sh -c \
	"dmesg | grep -q \"cannot finish in state 'prepared': needs 'updated'\""
ktap_eq "registering while prepared: EBUSY" "EBUSY" \
	"$(luo_sysfs write $LUO_TEST/participants '0 0 0')"
luo_w reset 1 >/dev/null
luo_test_setup "1 1"

# Garbage: EINVAL, state unchanged, no callback, in both normal and prepared.
for st in normal prepared; do
	[ $st = prepared ] && luo_w prepare 1 >/dev/null && luo_test_log >/dev/null
	for f in $writable; do
		res=
		for i in "${!garbage_args[@]}"; do
			a=${garbage_args[$i]}
			if [ "$a" = FILL ]; then
				r=$(luo_sysfs fill $LUO/$f 1 4096)
			else
				r=$(luo_w $f "$a")
			fi
			# An empty write never reaches sysfs: it must change nothing.
			[ -z "$a" ] && [ "$r" = OK ] && r=EINVAL
			[ "$r" = EINVAL ] || res+=" ${garbage_names[$i]}:$r"
		done
		for z in 0 '0\n'; do
			[ $f = prepare ] && continue
			r=$(luo_w $f "$z")
			[ "$r" = EINVAL ] || res+=" 0:$r"
		done
		ktap_eq "garbage to $f in $st: EINVAL, state kept, nothing called" \
			"$st " "$(luo_state)$res $(luo_test_log)"
	done
done
luo_w reset 1 >/dev/null

# Pollable state.
luo_sysfs poll $LUO/state 20000 > /tmp/poll.out &
pid=$!
sleep 1
luo_w prepare 1 >/dev/null
wait $pid
ktap_eq "state is pollable: a poller wakes on prepare" "CHANGED prepared" "$(cat /tmp/poll.out)"
luo_sysfs poll $LUO/state 20000 > /tmp/poll.out &
pid=$!
sleep 1
luo_w cancel 1 >/dev/null
wait $pid
ktap_eq "state is pollable: a poller wakes on cancel" "CHANGED normal" "$(cat /tmp/poll.out)"

ktap_eq "participants lists call order" "1 native luo_test_0|1 native luo_test_1|" \
	"$(tr '\n' '|' < $LUO/participants)"

# Unregistering while prepared sends that participant CANCEL first.
luo_w prepare 1 >/dev/null
luo_test_log >/dev/null
echo clear > $LUO_TEST/participants
ktap_eq "unregister while prepared: CANCEL first, update stays prepared" \
	"prepared cancel:1 cancel:0" "$(luo_state) $(luo_test_log)"
ktap_eq "cancel with no participants left" "OK normal" "$(luo_w cancel 1) $(luo_state)"

# Writer killed while waiting for the lock: a slow PREPARE holds it.
luo_test_setup "0"
luo_test_inject "delay 0 3000"
(luo_w prepare 1 > /tmp/first.out) &
first=$!
sleep 1
luo_sysfs write $LUO/reset 1 > /tmp/killed.out &
killed=$!
sleep 0.5
kill -9 $killed
wait $first
ktap_eq "killed waiter changes nothing" "OK prepared" "$(cat /tmp/first.out) $(luo_state)"
luo_test_inject none
luo_w reset 1 >/dev/null
