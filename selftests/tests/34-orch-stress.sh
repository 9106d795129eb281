# SPDX-License-Identifier: GPL-2.0
# About a minute of everything at once, on the debug kernel: concurrent
# sysfs writers (good and garbage writes), BPF attach and detach, native
# register and unregister, and reset. Every write's errno must be legal for
# its file, and from the trace, every participant's successful PREPARE is
# followed by exactly one CANCEL. The host checks kmemleak and lockdep.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

secs=${LUO_STRESS_SECS:-60}
ktap_plan 7
luo_test_load
luo_test_setup "0 1 2"
echo 16384 > $T/buffer_size_kb
echo > $T/trace
echo 1 > $T/events/liveupdate/liveupdate_participant/enable
cat $T/trace_pipe > /tmp/trace.log &
reader=$!
end=$(($(date +%s) + secs))

# loop NAME LEGAL CMD...: run CMD until the deadline; each result (OK or an
# errno name, last line of its output) must match the regex LEGAL.
loop() {
	local name=$1 legal=$2 n=0 bad=0 r

	shift 2
	while [ "$(date +%s)" -lt $end ]; do
		r=$("$@" 2>&1 | tail -n 1)
		n=$((n + 1))
		if ! echo "$r" | grep -qE "^($legal)\$"; then
			echo "# $name: illegal result '$r'"
			bad=$((bad + 1))
		fi
	done
	echo "$name $n $bad" > /tmp/loop.$name
}

bpf_cycle() {
	local r

	r=$(luo_bpf attach $BPF_PROGS/participant.bpf.o --name sb$1 --priority $1 2>&1)
	case $r in
	attached*) luo_bpf detach sb$1 >/dev/null 2>&1 && echo OK || echo DETACH-FAILED ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*) echo "$r" ;;
	esac
}

native_cycle() {
	local a b

	a=$(luo_sysfs write $LUO_TEST/participants "0 1 2")
	b=$(luo_sysfs write $LUO_TEST/participants clear)
	echo "$a$b" | sed 's/^OKOK$/OK/; s/^EBUSYOK$/EBUSY/'
}

loop writers '0' sh -c 'luo_sysfs stress '$LUO' 3 100 >/dev/null; echo $?' &
loop bpf0 'OK|EBUSY' bpf_cycle 0 &
loop bpf2 'OK|EBUSY' bpf_cycle 2 &
loop native 'OK|EBUSY' native_cycle &
loop reset 'OK' luo_w reset 1 &
wait $(jobs -p | grep -v "^$reader\$")
luo_w reset 1 >/dev/null
bpf_detach_all
echo clear > $LUO_TEST/participants
sleep 1
kill $reader
echo 0 > $T/events/liveupdate/liveupdate_participant/enable

for l in writers bpf0 bpf2 native reset; do
	read -r name n bad < /tmp/loop.$l
	if [ "$bad" = 0 ] && [ "$n" -gt 0 ]; then
		ktap_ok "$name: $n rounds in ${secs}s, every result legal"
	else
		ktap_fail "$name" "$bad of $n rounds ended with an illegal result"
	fi
done

lost=$(cat $T/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }')
ktap_eq "no trace event lost" 0 "$lost"
# Every successful PREPARE gets exactly one CANCEL (no REBOOT ran here).
verdict=$(awk '
/liveupdate_participant: / {
	ev = $0; sub(/.*event=/, "", ev); sub(/ .*/, "", ev)
	nm = $0; sub(/.* name=/, "", nm); sub(/ .*/, "", nm)
	rt = $0; sub(/.* ret=/, "", rt); sub(/ .*/, "", rt)
	calls++
	if (ev == "prepare" && rt == 0) {
		if (owed[nm]) { bad++; print "# " nm ": PREPARE twice without CANCEL" }
		owed[nm] = 1; prepares++
	} else if (ev == "cancel") {
		if (!owed[nm]) { bad++; print "# " nm ": CANCEL without PREPARE" }
		owed[nm] = 0
	}
}
END {
	for (nm in owed) if (owed[nm]) { bad++; print "# " nm ": PREPARE never cancelled" }
	printf "%d calls, %d prepares, %d violations\n", calls, prepares, bad
}' /tmp/trace.log)
echo "$verdict" | grep '^#'
v=$(echo "$verdict" | tail -n 1)
case $v in
*" 0 violations") [ "${v%% *}" -gt 0 ] && ktap_ok "exactly one CANCEL per successful PREPARE: $v" ||
	ktap_fail "CANCEL rule" "no participant calls traced" ;;
*) ktap_fail "exactly one CANCEL per successful PREPARE" "$v" ;;
esac
