# SPDX-License-Identifier: GPL-2.0
# Trace events through tracefs: the exact sequence and fields of a prepare,
# a cancel with a failing participant, a prepare that rolls back; and
# nothing at all while the events are disabled.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

T=/sys/kernel/tracing
trace_events() { # the trace, one event per line, without timings
	grep -o 'liveupdate_[a-z_]*: .*' $T/trace | sed 's/duration_ns=[0-9]*/duration_ns=N/'
	echo > $T/trace
}

ktap_plan 7
luo_test_load
luo_test_setup "0 1 2"
ktap_eq "all liveupdate events are listed in tracefs" \
	"liveupdate_blob liveupdate_eject liveupdate_event_end liveupdate_event_start liveupdate_handover_in liveupdate_handover_out liveupdate_lease liveupdate_participant liveupdate_policy_verdict liveupdate_rollback liveupdate_transition" \
	"$(ls $T/events/liveupdate | grep -v '^enable$\|^filter$' | sort | tr '\n' ' ' | sed 's/ $//')"

echo > $T/trace
echo 1 > $T/events/liveupdate/enable
luo_w prepare 1 >/dev/null
ktap_eq "prepare: start, 3 callbacks in order, end, transition" \
"liveupdate_event_start: event=prepare participants=3 ret=0
liveupdate_participant: event=prepare name=luo_test_0 kind=native priority=0 ret=0 duration_ns=N
liveupdate_participant: event=prepare name=luo_test_1 kind=native priority=1 ret=0 duration_ns=N
liveupdate_participant: event=prepare name=luo_test_2 kind=native priority=2 ret=0 duration_ns=N
liveupdate_event_end: event=prepare participants=3 ret=0
liveupdate_transition: normal -> prepared seq=0 cause=sysfs" "$(trace_events)"

luo_test_inject "cancel 1 -22"
luo_w cancel 1 >/dev/null
ktap_eq "cancel with a failing participant: reverse order, its ret traced" \
"liveupdate_event_start: event=cancel participants=3 ret=0
liveupdate_participant: event=cancel name=luo_test_2 kind=native priority=2 ret=0 duration_ns=N
liveupdate_participant: event=cancel name=luo_test_1 kind=native priority=1 ret=-22 duration_ns=N
liveupdate_participant: event=cancel name=luo_test_0 kind=native priority=0 ret=0 duration_ns=N
liveupdate_event_end: event=cancel participants=3 ret=0
liveupdate_transition: prepared -> normal seq=0 cause=sysfs" "$(trace_events)"

luo_test_inject "prepare 2 -5"
luo_w prepare 1 >/dev/null
ktap_eq "prepare failing at 2: rollback event with the cancelled count" \
"liveupdate_event_start: event=prepare participants=3 ret=0
liveupdate_participant: event=prepare name=luo_test_0 kind=native priority=0 ret=0 duration_ns=N
liveupdate_participant: event=prepare name=luo_test_1 kind=native priority=1 ret=0 duration_ns=N
liveupdate_participant: event=prepare name=luo_test_2 kind=native priority=2 ret=-5 duration_ns=N
liveupdate_participant: event=cancel name=luo_test_1 kind=native priority=1 ret=0 duration_ns=N
liveupdate_participant: event=cancel name=luo_test_0 kind=native priority=0 ret=0 duration_ns=N
liveupdate_rollback: event=prepare failed=luo_test_2 err=-5 cancelled=2
liveupdate_event_end: event=prepare participants=3 ret=-5" "$(trace_events)"
luo_test_inject none

durs=$(grep -o 'duration_ns=[0-9]*' $T/trace | wc -l)
luo_w prepare 1 >/dev/null
luo_w cancel 1 >/dev/null
ktap_cmd "durations are measured (non-zero)" sh -c \
	"grep -o 'duration_ns=[0-9]*' $T/trace | grep -qv 'duration_ns=0$'"
echo > $T/trace

echo 0 > $T/events/liveupdate/enable
luo_w prepare 1 >/dev/null
luo_w cancel 1 >/dev/null
ktap_eq "events disabled: nothing recorded" "" "$(trace_events)"

ktap_eq "last_update record: name kind prio event ret per participant" \
"luo_test_0 native 0 prepare 0
luo_test_0 native 0 cancel 0
luo_test_1 native 1 prepare 0
luo_test_1 native 1 cancel 0
luo_test_2 native 2 prepare 0
luo_test_2 native 2 cancel 0" "$(cut -d' ' -f1-5 /sys/kernel/debug/liveupdate/last_update)"
