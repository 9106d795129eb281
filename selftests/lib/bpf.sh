# SPDX-License-Identifier: GPL-2.0
# Helpers for BPF participant tests (sourced after ktap.sh and luo.sh).

BPF_OUT=$LUO_ROOT/build/bpf
BPF_PROGS=$BPF_OUT/selftests
export PATH=$BPF_OUT:$PATH
T=/sys/kernel/tracing

# bpf_attach NAME PRIO [luo_bpf options]: attach the test participant
bpf_attach() {
	local name=$1 prio=$2

	shift 2
	luo_bpf attach "$BPF_PROGS/participant.bpf.o" --name "$name" --priority "$prio" "$@" \
		>/dev/null 2>/tmp/attach.err || { cat /tmp/attach.err; return 1; }
}

bpf_detach_all() {
	local n

	for n in $(ls /sys/fs/bpf/luo 2>/dev/null); do
		luo_bpf detach "$n" >/dev/null 2>&1
	done
}

# bpf_gone NAME: wait (up to 30 s) until NAME left the participant list
bpf_gone() {
	local i

	for i in $(seq 300); do
		grep -q " $1\$" $LUO/participants || return 0
		sleep 0.1
	done
	return 1
}

# The participant calls traced since the last call, as "event:name ..."
trace_calls() {
	sed -n 's/.*liveupdate_participant: event=\([a-z]*\) name=\([^ ]*\) .*/\1:\2/p' $T/trace |
		tr '\n' ' ' | sed 's/ $//'
	echo > $T/trace
}

trace_on() { echo > $T/trace; echo 1 > $T/events/liveupdate/enable; }
